// POST /v1/plans (contract 1.1): a dated timetable for one procedure of one profile. The engine
// decides (regime, availability, rank), src/timetable/ dates it with the calendar and
// src/projections/plan.ts makes the Plan of it; this route only maps refusals to problems (the
// engine's through app.refusal, as every route does).
import Type from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { PlanRequest } from '../../../schemas/plan.js'
import type { Problem } from '../../../schemas/problem.js'
import { projectPlan, type PlanFault } from '../../projections/plan.js'
import { calendarFileName, prefersICalendar, projectICalendar } from '../../projections/ical.js'
import { ALTERNATIVE_NOTE, problemResponses } from '../../problem-responses.js'

export interface PlanRouteOptions {
  now: () => Date
}

/** The JSON pointer into the request body of the field a plan fault names (RFC 6901 escaping of a known id). */
function pointerOf(f: PlanFault): string {
  if (f.field === 'startDate') return '/profile/constraints/startDate'
  if (f.field === 'known') return `/known/${f.key!.replace(/~/g, '~0').replace(/\//g, '~1')}`
  return `/${f.field.replace('.', '/')}`
}

export default async function planRoutes(fastify: FastifyInstance, opts: PlanRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender, calendar } = app

  function faultProblem(request: FastifyRequest, faults: PlanFault[]): Problem {
    const errors = faults.map((f) => ({ pointer: pointerOf(f), in: 'body' as const, message: f.message }))
    const detail = faults.length === 1 ? (faults[0] as PlanFault).message : `${faults.length} faults; see errors.`
    return app.problem(request, 'PRA_ERR_VALIDATION', detail, { errors })
  }

  /** The plan, the engine's refusal of the profile, or the faults of the plan. */
  function plan(body: PlanRequest, now: Date) {
    const decided = recommender.decide(body.profile, now)
    if (!decided.ok) return { refused: decided.error }
    const result = projectPlan(recommender.compiled, calendar, decided.decision, body)
    if (!result.ok) return { faults: result.errors }
    return { plan: result.plan }
  }

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
          'earliest contract entry. With Accept: text/calendar the plan is an iCalendar file named after the reference, one all-day event per milestone and one for the award deadline, each titled with the reference; a recomputed plan re-imported updates the events already imported.',
        body: Type.Unsafe<PlanRequest>(Type.Ref('PlanRequest')),
        response: {
          200: {
            description:
              'The plan, milestones in date order. Asked for with Accept: text/calendar, the same answer is an iCalendar ' +
              'file (RFC 5545) to import into a calendar: one all-day event per milestone and one for the award deadline' +
              ALTERNATIVE_NOTE,
            content: { 'application/json': { schema: Type.Ref('Plan') } }
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
          .header('content-disposition', `attachment; filename="${calendarFileName(out.plan)}"`)
          .send(projectICalendar(out.plan))
      }
      const problem = out.refused ? app.refusal(request, out.refused, '/profile') : faultProblem(request, out.faults!)
      return (reply as unknown as FastifyReply).code(problem.status).type('application/problem+json').send(problem)
    }
  )
}
