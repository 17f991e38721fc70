// Decision records on the embedded store (SQLite under DATA_DIR): the shared suite, and what only
// a file on disk shows: records survive a restart and the chain continues.
import { testSigner } from './helpers/chain-signer.js'
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDecisionStore, type DecisionStore } from '../src/store/records.js'
import { openSqlite } from '../src/store/sqlite.js'
import { testApp } from './helpers/app.js'
import { legacyUpgradeTests } from './helpers/legacy-upgrade.js'
import { API_KEYS, HACKNEY, SOCIAL_CARE, decisionSuite } from './helpers/decision-suite.js'

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

legacyUpgradeTests(t, 'embedded', async () => openSqlite(mkdtempSync(join(tmpdir(), 'decisions-'))))
