import { setImmediate as nextTurn } from 'node:timers/promises'
import Type, { type Static } from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { BatchRequestSchema, MAX_BATCH } from '../../../schemas/batch.js'
import { PROFILE_EXAMPLE, type ProcurementProfile } from '../../../schemas/profile.js'
import type { Problem } from '../../../schemas/problem.js'
import type { EngineResult } from '../../engine/index.js'
import { renderPaper } from '../../projections/paper.js'
import { compactReport } from '../../projections/report.js'
import type { RecommendationReport } from '../../../schemas/report.js'
import { batchJson, serializeReport, type BatchResult } from '../../projections/report-json.js'
import { prefersHtml } from '../negotiate.js'
import { fieldErrorList, validationDetail, type Validator } from '../../validation.js'
import { VALIDATION_EXAMPLE, problemExample, problemExamples, problemResponses } from '../../problem-responses.js'
import { NOT_COVERED_EXAMPLE, REQUEST_EXAMPLES } from './recommendation-examples.js'

export interface RecommendationRouteOptions {
  now: () => Date
  /** Validates one profile exactly as the single endpoint does. */
  validateProfile: Validator
  /** A batch may be larger than one profile. */
  batchBodyLimit: number
}

/** What Fastify's own JSON serializer sends; a custom serializer must set it itself. */
const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * A batch lets the event loop turn after this many profiles (each 60-150 µs of engine and JSON), so
 * a batch of 100 does not hold the process for its whole time: a health check or a single
 * recommendation sent meanwhile waits for a slice of the batch, not for all of it. Measured
 * (bench/README.md): /health/live waits 4-10 ms instead of 20-50 ms after a batch. Batches
 * themselves still run one after another (oneBatchAtATime).
 */
const YIELD_EVERY = 10

/**
 * Runs `work` after every batch before it has finished: batches are evaluated one at a time, in
 * the order they arrived, while the event loop still turns between their slices for everything
 * else. Interleaved, every batch in flight held a partial answer at once: with 40 clients that
 * never read their answers the server's peak RSS passed its bound (test/slow-readers.e2e.test.ts),
 * and several batches in flight gave fewer batches a second than one after another.
 */
function oneBatchAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let previous: Promise<unknown> = Promise.resolve()
  return (work) => {
    const turn = previous.then(work)
    previous = turn.catch(() => undefined)
    return turn
  }
}

/** The time the documented examples are generated at, so the OpenAPI document is stable. */
const EXAMPLE_TIME = new Date('2026-11-25T10:00:00.000Z')

export default async function recommendationRoutes(fastify: FastifyInstance, opts: RecommendationRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender } = app
  const batchTurn = oneBatchAtATime()

  /**
   * The problem of a profile the engine refuses: a 422 for a valid profile the service does not
   * cover (its detail says what), otherwise a 400 naming the field the law does not allow.
   */
  function engineProblem(request: FastifyRequest, result: Extract<EngineResult, { ok: false }>, prefix = ''): Problem {
    const { pointer, message, notCovered } = result.error
    const errors = [{ pointer: `${prefix}${pointer}`, in: 'body' as const, message }]
    if (notCovered) return app.problem(request, 'PRA_ERR_NOT_COVERED', message, { errors })
    return app.problem(request, 'PRA_ERR_VALIDATION', 'The profile cannot be evaluated; see errors.', { errors })
  }

  const example = recommender.recommend(PROFILE_EXAMPLE, EXAMPLE_TIME)
  const exampleReport = example.ok ? example.report : undefined
  // A second, small purchase for the batch example; the documented response also shows how an
  // invalid profile is answered.
  const smallProfile: ProcurementProfile = {
    reference: 'LBX-2026-044',
    contract: { type: 'goods', estimatedValue: 45000, categories: ['facilities'] },
    constraints: { startDate: '2026-12-01' }
  }

  // A public-health contract filed under the broad division code 85000000: the report answers
  // under the Act and shows the PSR reading under `alternatives`.
  const broadProfile: ProcurementProfile = {
    reference: 'LBX-2026-051',
    title: 'Sexual health services in primary care',
    contract: { type: 'services', estimatedValue: 1340000, cpvCodes: ['85000000-9'] },
    constraints: { startDate: '2026-12-01' }
  }
  const broad = recommender.recommend(broadProfile, EXAMPLE_TIME)

  // The documented 422: the utilities example as the engine refuses it.
  const notCovered = recommender.recommend(NOT_COVERED_EXAMPLE, EXAMPLE_TIME)
  const notCoveredExample = notCovered.ok
    ? undefined
    : problemExample('PRA_ERR_NOT_COVERED', notCovered.error.message, [
        { pointer: notCovered.error.pointer, in: 'body', message: notCovered.error.message }
      ])
  const batchExample = {
    results: [
      { index: 0, status: 200, report: exampleReport },
      {
        index: 1,
        status: 400,
        // The single-profile 400 example, as it reads for profile 1 of a batch.
        problem: {
          ...VALIDATION_EXAMPLE,
          detail: '2 fields at fault in profile 1; see errors.',
          errors: VALIDATION_EXAMPLE.errors?.map((e) => ({ ...e, pointer: `/profiles/1${e.pointer}` }))
        }
      },
      { index: 2, status: 200, report: broad.ok ? broad.report : undefined },
      {
        index: 3,
        status: 422,
        problem: notCoveredExample && {
          ...notCoveredExample,
          errors: notCoveredExample.errors?.map((e) => ({ ...e, pointer: `/profiles/3${e.pointer}` }))
        }
      }
    ]
  }
  app.docExamples.set('recommendProcedures', {
    requests: REQUEST_EXAMPLES,
    responses: { 200: exampleReport, ...problemExamples(400, 401, 413, 415, 429, 503), 422: notCoveredExample }
  })
  app.docExamples.set('recommendProceduresBatch', {
    request: { profiles: [PROFILE_EXAMPLE, smallProfile, broadProfile, NOT_COVERED_EXAMPLE] },
    responses: { 200: batchExample, ...problemExamples(400, 401, 413, 415, 429, 503) }
  })

  // ?view=compact: the same decision with less explanation (projections/report.ts compactReport).
  const ViewQuery = Type.Object(
    {
      view: Type.Optional(
        Type.Enum(['full', 'compact'], {
          description:
            'full (default): the whole report. compact: no considerations, and each procedure not recommended ' +
            'keeps only the reasons against it; about a third fewer bytes. The report says view: compact.'
        })
      )
    },
    { additionalProperties: false }
  )
  const viewOf = (query: unknown) => ((query as { view?: string }).view === 'compact' ? compactReport : (r: RecommendationReport) => r)

  app.post(
    '/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        operationId: 'recommendProcedures',
        summary: 'Recommend procedures for one procurement profile',
        description:
          'Evaluates every procedure for the profile and returns the ranked recommendations, the procedures ' +
          'not recommended, each with the reasons from the evaluation, the legal route under the regime that ' +
          'applies, a timeline check, warnings and the RACI for the top recommendation. Only contract.type and ' +
          'contract.estimatedValue are required. Unknown fields are rejected. The same profile, start date and ' +
          'ruleset always give the same report apart from generatedAt. A profile may say that the procurement sets up ' +
          'a framework, an open framework or a dynamic market, for one authority or several (agreement): the report ' +
          'then adds the rules that govern it (report.agreement). For a concession contract (contract.concession) it ' +
          'adds what changes for a concession (report.concession). A valid profile the service does not cover (a ' +
          'utilities contract, or a concession commenced before 24 Feb 2025) is answered with a 422 problem.',
        body: Type.Unsafe<ProcurementProfile>(Type.Ref('ProcurementProfile')),
        querystring: ViewQuery,
        response: {
          200: {
            description: 'The recommendation report, or with Accept: text/html the draft route-to-market paper',
            content: {
              'application/json': { schema: Type.Ref('RecommendationReport') },
              'text/html': { schema: Type.String({ description: 'The draft route-to-market paper (no content hash): printable HTML.' }) }
            }
          },
          ...problemResponses(400, 401, 413, 415, 422, 429, 503)
        }
      }
    },
    async (request, reply) => {
      const result = app.metrics.timeEngine(() => recommender.recommend(request.body as ProcurementProfile, opts.now()))
      if (!result.ok) {
        const problem = engineProblem(request, result)
        return (reply as unknown as FastifyReply).code(problem.status).type('application/problem+json').send(problem)
      }
      app.metrics.recommended(result.report)
      reply.header('vary', 'Accept')
      if (prefersHtml(request.headers.accept)) {
        const html = renderPaper({
          profile: request.body as ProcurementProfile,
          report: result.report,
          cpvLabel: (code) => app.catalogue.cpv.get(code)?.label
        })
        return (reply as unknown as FastifyReply).type('text/html; charset=utf-8').send(html)
      }
      // The schema's bytes, faster than its serializer (projections/report-json.ts).
      return reply.type(JSON_TYPE).serializer(serializeReport).send(viewOf(request.query)(result.report))
    }
  )

  app.post(
    '/recommendations/batch',
    {
      bodyLimit: opts.batchBodyLimit,
      schema: {
        tags: ['recommendations'],
        operationId: 'recommendProceduresBatch',
        summary: `Recommend procedures for 1 to ${MAX_BATCH} profiles`,
        description: `Takes { "profiles": [...] } with 1 to ${MAX_BATCH} procurement profiles and returns one result per profile, in order: { index, status: 200, report } or, for an invalid profile, { index, status: 400, problem } whose error pointers start with /profiles/{index}; a valid profile the service does not cover (a utilities contract, or a concession commenced before 24 Feb 2025) gets { index, status: 422, problem }. One invalid profile never fails the batch; more than ${MAX_BATCH} profiles is a 400 problem.`,
        body: Type.Unsafe<Static<typeof BatchRequestSchema>>(Type.Ref('BatchRequest')),
        querystring: ViewQuery,
        response: {
          200: { ...Type.Ref('BatchResponse'), description: 'One result per profile, in order' },
          ...problemResponses(400, 401, 413, 415, 429, 503)
        }
      }
    },
    async (request, reply) => {
      const now = opts.now()
      const view = viewOf(request.query)
      const { profiles } = request.body
      /** Each profile's result, evaluated when its chunk of the answer is asked for. */
      function* results(): Generator<BatchResult, void, undefined> {
        for (let index = 0; index < profiles.length; index++) {
          const profile = profiles[index]
          const prefix = `/profiles/${index}`
          if (!opts.validateProfile(profile)) {
            const list = fieldErrorList(opts.validateProfile.errors, 'body', prefix)
            const problem = app.problem(request, 'PRA_ERR_VALIDATION', validationDetail(list, `profile ${index}`), list)
            yield { index, status: 400, problem }
            continue
          }
          const result = app.metrics.timeEngine(() => recommender.recommend(profile as ProcurementProfile, now))
          if (!result.ok) {
            const problem = engineProblem(request, result, prefix)
            yield { index, status: problem.status, problem }
            continue
          }
          app.metrics.recommended(result.report)
          yield { index, status: 200, report: view(result.report) }
        }
      }
      const answer = await batchTurn(async () => {
        const chunks: Buffer[] = []
        for (const chunk of batchJson(results(), profiles.length)) {
          chunks.push(chunk)
          // Other requests are served every YIELD_EVERY profiles, not after the whole batch.
          if (chunks.length % YIELD_EVERY === 0 && chunks.length < profiles.length) await nextTurn()
        }
        return Buffer.concat(chunks)
      })
      // One buffer with its Content-Length, not a stream: streaming the chunks cost more CPU than
      // it saved (bench/README.md).
      return reply.type(JSON_TYPE).send(answer)
    }
  )
}
