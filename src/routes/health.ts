import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import { problemResponse } from '../problem-responses.js'
import { ShuttingDownError } from '../errors.js'

const HealthSchema = Type.Object(
  { status: Type.Enum(['ok']), rulesetVersion: Type.Optional(Type.String()) },
  { additionalProperties: false, description: 'The service is up', examples: [{ status: 'ok' }] }
)

const RateLimitsSchema = Type.Enum(['memory', 'redis', 'redis-unavailable'], {
  description:
    'Where the rate limits are counted: memory (this process), redis (shared by replicas), or ' +
    'redis-unavailable (REDIS_URL is set but Redis does not answer: each replica counts on its own ' +
    'meanwhile). Informative: readiness stays 200 either way.'
})

/** The state of one dependency, as readiness reports it. */
const CheckSchema = Type.Object(
  {
    status: Type.Enum(['up', 'unavailable'], { description: 'up: it answered; unavailable: it failed or did not answer in time' }),
    engine: Type.Optional(Type.String({ description: 'Which implementation is configured (decisionStore: embedded or postgresql)' })),
    detail: Type.Optional(Type.String({ description: 'Why it is unavailable' }))
  },
  { additionalProperties: false }
)
type Check = Type.Static<typeof CheckSchema>

// One entry per dependency the service can run without: readiness reports each one's state but
// stays 200 when it fails, because the endpoints that do not need it keep working. A new
// dependency is one more optional property here and one more entry in `probes` below.
const ChecksSchema = Type.Object(
  {
    decisionStore: Type.Optional({
      ...CheckSchema,
      description:
        'The decision records database: engine embedded (SQLite under DATA_DIR) or postgresql (DATABASE_URL). ' +
        'While unavailable (for instance {"status":"unavailable","engine":"postgresql","detail":"failed (ECONNREFUSED)"}), ' +
        '/v1/decisions answers 503 (PRA_ERR_STORE_UNAVAILABLE) and everything else works.'
    }),
    redis: Type.Optional({
      ...CheckSchema,
      description:
        'The Redis of the shared rate limits (REDIS_URL), asked for a PING. While unavailable (for instance ' +
        '{"status":"unavailable","detail":"did not answer within 250 ms"}), each replica counts the limits on its own ' +
        'and rateLimits says redis-unavailable.'
    })
  },
  { additionalProperties: false, description: 'The state of each dependency; absent when the service runs without it' }
)

const ReadinessSchema = Type.Object(
  { status: Type.Enum(['ok']), rulesetVersion: Type.String(), rateLimits: RateLimitsSchema, checks: ChecksSchema },
  {
    additionalProperties: false,
    description: 'The service takes requests; `checks` says which dependencies answer (a failed one does not make it unready)',
    examples: [
      {
        status: 'ok',
        rulesetVersion: '2026.11.0+3f2a9c1b7d4e',
        rateLimits: 'redis',
        checks: { decisionStore: { status: 'up', engine: 'postgresql' }, redis: { status: 'up' } }
      }
    ]
  }
)

export interface HealthOptions {
  /** Retry-After of readiness's 503 while draining. */
  retryAfterSeconds: number
  /** How long readiness waits for each dependency before it reports it unavailable. */
  checkTimeoutMs?: number
}

/**
 * Runs `probe` within `timeoutMs`: up, or unavailable with a reason that names no host or
 * credential (readiness is public): the timeout, or the error's code (ECONNREFUSED, 57P01...).
 */
async function probeWithin(timeoutMs: number, probe: () => Promise<void>): Promise<Pick<Check, 'status' | 'detail'>> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([probe(), timeout])
    return { status: 'up' }
  } catch (err) {
    const code = (err as { code?: unknown }).code
    return { status: 'unavailable', detail: typeof code === 'string' ? `failed (${code})` : (err as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

export default async function healthRoutes(app: FastifyInstance, opts: HealthOptions) {
  const checkTimeoutMs = opts.checkTimeoutMs ?? 1000
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

  // The dependencies readiness reports, by name; each probe must settle within checkTimeoutMs.
  const probes: Partial<Record<keyof Type.Static<typeof ChecksSchema>, () => Promise<Check>>> = {}
  const store = app.decisionStore
  if (store) {
    const engine = store.engine === 'sqlite' ? 'embedded' : store.engine
    probes.decisionStore = async () => ({ ...(await probeWithin(checkTimeoutMs, () => store.ping())), engine })
  }
  if (app.rateLimitStore.redis) {
    const { rateLimitStore } = app
    probes.redis = () => probeWithin(checkTimeoutMs, () => rateLimitStore.ping())
  }
  const checks = async (): Promise<Type.Static<typeof ChecksSchema>> =>
    Object.fromEntries(await Promise.all(Object.entries(probes).map(async ([name, probe]) => [name, await probe()])))

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
          'Retry-After) while it sheds load, and from SIGTERM on while it drains before shutting down. The body ' +
          "reports each dependency's state in `checks` (the decision store: up or unavailable) without failing on " +
          'it: while the database is down, recommendations and plans keep working and only /v1/decisions answers 503.',
        response: {
          200: ReadinessSchema,
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
      // the limits still hold per replica meanwhile (plugins/rate-limit-store.ts). A Redis that
      // hangs is still connected: its failed PING says the limits are counted here meanwhile.
      const found = await checks()
      const state = app.rateLimitStore.state()
      return {
        status: 'ok' as const,
        rulesetVersion: app.catalogue.rulesetVersion,
        rateLimits: state === 'redis' && found.redis?.status === 'unavailable' ? ('redis-unavailable' as const) : state,
        checks: found
      }
    }
  )
}
