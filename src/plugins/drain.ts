// Graceful drain before shutdown. An orchestrator sends SIGTERM and takes the instance out of
// its load balancer at about the same time, not one after the other, and keep-alive clients
// hold connections open to this process. Closing at once resets them: a request sent on an idle
// keep-alive connection as the server closes it gets a TCP reset, not an answer. So while
// draining the service keeps listening and serving every request (new connections too),
// readiness answers 503 (routes/health.ts) so the balancer stops sending new clients, and every
// response carries `Connection: close`, so each keep-alive client gets its answer and then
// reconnects, to another replica. server.ts closes the app when the drain period is over.
//
// Closing the listener resets every connection the kernel has accepted that the process has not
// yet taken from the listen backlog, and a client that reconnected a moment earlier has sent its
// request on one: it gets a reset, not an answer (15 of 16 reconnecting clients in a test). So at
// the end of the period the service first holds the requests that arrive (their clients wait,
// rather than reconnect again), goes on accepting until no connection has arrived for QUIET_MS
// (at most quietMaxMs), closes the listener with the backlog empty, then answers the held
// requests with `Connection: close`. A client reconnecting after that is refused before it sends
// anything.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface DrainOptions {
  /** How long drain() keeps the service serving before it starts closing the listener. */
  drainMs: number
  /** Longest the close of the listener waits for new connections to stop arriving. */
  quietMaxMs: number
}

/** No new connection for this long: nobody is reconnecting, the backlog is empty. */
export const QUIET_MS = 100

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the first drain() on: readiness answers 503 and every response closes its connection. */
    readonly draining: boolean
    /** Starts draining; resolves when the drain period is over and the listener closed (or the app closes). Later calls return the same promise. */
    drain(): Promise<void>
  }
}

export default fp<DrainOptions>(
  async function drain(app: FastifyInstance, opts: DrainOptions) {
    let drained: Promise<void> | undefined
    let timer: NodeJS.Timeout | undefined
    let finish: (() => void) | undefined
    /** From the end of the drain period until the listener is closed: the requests waiting. */
    let held: (() => void)[] | undefined
    let lastConnection = 0
    const connected = (): void => {
      lastConnection = performance.now()
    }

    function release(): void {
      const waiting = held ?? []
      held = undefined
      for (const done of waiting) done()
    }

    /** Waits for QUIET_MS without a new connection (at most quietMaxMs), then closes the listener. */
    function closeListener(resolve: () => void): void {
      held = []
      const started = performance.now()
      const close = (quiet: boolean): void => {
        // Closing twice is harmless: Fastify's own close later gets ERR_SERVER_NOT_RUNNING, which it expects.
        if (app.server.listening) app.server.close()
        app.server.off('connection', connected)
        app.log.info({ heldRequests: held?.length ?? 0, quiet }, 'drain period over: listener closed')
        release()
        resolve()
      }
      const check = (): void => {
        const now = performance.now()
        const quietFor = now - lastConnection
        if (now - started >= opts.quietMaxMs) return close(quietFor >= QUIET_MS)
        if (quietFor < QUIET_MS) {
          timer = setTimeout(check, QUIET_MS - quietFor)
          return
        }
        // A timer says nothing of the backlog if the event loop was busy: connections may be
        // waiting there. setImmediate runs after the loop's next poll, which accepts them.
        const seen = lastConnection
        setImmediate(() => (lastConnection === seen ? close(true) : check()))
      }
      check()
    }

    app.decorate('draining', {
      getter: () => drained !== undefined
    })
    app.decorate('drain', (): Promise<void> => {
      drained ??= new Promise<void>((resolve) => {
        app.log.info({ drainMs: opts.drainMs }, 'draining: readiness 503, every response closes its connection')
        finish = resolve
        lastConnection = performance.now()
        app.server.on('connection', connected)
        timer = setTimeout(() => closeListener(resolve), opts.drainMs)
      })
      return drained
    })

    // Between the end of the drain period and the close of the listener, requests wait here.
    app.addHook('onRequest', (_request, _reply, done) => {
      if (held === undefined) done()
      else held.push(done)
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
      release()
      finish?.()
      done()
    })
  },
  { name: 'drain' }
)
