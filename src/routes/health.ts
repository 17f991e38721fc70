import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import { problemExamples, problemResponse } from '../problem-responses.js'
import { ShuttingDownError } from '../errors.js'

const HealthSchema = Type.Object(
  {
    status: Type.Enum(['ok']),
    rulesetVersion: Type.Optional(Type.String()),
    rateLimits: Type.Optional(
      Type.Enum(['memory', 'redis', 'redis-unavailable'], {
        description:
          'Where the rate limits are counted: memory (this process), redis (shared by replicas), or ' +
          'redis-unavailable (REDIS_URL is set but Redis does not answer: each replica counts on its own ' +
          'meanwhile). Informative: readiness stays 200 either way.'
      })
    )
  },
  { additionalProperties: false, description: 'The service is up', examples: [{ status: 'ok' }] }
)

export interface HealthOptions {
  /** Retry-After of readiness's 503 while draining. */
  retryAfterSeconds: number
}

export default async function healthRoutes(app: FastifyInstance, opts: HealthOptions) {
  app.docExamples.set('getReadiness', { responses: problemExamples(503) })
  app.get(
    '/health/live',
    {
      // Never shed: an orchestrator must not restart a busy but healthy process.
      config: { pressureHandler: () => undefined },
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'Answers 200 while the process is running. For orchestrators; never rate limited.',
        response: { 200: HealthSchema }
      }
    },
    async () => ({ status: 'ok' as const })
  )
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'getReadiness',
        summary: 'Readiness',
        description:
          'Answers 200 once the catalogue is loaded and validated and the service can take requests; 503 (with ' +
          'Retry-After) while it sheds load, and from SIGTERM on while it drains before shutting down.',
        response: {
          200: { ...HealthSchema, examples: [{ status: 'ok', rulesetVersion: '2026.11.0+3f2a9c1b7d4e', rateLimits: 'redis' }] },
          503: problemResponse(['PRA_ERR_OVERLOADED', 'PRA_ERR_SHUTTING_DOWN'])
        }
      }
    },
    async (_request, reply) => {
      // After SIGTERM the balancer must stop sending new clients here; the requests that still
      // come are served (plugins/drain.ts). Liveness stays 200: the process is healthy.
      if (app.draining) {
        reply.header('retry-after', opts.retryAfterSeconds)
        throw new ShuttingDownError()
      }
      // A Redis outage does not make the replica unready: every replica would fail together, and
      // the limits still hold per replica meanwhile (plugins/rate-limit-store.ts).
      return { status: 'ok' as const, rulesetVersion: app.catalogue.rulesetVersion, rateLimits: app.rateLimitStore.state() }
    }
  )
}
