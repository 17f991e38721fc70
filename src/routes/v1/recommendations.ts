import { setImmediate as nextTurn } from 'node:timers/promises'
import Type, { type Static } from 'typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { BatchRequestSchema, MAX_BATCH } from '../../../schemas/batch.js'
import type { ProcurementProfile } from '../../../schemas/profile.js'
import { renderPaper } from '../../projections/paper.js'
import { compactReport } from '../../projections/report.js'
import type { RecommendationReport } from '../../../schemas/report.js'
import { batchJson, serializeReport, type BatchResult } from '../../projections/report-json.js'
import { prefersHtml } from '../negotiate.js'
import { fieldErrorList, validationDetail, type Validator } from '../../validation.js'
import { ALTERNATIVE_NOTE, problemResponses } from '../../problem-responses.js'

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

export default async function recommendationRoutes(fastify: FastifyInstance, opts: RecommendationRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender } = app
  const batchTurn = oneBatchAtATime()

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
            description:
              'The recommendation report. Asked for with Accept: text/html, the same answer is the draft route-to-market ' +
              'paper (no content hash), a printable HTML page' +
              ALTERNATIVE_NOTE,
            content: { 'application/json': { schema: Type.Ref('RecommendationReport') } }
          },
          ...problemResponses(400, 401, 413, 415, 422, 429, 503)
        }
      }
    },
    async (request, reply) => {
      const result = app.metrics.timeEngine(() => recommender.recommend(request.body as ProcurementProfile, opts.now()))
      if (!result.ok) {
        const problem = app.refusal(request, result.error)
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
            const problem = app.problem(request, 'PRA_ERR_VALIDATION', validationDetail(list, `the profile at index ${index}`), list)
            yield { index, status: 400, problem }
            continue
          }
          const result = app.metrics.timeEngine(() => recommender.recommend(profile as ProcurementProfile, now))
          if (!result.ok) {
            const problem = app.refusal(request, result.error, prefix)
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
