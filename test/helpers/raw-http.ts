// HTTP/1.1 over a raw TCP socket: the request line is sent exactly as written (no client
// normalises the path), and the answer is read until the server closes the connection, or, on a
// keep-alive connection, by its Content-Length with the connection left open.
import { once } from 'node:events'
import { connect } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  /** The body as sent (chunked transfer coding removed). */
  body: Buffer
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = data.indexOf('\r\n', at)
    if (eol === -1) break
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16)
    if (!(size > 0)) break
    parts.push(data.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** The status line and headers at the start of `data`, or undefined while they are incomplete. */
function parseHead(data: Buffer): { status: number; headers: Record<string, string>; end: number } | undefined {
  const end = data.indexOf('\r\n\r\n')
  const match = /^HTTP\/1\.1 (\d{3})/.exec(data.subarray(0, Math.max(end, 0)).toString('latin1'))
  if (end === -1 || !match) return undefined
  const headers: Record<string, string> = {}
  for (const line of data.subarray(0, end).toString('latin1').split('\r\n').slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(match[1]), headers, end }
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body`; adds Connection:
 * close and Content-Length (none when `body` is null: a request without a body).
 */
export function rawRequest(port: number, head: string, body: string | Buffer | null = '', timeoutMs = 30000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete answer within ${timeoutMs} ms to: ${head.split('\r\n')[0]}`))
    }, timeoutMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const data = Buffer.concat(chunks)
      const parsed = parseHead(data)
      if (!parsed) {
        return reject(
          new Error(`no HTTP answer to: ${head.split('\r\n')[0]} (got ${JSON.stringify(data.subarray(0, 200).toString('latin1'))})`)
        )
      }
      const raw = data.subarray(parsed.end + 4)
      resolve({
        status: parsed.status,
        headers: parsed.headers,
        body: parsed.headers['transfer-encoding'] === 'chunked' ? dechunk(raw) : raw
      })
    })
    const payload = typeof body === 'string' ? Buffer.from(body) : body
    // No half-close: Node's HTTP server aborts a request whose client ends its side early, so
    // the socket stays open until the server closes it (Connection: close).
    socket.write(`${head}\r\nConnection: close\r\n${payload === null ? '' : `Content-Length: ${payload.length}\r\n`}\r\n`)
    if (payload !== null) socket.write(payload)
  })
}

export interface KeepAliveConnection {
  /**
   * Sends `head` (request line and headers, without the blank line; Content-Length is added) and
   * `body`, and resolves with the answer, read by its Content-Length; the connection stays open.
   * Rejects when the server closes the connection first, or after `timeoutMs`.
   */
  request(head: string, body?: string | Buffer, timeoutMs?: number): Promise<RawResponse>
  /** Whether the server has closed the connection. */
  readonly closed: boolean
  close(): void
}

/** One persistent HTTP/1.1 connection, for one request at a time (no pipelining). */
export async function keepAliveConnection(port: number): Promise<KeepAliveConnection> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let buffered = Buffer.alloc(0)
  let closed = false
  let pending: { settle: (err: Error | undefined, res?: RawResponse) => void; what: string } | undefined
  const answer = (): RawResponse | undefined => {
    const head = parseHead(buffered)
    if (!head) return undefined
    const length = Number(head.headers['content-length'] ?? NaN)
    if (!Number.isSafeInteger(length)) throw new Error(`an answer without Content-Length: ${JSON.stringify(head.headers)}`)
    if (buffered.length < head.end + 4 + length) return undefined
    const body = buffered.subarray(head.end + 4, head.end + 4 + length)
    buffered = buffered.subarray(head.end + 4 + length)
    return { status: head.status, headers: head.headers, body }
  }
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    if (!pending) return
    try {
      const res = answer()
      if (res) pending.settle(undefined, res)
    } catch (err) {
      pending.settle(err as Error)
    }
  })
  // A reset is followed by 'close', which fails the request in flight.
  socket.on('error', () => undefined)
  socket.on('close', () => {
    closed = true
    pending?.settle(new Error(`the server closed the connection without a complete answer to: ${pending.what}`))
  })
  return {
    get closed() {
      return closed
    },
    close: () => socket.destroy(),
    request(head, body = '', timeoutMs = 30000) {
      const what = head.split('\r\n')[0] ?? head
      if (closed) return Promise.reject(new Error(`the connection is closed; not sent: ${what}`))
      if (pending) return Promise.reject(new Error(`one request at a time; not sent: ${what}`))
      return new Promise<RawResponse>((resolve, reject) => {
        const timer = setTimeout(() => pending?.settle(new Error(`no complete answer within ${timeoutMs} ms to: ${what}`)), timeoutMs)
        pending = {
          what,
          settle: (err, res) => {
            clearTimeout(timer)
            pending = undefined
            if (err) reject(err)
            else resolve(res as RawResponse)
          }
        }
        const payload = typeof body === 'string' ? Buffer.from(body) : body
        socket.write(`${head}\r\nContent-Length: ${payload.length}\r\n\r\n`)
        socket.write(payload)
      })
    }
  }
}
