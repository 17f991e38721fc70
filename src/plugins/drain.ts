// Graceful drain before shutdown. An orchestrator sends SIGTERM and takes the instance out of
// its load balancer at about the same time, not one after the other, and keep-alive clients
// hold connections open to this process. Closing at once resets them: a request sent on an idle
// keep-alive connection as the server closes it gets a TCP reset, not an answer. So while
// draining the service keeps listening and serving every request (new connections too),
// readiness answers 503 (routes/health.ts) so the balancer stops sending new clients, and every
// response carries `Connection: close`, so each keep-alive client gets its answer and then
// reconnects, to another replica. server.ts closes the app when the drain period is over.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface DrainOptions {
  /** How long drain() keeps the service serving before it resolves. */
  drainMs: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the first drain() on: readiness answers 503 and every response closes its connection. */
    readonly draining: boolean
    /** Starts draining; resolves when the drain period is over (or the app closes). Later calls return the same promise. */
    drain(): Promise<void>
  }
}

export default fp<DrainOptions>(
  async function drain(app: FastifyInstance, opts: DrainOptions) {
    let drained: Promise<void> | undefined
    let timer: NodeJS.Timeout | undefined
    let finish: (() => void) | undefined

    app.decorate('draining', {
      getter: () => drained !== undefined
    })
    app.decorate('drain', (): Promise<void> => {
      drained ??= new Promise<void>((resolve) => {
        app.log.info({ drainMs: opts.drainMs }, 'draining: readiness 503, every response closes its connection')
        finish = resolve
        timer = setTimeout(() => {
          app.log.info('drain period over')
          resolve()
        }, opts.drainMs)
      })
      return drained
    })

    // onSend runs for every reply Fastify sends (routes, problems, 404/405, shed and
    // rate-limited answers) just before the headers are written; with this header Node closes
    // the connection once the response is written instead of keeping it alive. A callback hook
    // rather than an async one: it runs on every request, draining or not.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (drained !== undefined) reply.header('connection', 'close')
      done(null, payload)
    })

    // An app closed during the drain (a test, or a close on error) must not wait for the timer.
    app.addHook('onClose', (instance, done) => {
      clearTimeout(timer)
      finish?.()
      done()
    })
  },
  { name: 'drain' }
)
