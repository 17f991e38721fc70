// Decision records against real processes over real sockets: a record answered 201 survives
// kill -9 of the process at any moment, and no half-written record is ever visible; on
// PostgreSQL two replicas share one chain per client, and a replica killed mid-write loses
// nothing it acknowledged.
import t, { type Test } from 'tap'
import { TEST_CHAIN_KEYS } from './helpers/chain-signer.js'
import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { privateSchema, urlWithSchema } from './helpers/postgres.js'
import { recomputedHash, SOCIAL_CARE } from './helpers/decision-suite.js'

const KEY = 'e2e-key-0123456789abcdef'
const API_KEYS = `lb-e2e:sha256:${createHash('sha256').update(KEY).digest('hex')}`
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
const body = JSON.stringify({ profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'CDO', role: 'cio-cdo' } })

/** Posts decisions `inFlight` at a time until stopped; returns the records answered 201. */
function writer(servers: () => ServerProcess[], inFlight: number) {
  const acknowledged: Record<string, unknown>[] = []
  const answeredBy: ServerProcess[] = []
  const state = { stopped: false }
  let n = 0
  const lane = async () => {
    while (!state.stopped) {
      const all = servers()
      const server = all[n++ % all.length] as ServerProcess
      try {
        const res = await fetch(`${server.url}/v1/decisions`, { method: 'POST', headers, body })
        if (res.status === 201) {
          acknowledged.push((await res.json()) as Record<string, unknown>)
          answeredBy.push(server)
        }
      } catch {
        // The process was killed under this request: no answer, so nothing was promised.
      }
    }
  }
  const lanes = Array.from({ length: inFlight }, lane)
  return {
    acknowledged,
    answeredBy,
    stop: async () => {
      state.stopped = true
      await Promise.all(lanes)
    }
  }
}

async function checkEverything(t: Test, server: ServerProcess, acknowledged: Record<string, unknown>[]) {
  for (const record of acknowledged) {
    const res = await fetch(`${server.url}/v1/decisions/${record.id as string}`, { headers })
    t.equal(res.status, 200, `acknowledged record ${record.id as string} is there`)
    const stored = (await res.json()) as Record<string, unknown>
    if (stored.contentHash !== record.contentHash) t.fail(`record ${record.id as string} changed`)
    if (recomputedHash(stored) !== stored.contentHash) t.fail(`record ${record.id as string} does not hash to its contentHash`)
  }
  const chain = (await (await fetch(`${server.url}/v1/decisions/chain`, { headers })).json()) as { valid: boolean; records: number }
  t.equal(chain.valid, true, 'the chain verifies: no half-written or missing record')
  t.ok(chain.records >= acknowledged.length, `every acknowledged record is in the chain (${chain.records} >= ${acknowledged.length})`)
}

t.test('embedded store: kill -9 while writing loses no acknowledged record', async (t) => {
  const DATA_DIR = mkdtempSync(join(tmpdir(), 'advisor-kill-'))
  const first = await startServer({ API_KEYS, DATA_DIR })
  const w = writer(() => [first], 4)
  // Let writes pile up, then kill at an arbitrary moment in the middle of them.
  while (w.acknowledged.length < 15) await new Promise((resolve) => setTimeout(resolve, 20))
  first.child.kill('SIGKILL')
  await first.exited
  await w.stop()
  t.ok(w.acknowledged.length >= 15)
  const second = await startServer({ API_KEYS, DATA_DIR })
  t.teardown(() => {
    second.child.kill('SIGKILL')
  })
  await checkEverything(t, second, w.acknowledged)
  const next = await fetch(`${second.url}/v1/decisions`, { method: 'POST', headers, body })
  t.equal(next.status, 201, 'the restarted process writes on: the killed process left no lock behind')
})

t.test('PostgreSQL: two replicas share the records and the chain; one killed mid-write loses nothing', async (t) => {
  const schema = await privateSchema(t)
  if (schema === undefined) return
  const env = { API_KEYS, DATABASE_URL: urlWithSchema(schema), CHAIN_KEYS: TEST_CHAIN_KEYS }
  const a = await startServer(env)
  const b = await startServer(env)
  const live = [a, b]
  const w = writer(() => live, 6)
  while (w.acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 20))
  a.child.kill('SIGKILL')
  live.splice(0, 1)
  await a.exited
  while (w.acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 20))
  await w.stop()
  t.teardown(() => {
    b.child.kill('SIGKILL')
  })
  await checkEverything(t, b, w.acknowledged)
  t.ok(
    w.answeredBy.some((s) => s === a),
    'replica A acknowledged records before it was killed, and B serves them'
  )
  t.ok(
    w.answeredBy.some((s) => s === b),
    'both replicas wrote into the one chain'
  )
})
