// POST /v1/plans (contract 1.1): a dated timetable for one procedure of one profile. The engine
// decides (regime, availability, rank), src/projections/plan.ts dates it with the calendar; this
// route only maps refusals to problems.
import Type from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { PlanRequest } from '../../../schemas/plan.js'
import type { Problem } from '../../../schemas/problem.js'
import { projectPlan, type PlanFault } from '../../projections/plan.js'
import { prefersICalendar, projectICalendar } from '../../projections/ical.js'
import { problemExample, problemExamples, problemResponses } from '../../problem-responses.js'
import { NOT_COVERED_EXAMPLE } from './recommendation-examples.js'

export interface PlanRouteOptions {
  now: () => Date
}

/** The time the documented examples are generated at, so the OpenAPI document is stable. */
const EXAMPLE_TIME = new Date('2026-11-25T10:00:00.000Z')

/** The documented requests: the default (rank 1 of a competitive flexible profile), one with known dates, a PSR one. */
export const PLAN_REQUEST_EXAMPLES: Record<string, { summary: string; value: PlanRequest }> = {
  default: {
    summary: 'Open procedure for a software service, to be awarded by 30 April 2027',
    value: {
      profile: {
        reference: 'LBX-2026-031',
        contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
        constraints: { startDate: '2026-12-01', awardBy: '2027-04-30' }
      },
      procedureId: 'open-tender'
    }
  },
  known: {
    summary: 'The tender notice is already published; a planned procurement notice qualified',
    value: {
      profile: {
        contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
        constraints: { startDate: '2027-01-04' }
      },
      procedureId: 'open-tender',
      known: { 'tender-notice': '2027-03-02' },
      options: { plannedProcurementNoticeDate: '2027-01-05' }
    }
  },
  psr: {
    summary: 'Community health services under the Provider Selection Regime',
    value: {
      profile: {
        reference: 'LBX-2026-072',
        contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85323000-9'] },
        constraints: { startDate: '2026-12-01' }
      }
    }
  }
}

export default async function planRoutes(fastify: FastifyInstance, opts: PlanRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender, calendar } = app

  function faultProblem(request: FastifyRequest, faults: PlanFault[]): Problem {
    const errors = faults.map((f) => ({ pointer: f.pointer, in: 'body' as const, message: f.message }))
    const detail = faults.length === 1 ? (faults[0] as PlanFault).message : `${faults.length} faults; see errors.`
    return app.problem(request, 'PRA_ERR_VALIDATION', detail, { errors })
  }

  /** The plan, or the problem that refuses it (400, or 422 for a profile the service does not cover). */
  function plan(body: PlanRequest, now: Date) {
    const decided = recommender.decide(body.profile, now)
    if (!decided.ok) {
      const { pointer, message, notCovered } = decided.error
      const errors = [{ pointer: `/profile${pointer}`, in: 'body' as const, message }]
      return { problem: { code: notCovered ? ('PRA_ERR_NOT_COVERED' as const) : ('PRA_ERR_VALIDATION' as const), message, errors } }
    }
    const result = projectPlan(recommender.compiled, calendar, decided.decision, body)
    if (!result.ok) return { faults: result.errors }
    return { plan: result.plan }
  }

  const example = plan(PLAN_REQUEST_EXAMPLES.default!.value, EXAMPLE_TIME)
  const excluded = plan({ ...PLAN_REQUEST_EXAMPLES.default!.value, procedureId: 'light-touch' }, EXAMPLE_TIME)
  const notCovered = plan({ profile: NOT_COVERED_EXAMPLE }, EXAMPLE_TIME)
  app.docExamples.set('planProcurement', {
    requests: PLAN_REQUEST_EXAMPLES,
    mediaResponses: { 200: { 'text/calendar': example.plan && projectICalendar(example.plan) } },
    responses: {
      200: example.plan,
      ...problemExamples(401, 413, 415, 429, 503),
      422: notCovered.problem && problemExample('PRA_ERR_NOT_COVERED', notCovered.problem.message, notCovered.problem.errors),
      400: problemExample(
        'PRA_ERR_VALIDATION',
        excluded.faults?.[0]?.message ?? 'The procedure is excluded for this profile.',
        excluded.faults?.map((f) => ({ pointer: f.pointer, in: 'body' as const, message: f.message }))
      )
    }
  })

  app.post(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        operationId: 'planProcurement',
        summary: 'A dated procurement timetable for one procedure of one profile',
        description:
          'Evaluates the profile as POST /v1/recommendations does, then dates the chosen procedure (default: rank 1): ' +
          'each milestone is the earliest date the law allows (basis law), an estimate for a stage the law does not ' +
          'time (basis estimate), or a date given in known (basis known), with the rule that computed it. Working ' +
          'days follow the regime (PA 2023 s.123: any UK bank holiday; PSR reg 12(12): England only). Plans cover the ' +
          'Procurement Act 2023 and the Provider Selection Regime; a PCR 2015 profile, a procedure the report excludes, ' +
          'an unknown milestone id in known, contradictory known dates and any date beyond the calendar data are 400 ' +
          'problems with JSON pointers. constraints.awardBy (or start date + weeksToAward) is checked against the ' +
          'earliest contract entry. With Accept: text/calendar the plan is an iCalendar file, one all-day event per milestone.',
        body: Type.Unsafe<PlanRequest>(Type.Ref('PlanRequest')),
        response: {
          200: {
            description: 'The plan, milestones in date order; with Accept: text/calendar, the same milestones as an iCalendar file',
            content: {
              'application/json': { schema: Type.Ref('Plan') },
              'text/calendar': { schema: Type.String({ description: 'RFC 5545: one all-day event per milestone' }) }
            }
          },
          ...problemResponses(400, 401, 413, 415, 422, 429, 503)
        }
      }
    },
    async (request, reply) => {
      const out = app.metrics.timeEngine(() => plan(request.body as PlanRequest, opts.now()))
      if (out.plan) {
        if (!prefersICalendar(request.headers.accept)) return out.plan
        return (reply as unknown as FastifyReply)
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="plan.ics"')
          .send(projectICalendar(out.plan))
      }
      const problem = out.problem
        ? app.problem(
            request,
            out.problem.code,
            out.problem.code === 'PRA_ERR_NOT_COVERED' ? out.problem.message : 'The profile cannot be evaluated; see errors.',
            { errors: out.problem.errors }
          )
        : faultProblem(request, out.faults!)
      return (reply as unknown as FastifyReply).code(problem.status).type('application/problem+json').send(problem)
    }
  )
}
