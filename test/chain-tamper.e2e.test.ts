// The decision chain attacked as issue 25 found it open, over real sockets against real server
// processes, on both stores: someone with write access to the database (not the service's key)
// forges, rewrites, removes and corrupts rows, and a client sends cursors the store cannot hold.
// Nothing forged is served as genuine, every fault is named, and the other records stay readable.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as jcs from 'canonicalize'
import pg from 'pg'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { privateSchema, urlWithSchema, TEST_DATABASE_URL } from './helpers/postgres.js'
import { recomputedHash, SOCIAL_CARE } from './helpers/decision-suite.js'
import { TEST_CHAIN_KEYS } from './helpers/chain-signer.js'
import { openSqlite } from '../src/store/sqlite.js'

const canonicalize = jcs.default as unknown as (input: unknown) => string
const KEY = 'tamper-key-0123456789abcdef'
const API_KEYS = `lb-tamper:sha256:${createHash('sha256').update(KEY).digest('hex')}`
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
const SIGNATURE_PROBLEM = 'the signature does not match the entry: it was not written here by this service, or it was altered'
const INSERT =
  'INSERT INTO chain_entries (tenant, seq, kind, id, created_at, reference, procedure_id, content_hash, previous_hash, signature, ' +
  'key_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)'

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>

interface Engine {
  name: string
  start(): Promise<ServerProcess>
  /** Runs `work` on the database as an administrator would (the embedded store: with the service stopped). */
  tamper(server: ServerProcess, work: (query: Query) => Promise<void>): Promise<ServerProcess>
}

async function attack(t: Test, engine: Engine) {
  let server = await engine.start()
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }
  const records: { id: string; contentHash: string; receipt: { seq: number; headHash: string } }[] = []
  for (let i = 1; i <= 4; i++) {
    const res = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        profile: { ...SOCIAL_CARE, reference: `TMP-${i}` },
        procedureId: 'light-touch',
        decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' }
      })
    })
    t.equal(res.status, 201)
    records.push((await res.json()) as never)
  }
  t.same(
    records.map((r) => r.receipt.seq),
    [1, 2, 3, 4],
    'each 201 carries its receipt'
  )
  const head = await get('/v1/decisions/chain')
  t.same([head.body.valid, head.body.seq, head.body.headHash], [true, 4, records[3]!.contentHash], 'the signed head matches the receipt')

  // Item 7: a cursor beyond what the store's seq can hold is bad input, not an outage.
  for (const before of [2147483648, 1e300, 0, 1, -5]) {
    const cursor = Buffer.from(JSON.stringify({ before })).toString('base64url')
    const res = await get(`/v1/decisions?cursor=${cursor}`)
    t.same(
      [res.status, res.body.errors],
      [400, [{ pointer: '/cursor', in: 'querystring', message: 'is not a cursor this service gave' }]],
      `before ${before}`
    )
  }

  const body2 = (await get(`/v1/decisions/${records[1]!.id}`)).body
  server = await engine.tamper(server, async (query) => {
    // Item 3: a row outside the chain cannot be stored at all.
    const outside = ['lb-tamper', 0, 'decision', '00000000-0000-4000-8000-000000000000', '2026-11-25T10:00:00.000Z', null, 'light-touch']
    await query(INSERT, [...outside, 'a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'forger', '{}']).then(
      () => t.fail('a row with seq 0 was stored'),
      (err: Error) => t.match(err.message, /CHECK constraint failed|violates check constraint/, 'seq 0: refused by the schema')
    )
    // A row after the head with a made-up signature.
    const beyond = ['lb-tamper', 5, 'decision', '00000000-0000-4000-8000-000000000005', '2026-11-25T10:00:00.000Z', 'FORGED', 'light-touch']
    await query(INSERT, [...beyond, 'a'.repeat(64), records[3]!.contentHash, 'c'.repeat(64), 'test-2026', '{}'])
    // Item 4: record 2 rewritten with its hash recomputed, as anyone can.
    const { seq: _s, signature: _g, keyId: _k, ...forged } = body2
    forged.decidedBy.name = 'Someone Else'
    forged.contentHash = recomputedHash(forged)
    await query('UPDATE chain_entries SET body = $2, content_hash = $3 WHERE id = $1', [
      records[1]!.id,
      canonicalize(forged),
      forged.contentHash
    ])
    // Record 3 made unreadable.
    await query("UPDATE chain_entries SET body = 'not json' WHERE id = $1", [records[2]!.id])
  })

  const forgedRead = await get('/v1/decisions/00000000-0000-4000-8000-000000000005')
  t.same([forgedRead.status, forgedRead.body.code], [500, 'PRA_ERR_RECORD_INTEGRITY'], 'the forged row is not served')
  const rewritten = await get(`/v1/decisions/${records[1]!.id}`)
  t.same([rewritten.status, rewritten.body.code], [500, 'PRA_ERR_RECORD_INTEGRITY'], 'the rewritten record is not served')
  t.equal(JSON.stringify(rewritten.body).includes('Someone Else'), false)
  const list = await get('/v1/decisions')
  t.same(
    list.body.items.map((r: { reference: string }) => r.reference),
    ['TMP-4', 'TMP-1'],
    'one bad row hides no other record'
  )
  t.same(list.body.faults, [
    { id: '00000000-0000-4000-8000-000000000005', seq: 5, problem: SIGNATURE_PROBLEM },
    { id: records[2]!.id, seq: 3, problem: 'the stored record is not JSON' },
    { id: records[1]!.id, seq: 2, problem: SIGNATURE_PROBLEM }
  ])
  const full = await get('/v1/decisions/chain?full=true')
  t.same([full.body.valid, full.body.firstFault], [false, { id: records[1]!.id, seq: 2, problem: SIGNATURE_PROBLEM }])

  // The newest record removed (and the forged one), the head left as it was.
  server = await engine.tamper(server, async (query) => {
    await query('DELETE FROM chain_entries WHERE tenant = $1 AND seq >= 4', ['lb-tamper'])
  })
  const removed = await get('/v1/decisions/chain')
  t.equal(removed.body.valid, false)
  t.match(removed.body.firstFault, { seq: 4, problem: /^record 4 of the chain, verified on .+, is missing$/ })
}

t.test('embedded store: forged, rewritten, removed and corrupt rows', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tamper-'))
  await attack(t, {
    name: 'embedded',
    start: () => startServer({ API_KEYS, DATA_DIR: dataDir }),
    async tamper(server, work) {
      // The embedded store is one process's file: edited, as an administrator would, while it is stopped (SIGINT: no drain).
      server.child.kill('SIGINT')
      await server.exited
      const sql = openSqlite(dataDir)
      await work((text, params) => sql.query(text, params))
      await sql.close()
      return startServer({ API_KEYS, DATA_DIR: dataDir })
    }
  })
})

t.test('postgresql: forged, rewritten, removed and corrupt rows, edited under the running service', async (t) => {
  const schema = await privateSchema(t)
  if (schema === undefined) return
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` })
  await client.connect()
  t.teardown(() => client.end())
  await attack(t, {
    name: 'postgresql',
    start: () => startServer({ API_KEYS, DATABASE_URL: urlWithSchema(schema), CHAIN_KEYS: TEST_CHAIN_KEYS }),
    async tamper(server, work) {
      await work(async (text, params) => (await client.query(text, params)).rows)
      return server
    }
  })
})
