// POST /v1/recommendations/batch over real sockets against the real server process: a batch of
// 100 is answered in one body with its Content-Length (not chunked), and clients that disconnect
// while their batch is evaluated crash nothing and leave nothing behind. Nothing here asserts
// how long anything took.
import t from 'tap'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { MAX_BATCH } from '../schemas/batch.js'
import { PROFILE_EXAMPLE, type ProcurementProfile } from '../schemas/profile.js'
import { startServer } from './helpers/server-process.js'
import { rawRequest } from './helpers/raw-http.js'

const profiles: ProcurementProfile[] = Array.from({ length: MAX_BATCH }, (_, i) => ({
  ...PROFILE_EXAMPLE,
  reference: `LBX-2026-${String(i).padStart(3, '0')}`,
  contract: { ...PROFILE_EXAMPLE.contract, estimatedValue: 20000 + i * 37000 }
}))
const body = JSON.stringify({ profiles })
const head = 'POST /v1/recommendations/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json'

t.test('a batch of 100 over a socket: one body with its Content-Length, the same bytes every time', async (t) => {
  const server = await startServer()
  t.teardown(() => server.child.kill('SIGKILL'))
  const first = await rawRequest(server.port, head, body)
  t.equal(first.status, 200)
  t.equal(first.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(first.headers['transfer-encoding'], undefined, 'not chunked')
  t.equal(first.headers['content-length'], String(first.body.length), 'Content-Length is the body')
  const { results } = JSON.parse(first.body.toString('utf8')) as {
    results: { index: number; status: number; report: { reference: string } }[]
  }
  t.same(
    results.map((r) => [r.index, r.status, r.report.reference]),
    profiles.map((p, i) => [i, 200, p.reference])
  )
  const text = first.body.toString('utf8')
  t.equal(text, JSON.stringify({ results }), 'compact JSON, no byte outside it')
  const second = await rawRequest(server.port, head, body)
  const clockApart = (json: string) => json.replace(/"generatedAt":"[^"]+"/g, '"generatedAt":""')
  t.equal(clockApart(second.body.toString('utf8')), clockApart(text), 'byte-identical with the same profiles (the clock apart)')
})

t.test('clients that disconnect while their batch is evaluated: the server stays up and serves the next ones', async (t) => {
  const server = await startServer()
  t.teardown(() => server.child.kill('SIGKILL'))
  const request = Buffer.from(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  // Gone after the request was sent in full, at several points of the evaluation and of the write.
  for (const afterMs of [0, 2, 5, 10, 20, 40]) {
    const socket = connect(server.port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise((resolve) => socket.write(request, resolve))
    await sleep(afterMs)
    socket.destroy()
  }
  const after = await rawRequest(server.port, head, body)
  t.equal(after.status, 200, 'a batch sent after them is answered')
  t.equal(after.body.length, Number(after.headers['content-length']), 'in full')
  const live = await rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: x')
  t.equal(live.status, 200)
  t.equal(server.child.exitCode, null, 'the process is running')
  const lines = server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url?: string } })
  t.same(
    lines.filter((l) => l.level >= 50),
    [],
    'no error logged'
  )
})
