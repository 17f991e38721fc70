// Issue 25 item 1, as it was found: a client with thousands of records runs several verifications
// of its chain at once, with the default load-shedding settings, while another client asks for
// recommendations. The other client gets every answer (no 503), because verification checks only
// what is new, in short slices, and one client's verifications never queue up. And it still
// detects: a record altered in the database early in that long chain is reported on its next
// read and by the full verification. How long verification takes is measured by `npm run bench`,
// not asserted here.
import t from 'tap'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { startServer } from './helpers/server-process.js'
import { privateSchema, urlWithSchema, TEST_DATABASE_URL } from './helpers/postgres.js'
import { SOCIAL_CARE } from './helpers/decision-suite.js'
import { TEST_CHAIN_KEYS, testSigner } from './helpers/chain-signer.js'
import { openDecisionStore, type DecisionDraft } from '../src/store/records.js'
import { openPostgres } from '../src/store/postgres.js'

const RECORDS = 2000
const sha = (k: string) => createHash('sha256').update(k).digest('hex')
const ATTACKER = 'attacker-key-0123456789'
const VICTIM = 'victim-key-0123456789'
const API_KEYS = `lb-attacker:sha256:${sha(ATTACKER)},lb-victim:sha256:${sha(VICTIM)}`
const as = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' })

const schema = await privateSchema(t)
if (schema !== undefined) {
  t.test('thousands of records and concurrent verifications: no other client is refused, and tampering still shows', async (t) => {
    // The service's defaults for load shedding (startServer turns them off unless told).
    const server = await startServer({
      API_KEYS,
      DATABASE_URL: urlWithSchema(schema),
      CHAIN_KEYS: TEST_CHAIN_KEYS,
      MAX_EVENT_LOOP_DELAY_MS: '1000',
      MAX_RSS_BYTES: '536870912',
      RATE_LIMIT_MAX: '1000000'
    })
    t.teardown(() => {
      server.child.kill('SIGKILL')
    })
    // One real record (its report is the full 20-odd KB one), then the same decision thousands of
    // times through the store itself: the attacker spent 30 s posting them; the test need not.
    const first = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: as(ATTACKER),
      body: JSON.stringify({ profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'CDO', role: 'cio-cdo' } })
    })
    t.equal(first.status, 201)
    const record = (await first.json()) as DecisionDraft & Record<string, unknown>
    t.ok(JSON.stringify(record).length > 15_000, 'a full-size record')
    const { rulesetVersion, procedureId, rank, decidedBy, profile, report, plan } = record
    const draft = { rulesetVersion, procedureId, rank, decidedBy, profile, report, ...(plan ? { plan } : {}) } as DecisionDraft
    const store = await openDecisionStore(openPostgres(TEST_DATABASE_URL, { schema, max: 2 }), { signer: testSigner() })
    const seeded = performance.now()
    for (let i = 2; i <= RECORDS; i++) await store.insert('lb-attacker', draft, new Date())
    t.comment(`seeded ${RECORDS - 1} records in ${Math.round(performance.now() - seeded)} ms`)
    await store.close()

    // 6 loops of full verifications and 2 of incremental ones, each bounded in count and time.
    const stopAt = Date.now() + 20_000
    const verifications: { status: number; valid: boolean; scope: string; records: number }[] = []
    const loop = async (path: string, times: number) => {
      for (let i = 0; i < times && Date.now() < stopAt; i++) {
        const res = await fetch(`${server.url}${path}`, { headers: as(ATTACKER) })
        const body = (await res.json()) as { valid: boolean; scope: string; records: number }
        verifications.push({ status: res.status, valid: body.valid, scope: body.scope, records: body.records })
      }
    }
    const victimStatuses: number[] = []
    const victim = async () => {
      for (let i = 0; i < 99; i++) {
        const res = await fetch(`${server.url}/v1/recommendations`, {
          method: 'POST',
          headers: as(VICTIM),
          body: JSON.stringify({ ...SOCIAL_CARE, reference: `V-${i}` })
        })
        await res.arrayBuffer()
        victimStatuses.push(res.status)
      }
    }
    await Promise.all([
      ...Array.from({ length: 6 }, () => loop('/v1/decisions/chain?full=true', 3)),
      ...Array.from({ length: 2 }, () => loop('/v1/decisions/chain', 3)),
      victim()
    ])
    t.same(
      victimStatuses.filter((s) => s !== 200),
      [],
      'every recommendation of the other client answered 200: none shed'
    )
    t.equal(victimStatuses.length, 99)
    t.ok(verifications.length > 0)
    t.same(
      verifications.filter((v) => v.status !== 200 || !v.valid || v.records !== RECORDS),
      [],
      `every verification (${verifications.length}) answered: valid, ${RECORDS} records`
    )

    // Record 10 of the long chain altered in the database.
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` })
    await db.connect()
    t.teardown(() => db.end())
    const [row] = (
      await db.query(
        'UPDATE chain_entries SET body = replace(body, \'"name":"CDO"\', \'"name":"Someone Else"\') WHERE tenant = \'lb-attacker\' AND seq = 10 RETURNING id'
      )
    ).rows as { id: string }[]
    const read = await fetch(`${server.url}/v1/decisions/${row!.id}`, { headers: as(ATTACKER) })
    t.equal(read.status, 500)
    t.equal(((await read.json()) as { code: string }).code, 'PRA_ERR_RECORD_INTEGRITY', 'caught on its next read')
    const full = (await (await fetch(`${server.url}/v1/decisions/chain?full=true`, { headers: as(ATTACKER) })).json()) as Record<
      string,
      unknown
    >
    t.same(
      [full.valid, full.records, full.firstFault],
      [false, 9, { id: row!.id, seq: 10, problem: 'the content hash does not match the record' }]
    )
  })
}
