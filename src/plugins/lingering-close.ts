// Lingering close: a client still sending its body gets the answer sent before the rest is read.
// When an answer comes before the request body is all in (413 for a body over the limit, and any
// error found before the body is read) and the connection is to close, Node ends the socket and
// destroys it once the answer is written. Closing a socket whose peer is still sending makes the
// kernel answer the next bytes with a reset, and a reset can reach the client before it reads
// the answer: it sees EPIPE or ECONNRESET instead of the 413 (about one fetch client in seven
// sending 3 MB). As nginx does (lingering_close), the service sends the answer and its FIN, then
// reads and discards the rest of the body, up to LINGER_MAX_BYTES and for at most
// REQUEST_TIMEOUT_MS; past either bound it closes anyway, so an endless body is still cut off.
import type { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface LingeringCloseOptions {
  /** Most body bytes read and discarded after the answer; 0: close at once. */
  maxBytes: number
  /** Longest the socket lingers. */
  maxMs: number
}

/** Ends `socket` after its answer, reading and discarding the rest of `request`'s body within the bounds. */
function lingeringClose(socket: Socket, request: IncomingMessage, opts: LingeringCloseOptions): void {
  // Nothing left to read (the body was all in): the usual close.
  if (request.complete) return Socket.prototype.destroySoon.call(socket)
  socket.end()
  let discarded = 0
  const close = (): void => {
    clearTimeout(timer)
    socket.destroy()
  }
  const timer = setTimeout(close, opts.maxMs)
  // Node has already set the request flowing with no reader (its body is dumped); count it.
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > opts.maxBytes) close()
  })
  // The whole body read: closing now leaves nothing unread, so no reset.
  request.once('end', close)
  socket.once('close', () => clearTimeout(timer))
}

export default fp<LingeringCloseOptions>(
  async function lingering(app: FastifyInstance, opts: LingeringCloseOptions) {
    if (opts.maxBytes === 0) return
    // Node closes a connection after its last answer with socket.destroySoon() (FIN, then destroy
    // once written). For an answer sent before its request's body is in, that call lingers
    // instead; on a connection kept alive it is never called, and Node reads the body as usual.
    app.addHook('onSend', (request, _reply, payload, done) => {
      const raw = request.raw
      const socket = raw.socket as Socket | null
      if (!raw.complete && socket !== null) socket.destroySoon = () => lingeringClose(socket, raw, opts)
      done(null, payload)
    })
  },
  { name: 'lingering-close' }
)
