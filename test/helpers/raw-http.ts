// HTTP/1.1 over a raw TCP socket: the request line is sent exactly as written (no client
// normalises the path), and the answer is read until the server closes the connection.
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
      const end = data.indexOf('\r\n\r\n')
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data.subarray(0, Math.max(end, 0)).toString('latin1'))
      if (end === -1 || !match) {
        return reject(
          new Error(`no HTTP answer to: ${head.split('\r\n')[0]} (got ${JSON.stringify(data.subarray(0, 200).toString('latin1'))})`)
        )
      }
      const headers: Record<string, string> = {}
      for (const line of data.subarray(0, end).toString('latin1').split('\r\n').slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const raw = data.subarray(end + 4)
      resolve({ status: Number(match[1]), headers, body: headers['transfer-encoding'] === 'chunked' ? dechunk(raw) : raw })
    })
    const payload = typeof body === 'string' ? Buffer.from(body) : body
    // No half-close: Node's HTTP server aborts a request whose client ends its side early, so
    // the socket stays open until the server closes it (Connection: close).
    socket.write(`${head}\r\nConnection: close\r\n${payload === null ? '' : `Content-Length: ${payload.length}\r\n`}\r\n`)
    if (payload !== null) socket.write(payload)
  })
}
