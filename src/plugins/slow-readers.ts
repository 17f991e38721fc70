// Slow readers: a client that sends requests and never reads the answers must not pin memory.
// Once the kernel's socket buffers are full (on a real network they hold some 100-200 KB; a
// batch answer is up to 4.9 MB) an answer waits in the process until the client reads it or the
// socket is destroyed. What bounds that memory:
// - the connection cap (MAX_CONNECTIONS), set here: Node closes a connection over it at once;
// - each waiting answer costs its size once, and each connection holds at most one (below);
// - the idle timeout (CONNECTION_TIMEOUT_MS, src/app.ts) destroys a socket whose client has
//   stopped reading, which frees the answer;
// - load shedding (MAX_RSS_BYTES, plugins/load-shedding.ts) refuses new work while memory is high.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Socket } from 'node:net'
import { Gauge } from 'prom-client'

export interface SlowReaderOptions {
  maxConnections: number
}

/**
 * A string answer larger than this is handed to Node as a Buffer. Node keeps a string answer
 * twice while it waits to be written: the string itself (two bytes a character once any
 * character is outside Latin-1) and the UTF-8 copy it writes from. As one Buffer it costs its
 * size once: with 40 clients not reading a batch answer (test/slow-readers.e2e.test.ts) the server
 * measured 443 MiB of RSS with strings and 240-250 MiB with Buffers (with 2.5 MB answers; 350-367
 * MiB since the largest is 4.9 MB). Smaller answers (a single report is 17-49 KB) fit in the
 * kernel's buffers and are left alone.
 */
export const LARGE_ANSWER_BYTES = 65536

export default fp<SlowReaderOptions>(
  async function slowReaders(app: FastifyInstance, opts: SlowReaderOptions) {
    app.server.maxConnections = opts.maxConnections
    // What the process holds for clients that have not read their answers: the bytes each open
    // socket has been given and not yet handed to the kernel, summed when /metrics is scraped.
    const sockets = new Set<Socket>()
    app.server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    })
    app.metrics.registry.registerMetric(
      new Gauge({
        name: 'pra_unsent_response_bytes',
        help: 'Bytes of answers the process holds because their clients have not read them yet (each connection holds at most one answer)',
        registers: [],
        collect() {
          let bytes = 0
          for (const socket of sockets) bytes += socket.writableLength
          this.set(bytes)
        }
      })
    )
    // Node closes the socket without an answer; the log says why.
    app.server.on('drop', (data) => {
      app.log.warn(
        { remoteAddress: data?.remoteAddress, maxConnections: opts.maxConnections },
        'connection refused: MAX_CONNECTIONS open connections'
      )
    })

    // HTTP/1.1 pipelining: Node parses requests that arrive behind an unfinished answer and
    // their handlers would run at once, so a client that never reads could make the process
    // hold several answers (3 per connection measured, 443 MiB for the test's 40 clients). A
    // request queued behind an unfinished answer has no socket yet (inject gives every reply
    // one); it is handled once the answer before it has left the process. Meanwhile Node stops
    // reading its body, and with it the socket.
    app.addHook('onRequest', (_request, reply, done) => {
      if (reply.raw.socket !== null) return done()
      reply.raw.once('socket', () => done())
    })

    app.addHook('onSend', (_request, _reply, payload, done) => {
      done(null, typeof payload === 'string' && payload.length > LARGE_ANSWER_BYTES ? Buffer.from(payload) : payload)
    })
  },
  { name: 'slow-readers', dependencies: ['metrics'] }
)
