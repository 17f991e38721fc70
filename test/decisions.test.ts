// Decision records on the embedded store (SQLite under DATA_DIR): the shared suite, and what only
// a file on disk shows: records survive a restart and the chain continues.
import { testSigner } from './helpers/chain-signer.js'
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import * as jcs from 'canonicalize'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { contentHashOf, openDecisionStore, type DecisionStore } from '../src/store/records.js'
import { openSqlite } from '../src/store/sqlite.js'
import { testApp } from './helpers/app.js'
import { API_KEYS, HACKNEY, SOCIAL_CARE, decisionSuite } from './helpers/decision-suite.js'

const canonicalize = jcs.default as unknown as (input: unknown) => string

decisionSuite(t, 'embedded', async (options = {}) => {
  const sql = openSqlite(mkdtempSync(join(tmpdir(), 'decisions-')))
  return { store: await openDecisionStore(sql, { signer: testSigner(), ...options }), sql }
})

t.test('embedded: records survive closing and reopening the store, and the chain continues', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'decisions-'))
  const first = await testApp({ API_KEYS }, { store: await openDecisionStore(openSqlite(dir), { signer: testSigner() }) })
  const payload = { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'CDO', role: 'cio-cdo' } }
  const headers = { authorization: `Bearer ${HACKNEY}` }
  const written = (await first.inject({ method: 'POST', url: '/v1/decisions', headers, payload })).json()
  await first.close()
  await first.decisionStore?.close()
  const second = await testApp({ API_KEYS }, { store: await openDecisionStore(openSqlite(dir), { signer: testSigner() }) })
  t.teardown(async () => {
    await second.close()
    await second.decisionStore?.close()
  })
  const { receipt: _receipt, ...asStored } = written
  t.same((await second.inject({ url: `/v1/decisions/${written.id}`, headers })).json(), asStored)
  const next = (await second.inject({ method: 'POST', url: '/v1/decisions', headers, payload })).json()
  t.equal(next.previousHash, written.contentHash)
})

t.test('embedded: a second live process on the same DATA_DIR is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'decisions-'))
  const other = spawn('sleep', ['30'])
  t.teardown(() => {
    other.kill()
  })
  writeFileSync(join(dir, 'decisions.pid'), String(other.pid))
  t.throws(() => openSqlite(dir), { name: 'StoreLockedError', message: /is in use by process \d+: the embedded store serves one process/ })
  // The PID file of a process that is gone (kill -9) is taken over, with the lock it left behind.
  other.kill('SIGKILL')
  await new Promise((resolve) => other.once('exit', resolve))
  mkdirSync(join(dir, 'decisions.sqlite.lock'))
  const sql = openSqlite(dir)
  t.same(await sql.query('SELECT 1 AS ok'), [{ ok: 1 }])
  await sql.close()
})

t.test('readiness: a store that fails or hangs is reported unavailable, and readiness stays 200 and answers in time', async (t) => {
  const failing = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' })
  const pings: Record<string, () => Promise<void>> = {
    'failed (ECONNREFUSED)': () => Promise.reject(failing),
    'did not answer within 1000 ms': () => new Promise<void>(() => undefined)
  }
  for (const [detail, ping] of Object.entries(pings)) {
    const store = { engine: 'postgresql', ping, close: async () => undefined } as unknown as DecisionStore
    const app = await testApp({}, { store })
    const started = performance.now()
    const res = await app.inject('/health/ready')
    const ms = performance.now() - started
    t.equal(res.statusCode, 200, detail)
    t.same(res.json().checks, { decisionStore: { status: 'unavailable', engine: 'postgresql', detail } }, 'no host in the detail')
    t.ok(ms < 3000, `answered in ${Math.round(ms)} ms`)
    await app.close()
  }
})

t.test('embedded: records of 1.1 (unsigned) are signed by the upgrade, and their chain still verifies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'decisions-'))
  const sql = openSqlite(dir)
  await sql.exec(readFileSync(new URL('../src/store/migrations/001_decision_records.sql', import.meta.url), 'utf8'))
  await sql.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  await sql.query("INSERT INTO schema_migrations VALUES (1, '001_decision_records.sql', '2026-11-01T00:00:00.000Z')")
  // Two records as 1.1 wrote them: hash-chained, no signature.
  let previousHash: string | null = null
  const ids: string[] = []
  for (let seq = 1; seq <= 2; seq++) {
    const id = `00000000-0000-4000-8000-00000000000${seq}`
    const unsigned: Record<string, unknown> = {
      id,
      createdAt: '2026-11-20T09:00:00.000Z',
      client: 'lb-hackney',
      rulesetVersion: '2026.11.0',
      procedureId: 'light-touch',
      rank: 1,
      decidedBy: { name: 'CDO', role: 'cio-cdo' },
      profile: SOCIAL_CARE,
      report: {},
      previousHash
    }
    const record = { ...unsigned, contentHash: contentHashOf(unsigned as never) as string }
    await sql.query(
      'INSERT INTO decision_records (id, tenant, seq, created_at, reference, procedure_id, content_hash, previous_hash, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [id, 'lb-hackney', seq, '2026-11-20T09:00:00.000Z', null, 'light-touch', record.contentHash, previousHash, canonicalize(record)]
    )
    previousHash = record.contentHash
    ids.push(id)
  }
  const store = await openDecisionStore(sql, { signer: testSigner() })
  t.teardown(() => store.close())
  const verification = await store.verify('lb-hackney')
  t.same([verification.valid, verification.records, verification.headHash, verification.keyId], [true, 2, previousHash, 'test-2026'])
  t.equal((await store.get('lb-hackney', ids[0]!))?.record.procedureId, 'light-touch')
  t.same(await sql.query("SELECT name FROM sqlite_master WHERE name = 'decision_records'"), [], 'the old table is gone')
})
