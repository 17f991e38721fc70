// Prometheus metrics with prom-client, in a registry of this app's own (not prom-client's global
// one), so several apps in one process (the tests) never collide. The service's own counters
// always count (an increment is a few nanoseconds); the Node and HTTP metrics and the /metrics
// endpoint exist only when METRICS_PORT or METRICS_TOKEN is set, so that metrics are never
// public by default and cost nothing when nobody scrapes them.
//
// Per request, when enabled: one onRequest hook (an integer in flight, one listener for the end
// of the response) and one onResponse hook (one histogram observation). Not fastify-metrics: it
// keeps a WeakMap entry and two timers (histogram and summary) per request, has no in-flight
// gauge, and its current major moved to another Prometheus client.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { RecommendationReport } from '../../schemas/report.js'
import { UnauthorizedError } from '../errors.js'
import { limitOptions } from './api-access.js'

/** The service's own series; the HTTP and Node series are added when metrics are served. */
export class ServiceMetrics {
  readonly registry = new Registry()
  readonly recommendations = this.counter(
    'pra_recommendations_total',
    'Reports served (one per profile, batches included), by regime and rank-1 procedure ("none": nothing recommended)',
    ['regime', 'procedure']
  )
  readonly engineSeconds = this.histogram(
    'pra_engine_duration_seconds',
    'Time the engine took for one profile (recommendation, decision or plan)',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]
  )
  readonly rateLimited = this.counter(
    'pra_rate_limited_total',
    'Requests answered 429: a client over RATE_LIMIT_MAX or an address over AUTH_FAILURE_LIMIT'
  )
  readonly shed = this.counter(
    'pra_shed_total',
    'Requests answered 503 because the service shed load (event-loop delay or memory over its bound)'
  )
  readonly unauthorized = this.counter('pra_unauthorized_total', 'Requests answered 401: no API key, or one not recognised')
  readonly rateLimitFallbacks = this.counter(
    'pra_rate_limit_fallbacks_total',
    'Rate-limit checks Redis did not answer, counted in this process instead, by limit (client, auth-failure)',
    ['limit']
  )
  readonly decisionWrites = this.counter(
    'pra_decision_writes_total',
    'Decision records written, by store (sqlite, postgresql) and outcome (ok, error)',
    ['store', 'outcome']
  )
  readonly decisionWriteSeconds = this.histogram(
    'pra_decision_write_duration_seconds',
    'Time one decision record took to write, by store',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ['store']
  )

  readonly quotaRefusals = this.counter(
    'pra_decision_quota_refusals_total',
    'Decision records refused because the client already holds DECISION_QUOTA entries (403), by client',
    ['client']
  )
  readonly integrityFaults = this.counter(
    'pra_decision_integrity_faults_total',
    'Stored decision records that failed their integrity check when read (altered or forged in the database): alert on any'
  )

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] })
  }

  private histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, buckets, labelNames, registers: [this.registry] })
  }

  /** Counts a report served. */
  recommended(report: RecommendationReport): void {
    this.recommendations.inc({ regime: report.regime.id, procedure: report.recommendations[0]?.procedureId ?? 'none' })
  }

  /** Runs the engine for one profile and records how long it took. */
  timeEngine<T>(run: () => T): T {
    const started = performance.now()
    try {
      return run()
    } finally {
      this.engineSeconds.observe((performance.now() - started) / 1000)
    }
  }

  /** Writes one decision record and records the outcome and how long it took. */
  async timeDecisionWrite<T>(store: string, write: () => Promise<T>): Promise<T> {
    const started = performance.now()
    let outcome = 'error'
    try {
      const written = await write()
      outcome = 'ok'
      return written
    } finally {
      this.decisionWrites.inc({ store, outcome })
      this.decisionWriteSeconds.observe({ store }, (performance.now() - started) / 1000)
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServiceMetrics
  }
}

export interface MetricsOptions {
  /** A separate port for GET /metrics (on `host`); 0: none. */
  port: number
  host: string
  /** Bearer token GET /metrics requires; empty: none (and then no /metrics on the main port). */
  token: string
  /** Wrong tokens allowed per address per window (AUTH_FAILURE_LIMIT, RATE_LIMIT_WINDOW_MS), then 429. */
  authFailureMax: number
  windowMs: number
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest()

/** Whether a request carries the token (compared by hash, in constant time). */
function hasToken(authorization: string | undefined, tokenHash: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match !== null && timingSafeEqual(sha256(match[1] as string), tokenHash)
}

export default fp<MetricsOptions>(
  async function metrics(app: FastifyInstance, opts: MetricsOptions) {
    const service = new ServiceMetrics()
    app.decorate('metrics', service)

    // The refusals are thrown errors, so they are counted here, on the error path only.
    app.addHook('onError', (_request, _reply, error, done) => {
      if (error.code === 'PRA_ERR_RATE_LIMITED') service.rateLimited.inc()
      else if (error.code === 'PRA_ERR_UNAUTHORIZED') service.unauthorized.inc()
      else if (error.code === 'PRA_ERR_OVERLOADED') service.shed.inc()
      done()
    })

    if (opts.port === 0 && opts.token === '') return
    const { registry } = service
    collectDefaultMetrics({ register: registry })
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the start of a request to the end of its response, by method, route (its pattern) and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry]
    })
    // A plain count, read at scrape time; `leave` is made once, not per request.
    let inFlight = 0
    const leave = (): void => {
      inFlight--
    }
    registry.registerMetric(
      new Gauge({
        name: 'http_requests_in_flight',
        help: 'Requests received whose response has not ended',
        registers: [],
        collect() {
          this.set(inFlight)
        }
      })
    )
    app.addHook('onRequest', (_request, reply, done) => {
      inFlight++
      // 'close' ends every response exactly once, finished or aborted.
      reply.raw.on('close', leave)
      done()
    })
    app.addHook('onResponse', (request, reply, done) => {
      // A request no route matched is one series, whatever its path (no series per scanned URL).
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
        reply.elapsedTime / 1000
      )
      done()
    })

    const tokenHash = opts.token === '' ? undefined : sha256(opts.token)
    // Wrong tokens are limited per address as wrong API keys are (plugins/api-access.ts), with an
    // allowance of their own, in the same store (Redis when REDIS_URL is set). @fastify/rate-limit
    // is registered after this plugin (security.ts), so the limiter is made once the app is ready.
    const failureLimit = limitOptions('auth-failure', opts.authFailureMax, opts.windowMs, (request) => `metrics-auth-failure:${request.ip}`)
    if (opts.port === 0) {
      let limitFailures: ReturnType<FastifyInstance['rateLimit']> | undefined
      app.addHook('onReady', async () => {
        if (tokenHash) limitFailures = app.rateLimit(failureLimit)
      })
      app.get(
        '/metrics',
        // Scrapes go on while the service sheds load: that is when they matter.
        { config: { pressureHandler: () => undefined }, schema: { hide: true } },
        async (request, reply) => {
          if (!hasToken(request.headers.authorization, tokenHash as Buffer)) {
            await limitFailures?.call(app, request, reply)
            reply.header('www-authenticate', 'Bearer realm="metrics"')
            throw new UnauthorizedError('GET /metrics requires Authorization: Bearer <METRICS_TOKEN>.')
          }
          return reply.type(registry.contentType).send(await registry.metrics())
        }
      )
      return
    }

    // The separate listener: a bare Node server, outside Fastify, so scrapes are never counted,
    // limited (but for wrong tokens) or shed, and the port can stay inside the cluster network.
    let checkFailure: ReturnType<FastifyInstance['createRateLimit']> | undefined
    app.addHook('onReady', async () => {
      if (tokenHash) checkFailure = app.createRateLimit(failureLimit)
    })
    /** Counts a wrong token from the socket's address; the seconds to wait when over the limit. */
    const overLimit = async (req: IncomingMessage): Promise<number | undefined> => {
      if (!checkFailure) return undefined
      // What the limiter reads of a request: the address (no proxy here) and the route's options.
      const result = await checkFailure({ ip: req.socket.remoteAddress ?? '', routeOptions: {} } as unknown as FastifyRequest)
      if (result.isAllowed || !result.isExceeded) return undefined
      service.rateLimited.inc()
      return result.ttlInSeconds
    }
    const scrape = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const path = (req.url ?? '').split('?')[0]
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n')
        return
      }
      if (tokenHash && !hasToken(req.headers.authorization, tokenHash)) {
        const retryAfter = await overLimit(req)
        if (retryAfter !== undefined) {
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(retryAfter) }).end('Too many wrong tokens\n')
          return
        }
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n')
        return
      }
      const text = await registry.metrics()
      res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text)
    }
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      scrape(req, res).catch((err: unknown) => {
        app.log.error({ err }, 'metrics request failed')
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics request failed\n')
      })
    })
    app.addHook('onListen', async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(opts.port, opts.host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      app.log.info({ url: `http://${opts.host}:${opts.port}/metrics` }, 'metrics listening')
    })
    app.addHook('onClose', async () => {
      if (!server.listening) return
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
  },
  { name: 'metrics' }
)
