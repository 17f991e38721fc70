// The database goes down under a running service and comes back: /v1/decisions answers 503
// PRA_ERR_STORE_UNAVAILABLE with Retry-After at once (it does not hang), recommendations and plans
// keep answering 200, readiness stays 200 and reports the store unavailable; when PostgreSQL is
// back the service reconnects by itself, with every earlier record and its chain intact. Then the
// database hangs (every process of it stopped): the client still gets its 503 on its keep-alive
// connection, from the store's deadline (DATABASE_TIMEOUT_MS), before the connection timeout closes
// the socket; once the database resumes the same pool writes again. The database is a private
// server of this test (test/helpers/private-postgres.ts), never the shared one.
import t from 'tap'
import { TEST_CHAIN_KEYS } from './helpers/chain-signer.js'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { startServer } from './helpers/server-process.js'
import { privatePostgres } from './helpers/private-postgres.js'
import { keepAliveConnection, type KeepAliveConnection, type RawResponse } from './helpers/raw-http.js'
import { SOCIAL_CARE } from './helpers/decision-suite.js'

const KEY = 'outage-key-0123456789abcdef'
const API_KEYS = `lb-outage:sha256:${createHash('sha256').update(KEY).digest('hex')}`
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
const DECISION = JSON.stringify({ profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'CDO', role: 'cio-cdo' } })
const PLAN = JSON.stringify({ profile: SOCIAL_CARE, procedureId: 'light-touch' })
/** Well above a refused connection (immediate) and below the pool's 3 s connect timeout plus slack. */
const QUICK_MS = 4000
/** CONNECTION_TIMEOUT_MS's default, which the server runs with: the socket closes after this idle. */
const CONNECTION_TIMEOUT_MS = 15_000

const db = await privatePostgres(t)
if (db !== undefined) {
  const server = await startServer({ API_KEYS, DATABASE_URL: db.url, CHAIN_KEYS: TEST_CHAIN_KEYS, SHED_RETRY_AFTER_S: '7' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const call = async (method: string, path: string, body?: string) => {
    const started = performance.now()
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) })
    return { res, json: (await res.json()) as Record<string, unknown>, ms: performance.now() - started }
  }
  const ready = async () => (await call('GET', '/health/ready')).json as { checks: { decisionStore: Record<string, string> } }

  let first: Record<string, unknown> = {}
  t.test('with the database up: a record is written, readiness says the store is up', async (t) => {
    const written = await call('POST', '/v1/decisions', DECISION)
    t.equal(written.res.status, 201)
    first = written.json
    t.same((await ready()).checks, { decisionStore: { status: 'up', engine: 'postgresql' } })
  })

  t.test('database down: 503 with Retry-After at once on /v1/decisions; everything else works', async (t) => {
    db.stop()
    for (const [method, path, body] of [
      ['POST', '/v1/decisions', DECISION],
      ['GET', '/v1/decisions'],
      ['GET', `/v1/decisions/${first.id as string}`],
      ['GET', '/v1/decisions/chain']
    ] as const) {
      const { res, json, ms } = await call(method, path, body)
      t.equal(res.status, 503, `${method} ${path}: 503`)
      t.equal(res.headers.get('retry-after'), '7', `${method} ${path}: Retry-After`)
      t.match(res.headers.get('content-type'), /^application\/problem\+json/)
      t.equal(json.code, 'PRA_ERR_STORE_UNAVAILABLE')
      t.equal(json.status, 503)
      t.ok(ms < QUICK_MS, `${method} ${path} answered in ${Math.round(ms)} ms (< ${QUICK_MS} ms): it does not hang`)
    }
    const recommendation = await call('POST', '/v1/recommendations', JSON.stringify(SOCIAL_CARE))
    t.equal(recommendation.res.status, 200, 'recommendations keep working')
    t.equal((recommendation.json.recommendations as { procedureId: string }[])[0]?.procedureId, 'light-touch')
    const plan = await call('POST', '/v1/plans', PLAN)
    t.equal(plan.res.status, 200, 'plans keep working')
    t.ok(Array.isArray(plan.json.milestones) && (plan.json.milestones as unknown[]).length > 0, 'with milestones')

    const readiness = await call('GET', '/health/ready')
    t.equal(readiness.res.status, 200, 'readiness does not fail on the database')
    t.ok(readiness.ms < QUICK_MS, `readiness answered in ${Math.round(readiness.ms)} ms`)
    t.match(readiness.json, {
      status: 'ok',
      checks: { decisionStore: { status: 'unavailable', engine: 'postgresql', detail: /^(failed \(\w+\)|did not answer within \d+ ms)$/ } }
    })
    t.equal((await fetch(`${server.url}/health/live`)).status, 200, 'liveness stays 200: no restart for a database outage')

    // The log line of each failure names the request and the client, so an operator can find it.
    const failures = server
      .output()
      .split('\n')
      .filter((line) => line.includes('"decision store did not answer"'))
      .map((line) => JSON.parse(line) as { reqId?: string; client?: string; level: number; err?: { message?: string } })
    t.equal(failures.length, 4, 'one error line for each of the 4 requests')
    for (const line of failures) {
      t.match(line, { level: 50, client: 'lb-outage', reqId: /^.+$/ }, 'with the request id and the client')
    }
  })

  t.test('database back: the service reconnects by itself; the earlier record and the chain are intact', async (t) => {
    db.start()
    // No restart, no signal: the next requests open new connections.
    const deadline = Date.now() + 15_000
    while ((await ready()).checks.decisionStore.status !== 'up' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    t.same((await ready()).checks, { decisionStore: { status: 'up', engine: 'postgresql' } })
    const next = await call('POST', '/v1/decisions', DECISION)
    t.equal(next.res.status, 201, 'a new record is written')
    t.equal(next.json.previousHash, first.contentHash, 'and continues the chain')
    const earlier = await call('GET', `/v1/decisions/${first.id as string}`)
    t.equal(earlier.res.status, 200)
    const { receipt: _receipt, ...asStored } = first
    t.same(earlier.json, asStored, 'the record written before the outage, unchanged')
    const chain = await call('GET', '/v1/decisions/chain')
    t.match(chain.json, { client: 'lb-outage', records: 2, valid: true, seq: 2, headHash: next.json.contentHash })
    t.equal(server.child.exitCode, null, 'the process never exited')
  })
  // Without a deadline of its own, a transaction waits on a hung server longer than the idle
  // socket lives (CONNECTION_TIMEOUT_MS), and the client gets no answer at all.
  let connection: KeepAliveConnection | undefined
  t.teardown(() => connection?.close())
  const head = (method: string, path: string) =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json`
  /** Waits past the connection timeout, so a server that never answers fails the test, not tap's timeout. */
  const send = (method: string, path: string, body?: string): Promise<RawResponse> =>
    (connection as KeepAliveConnection).request(head(method, path), body, CONNECTION_TIMEOUT_MS + 10_000)
  let headBefore: unknown
  t.test('database hangs: 503 with Retry-After on the same keep-alive connection, which stays open', async (t) => {
    headBefore = (await call('GET', '/v1/decisions/chain')).json.headHash
    connection = await keepAliveConnection(server.port)
    db.freeze()
    for (const [method, path, body] of [
      ['POST', '/v1/decisions', DECISION],
      ['GET', '/v1/decisions']
    ] as const) {
      const res = await send(method, path, body)
      t.equal(res.status, 503, `${method} ${path}: 503`)
      t.equal(res.headers['retry-after'], '7', `${method} ${path}: Retry-After`)
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      t.match(JSON.parse(res.body.toString('utf8')), { status: 503, code: 'PRA_ERR_STORE_UNAVAILABLE' })
      t.equal(res.headers.connection, 'keep-alive', `${method} ${path}: the server keeps the connection`)
      t.equal(connection.closed, false, `${method} ${path}: the connection is still open`)
    }
    const readiness = await call('GET', '/health/ready')
    t.equal(readiness.res.status, 200, 'readiness does not fail on the database')
    t.same(
      readiness.json.checks,
      { decisionStore: { status: 'unavailable', engine: 'postgresql', detail: 'did not answer within 1000 ms' } },
      'and reports it after its own 1 s'
    )
  })

  t.test('database resumed: the same pool writes again, no restart; nothing was written meanwhile', async (t) => {
    db.thaw()
    const next = await send('POST', '/v1/decisions', DECISION)
    t.equal(next.status, 201, 'a new record, on the same connection')
    const record = JSON.parse(next.body.toString('utf8')) as Record<string, unknown>
    t.equal(record.previousHash, headBefore, 'continuing the chain from its head before the hang')
    const chain = await call('GET', '/v1/decisions/chain')
    t.match(chain.json, { client: 'lb-outage', records: 3, seq: 3, valid: true, headHash: record.contentHash })
    t.equal(server.child.exitCode, null, 'the process never exited')
  })
}
