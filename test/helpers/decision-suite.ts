// What every decision store must do, run against each engine: the embedded store
// (test/decisions.test.ts) and PostgreSQL (test/decisions-postgres.e2e.test.ts). Over the API (inject),
// with two API clients, so tenancy is tested where a client would see it.
import { createHash } from 'node:crypto'
import * as jcs from 'canonicalize'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DecisionStore } from '../../src/store/records.js'
import type { Sql } from '../../src/store/sql.js'
import { testApp } from './app.js'

const canonicalize = jcs.default as unknown as (input: unknown) => string
const sha = (k: string) => createHash('sha256').update(k).digest('hex')
export const HACKNEY = 'hackney-key-0123456789'
export const CAMDEN = 'camden-key-0123456789'
export const ISLINGTON = 'islington-key-0123456789'
const ENFIELD = 'enfield-key-0123456789'
export const API_KEYS = `lb-hackney:sha256:${sha(HACKNEY)},lb-camden:sha256:${sha(CAMDEN)},lb-islington:sha256:${sha(ISLINGTON)}`
const as = (key: string) => ({ authorization: `Bearer ${key}` })

export const SOCIAL_CARE = {
  reference: 'LBH-2026-031',
  contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] },
  constraints: { startDate: '2026-03-02' }
}
const DECIDED_BY = { name: 'Chief Digital Officer', role: 'cio-cdo' }
/** Sensor pilots: a design contest fits; an open tender is legal but scores below the minimum (rank null). */
const SENSOR_PILOTS = {
  contract: { type: 'services', estimatedValue: 500000, cpvCodes: ['72000000-5'] },
  need: { solutionMaturity: 'needs-adaptation', requirementsClarity: 'outcome-known' },
  process: { pitchOrPilot: true, demonstrations: true },
  constraints: { startDate: '2026-09-14' },
  priorities: ['innovation', 'sme-access']
}

/**
 * The hash a client can recompute from the JSON it received: SHA-256 of RFC 8785 JSON of the record
 * as created, without contentHash and the fields that place it in the chain.
 */
export function recomputedHash(record: Record<string, unknown>): string {
  const { contentHash: _omit, seq: _seq, signature: _sig, keyId: _key, receipt: _receipt, ...rest } = record
  return createHash('sha256').update(canonicalize(rest)).digest('hex')
}

export function decisionSuite(
  t: Test,
  name: string,
  open: (options?: { quota?: number }) => Promise<{ store: DecisionStore; sql: Sql }>
): void {
  let app: FastifyInstance
  let sql: Sql
  t.before(async () => {
    const opened = await open()
    sql = opened.sql
    app = await testApp({ API_KEYS }, { store: opened.store })
  })
  t.teardown(async () => {
    await app.close()
    await sql.close()
  })
  const post = (key: string, payload: object) => app.inject({ method: 'POST', url: '/v1/decisions', headers: as(key), payload })

  t.test(`${name}: a decision is stored with the report the server computed, and answered 201 with Location`, async (t) => {
    const res = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: DECIDED_BY })
    t.equal(res.statusCode, 201)
    const record = res.json()
    t.equal(res.headers.location, `/v1/decisions/${record.id}`)
    t.match(record.id, /^[0-9a-f-]{36}$/)
    t.equal(record.createdAt, '2026-11-25T10:00:00.000Z')
    t.equal(record.client, 'lb-hackney')
    t.equal(record.reference, 'LBH-2026-031')
    t.equal(record.procedureId, 'light-touch')
    t.equal(record.rank, 1)
    t.same(record.decidedBy, DECIDED_BY)
    t.equal(record.report.recommendations[0].procedureId, 'light-touch')
    t.equal(record.report.rulesetVersion, record.rulesetVersion)
    t.same(record.profile, SOCIAL_CARE)
    t.equal(record.previousHash, null, "the client's first record")
    t.equal(recomputedHash(record), record.contentHash, 'the hash recomputes from the JSON the client received')
    t.equal(record.seq, 1)
    t.match(record.signature, /^[0-9a-f]{64}$/)
    t.equal(record.keyId, 'test-2026')
    t.same(record.receipt, {
      seq: 1,
      contentHash: record.contentHash,
      headHash: record.contentHash,
      signature: record.signature,
      keyId: 'test-2026'
    })
    const again = await app.inject({ url: record.id ? `/v1/decisions/${record.id}` : '', headers: as(HACKNEY) })
    t.equal(again.statusCode, 200)
    const { receipt: _receipt, ...asStored } = record
    t.same(again.json(), asStored, 'read back exactly as written (the receipt is the 201 answer only)')
  })

  t.test(`${name}: each record links to the client's previous one, and the chain verifies`, async (t) => {
    const first = (await app.inject({ url: '/v1/decisions?limit=1', headers: as(HACKNEY) })).json().items[0]
    const res = await post(HACKNEY, {
      profile: SOCIAL_CARE,
      procedureId: 'open-tender',
      rationale: 'The market is mature; an open competition keeps it simple.',
      decidedBy: { name: 'Head of Procurement', role: 'procurement-team' }
    })
    t.equal(res.statusCode, 201)
    t.equal(res.json().rank, 2)
    t.equal(res.json().previousHash, first.contentHash)
    const chain = (await app.inject({ url: '/v1/decisions/chain', headers: as(HACKNEY) })).json()
    const { receipt } = res.json()
    t.same(chain, {
      client: 'lb-hackney',
      records: 2,
      valid: true,
      headHash: receipt.headHash,
      seq: 2,
      signature: receipt.signature,
      keyId: 'test-2026',
      scope: 'full',
      checkedFrom: 1,
      checked: 2
    })
    const again = (await app.inject({ url: '/v1/decisions/chain', headers: as(HACKNEY) })).json()
    t.same(
      [again.valid, again.scope, again.checkedFrom, again.checked, again.seq, again.headHash],
      [true, 'since-checkpoint', 3, 0, 2, receipt.headHash],
      'the next verification checks only what is new since the verified checkpoint'
    )
  })

  t.test(`${name}: another client never sees a record: 404 for its id, absent from its list, its own chain`, async (t) => {
    const mine = (await app.inject({ url: '/v1/decisions', headers: as(HACKNEY) })).json().items
    t.equal(mine.length, 2)
    const theirs = await app.inject({ url: `/v1/decisions/${mine[0].id}`, headers: as(CAMDEN) })
    t.equal(theirs.statusCode, 404)
    t.equal(theirs.json().code, 'PRA_ERR_DECISION_NOT_FOUND')
    t.same((await app.inject({ url: '/v1/decisions', headers: as(CAMDEN) })).json(), { items: [], nextCursor: null })
    const own = await post(CAMDEN, { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: DECIDED_BY })
    t.equal(own.json().previousHash, null, "Camden's chain starts on its own")
    t.equal((await app.inject({ url: '/v1/decisions/chain', headers: as(CAMDEN) })).json().records, 1)
    t.equal((await app.inject({ url: `/v1/decisions/${mine[0].id}` })).statusCode, 401, 'no key, no record')
  })

  t.test(`${name}: bad choices are 400 problems pointing at the field`, async (t) => {
    const excluded = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'provider-selection-regime', decidedBy: DECIDED_BY })
    t.equal(excluded.statusCode, 400)
    t.equal(excluded.json().code, 'PRA_ERR_VALIDATION')
    t.equal(excluded.json().errors[0].pointer, '/procedureId')
    t.match(excluded.json().errors[0].message, /is excluded for this profile: The Provider Selection Regime does not apply/)
    const noRationale = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'open-tender', decidedBy: DECIDED_BY })
    t.equal(noRationale.statusCode, 400)
    t.equal(noRationale.json().code, 'PRA_ERR_VALIDATION')
    t.same(noRationale.json().errors, [
      { pointer: '/rationale', in: 'body', message: 'is required: the chosen procedure is rank 2, not rank 1' }
    ])
    const direct = await post(HACKNEY, {
      profile: {
        contract: { type: 'goods', estimatedValue: 400000 },
        constraints: { startDate: '2026-03-02', singleSupplier: 'exclusive-rights' }
      },
      procedureId: 'direct-award',
      decidedBy: DECIDED_BY
    })
    t.equal(direct.statusCode, 400, 'a direct award always needs a rationale, even at rank 1')
    t.equal(direct.json().code, 'PRA_ERR_VALIDATION')
    t.same(direct.json().errors, [{ pointer: '/rationale', in: 'body', message: 'is required: the chosen procedure is a direct award' }])
    const role = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'X', role: 'mayor' } })
    t.equal(role.statusCode, 400)
    t.equal(role.json().errors[0].pointer, '/decidedBy/role')
    const clientReport = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: DECIDED_BY, report: {} })
    t.equal(clientReport.statusCode, 400, 'a client cannot send a report')
    t.equal(clientReport.json().errors[0].pointer, '/report')
    const profile = await post(HACKNEY, {
      profile: { contract: { type: 'services', estimatedValue: -1 } },
      procedureId: 'light-touch',
      decidedBy: DECIDED_BY
    })
    t.equal(profile.json().errors[0].pointer, '/profile/contract/estimatedValue')
    t.equal((await app.inject({ url: '/v1/decisions/chain', headers: as(HACKNEY) })).json().records, 2, 'nothing was written')
  })

  t.test(`${name}: a legally available procedure that is not recommended has rank null`, async (t) => {
    const report = (await app.inject({ method: 'POST', url: '/v1/recommendations', headers: as(HACKNEY), payload: SENSOR_PILOTS })).json()
    const open = report.notRecommended.find((p: { procedureId: string }) => p.procedureId === 'open-tender')
    t.equal(open.reasons.at(-1).ruleId, 'below-minimum-score', 'open tender is legal here but not recommended')
    const res = await post(HACKNEY, {
      profile: SENSOR_PILOTS,
      procedureId: 'open-tender',
      rationale: 'A simple competition.',
      decidedBy: DECIDED_BY
    })
    t.equal(res.statusCode, 201)
    t.equal(res.json().rank, null)
  })

  t.test(`${name}: records are immutable and ids are opaque`, async (t) => {
    const id = (await app.inject({ url: '/v1/decisions?limit=1', headers: as(HACKNEY) })).json().items[0].id
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await app.inject({ method, url: `/v1/decisions/${id}`, headers: as(HACKNEY), payload: {} })
      t.equal(res.statusCode, 405, method)
      t.equal(res.headers.allow, 'GET, HEAD')
    }
    for (const bad of ['nope', '00000000-0000-0000-0000-000000000000', `${id}x`, "' OR 1=1 --"]) {
      t.equal((await app.inject({ url: `/v1/decisions/${encodeURIComponent(bad)}`, headers: as(HACKNEY) })).statusCode, 404, bad)
    }
  })

  t.test(`${name}: the list is newest first, paginated by cursor, filtered by reference and day`, async (t) => {
    for (const [reference, title] of [['P-1'], ['P-2', 'Supported living in Camden'], ['P-1']]) {
      const profile = { ...SOCIAL_CARE, reference, ...(title ? { title } : {}) }
      const res = await post(CAMDEN, { profile, procedureId: 'light-touch', decidedBy: DECIDED_BY })
      t.equal(res.statusCode, 201)
    }
    const all = (await app.inject({ url: '/v1/decisions?limit=100', headers: as(CAMDEN) })).json().items
    t.same(
      all.map((r: { reference: string }) => r.reference),
      ['P-1', 'P-2', 'P-1', 'LBH-2026-031'],
      'newest first'
    )
    t.same(
      all.map((r: { title?: string }) => r.title ?? null),
      [null, 'Supported living in Camden', null, null],
      "each item carries the profile's title, when it gave one"
    )
    const page1 = (await app.inject({ url: '/v1/decisions?limit=3', headers: as(CAMDEN) })).json()
    t.equal(page1.items.length, 3)
    t.type(page1.nextCursor, 'string')
    const page2 = (await app.inject({ url: `/v1/decisions?limit=3&cursor=${page1.nextCursor}`, headers: as(CAMDEN) })).json()
    t.same(
      page2.items.map((r: { id: string }) => r.id),
      [all[3].id]
    )
    t.equal(page2.nextCursor, null)
    const p1 = (await app.inject({ url: '/v1/decisions?reference=P-1', headers: as(CAMDEN) })).json().items
    t.equal(p1.length, 2)
    t.equal((await app.inject({ url: '/v1/decisions?from=2026-11-25&to=2026-11-25', headers: as(CAMDEN) })).json().items.length, 4)
    t.equal((await app.inject({ url: '/v1/decisions?from=2026-11-26', headers: as(CAMDEN) })).json().items.length, 0)
    const badCursor = await app.inject({ url: '/v1/decisions?cursor=bm9wZQ', headers: as(CAMDEN) })
    t.equal(badCursor.statusCode, 400)
    t.same(badCursor.json().errors[0], { pointer: '/cursor', in: 'querystring', message: 'is not a cursor this service gave' })
    const backwards = await app.inject({ url: '/v1/decisions?from=2026-11-25&to=2026-11-01', headers: as(CAMDEN) })
    t.equal(backwards.json().errors[0].pointer, '/to')
    // limit is an integer (as the document types it): its text is read as one, anything else is a 400.
    const limitError = async (limit: string) =>
      (await app.inject({ url: `/v1/decisions?limit=${limit}`, headers: as(CAMDEN) })).json().errors
    t.same(await limitError('101'), [{ pointer: '/limit', in: 'querystring', message: 'must be <= 100' }])
    t.same(await limitError('0'), [{ pointer: '/limit', in: 'querystring', message: 'must be >= 1' }])
    t.same(await limitError('two'), [{ pointer: '/limit', in: 'querystring', message: 'must be integer' }])
    t.same(await limitError('2.5'), [{ pointer: '/limit', in: 'querystring', message: 'must be integer' }])
  })

  t.test(`${name}: bad input is a 400 problem at the field, or a 404; nothing is written`, async (t) => {
    const chain = async () => (await app.inject({ url: '/v1/decisions/chain', headers: as(HACKNEY) })).json().records as number
    const before = await chain()
    const problem = async (res: Awaited<ReturnType<typeof post>>, status: number, code: string) => {
      t.equal(res.statusCode, status)
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      const body = res.json()
      t.equal(body.status, status)
      t.equal(body.code, code)
      return body as { errors?: { pointer: string; in: string; message: string }[]; detail: string }
    }
    const rank2 = { profile: SOCIAL_CARE, procedureId: 'open-tender', decidedBy: DECIDED_BY }

    // The schema's limit is 5000 characters: 5001 is refused, with the limit in the message.
    const long = await post(HACKNEY, { ...rank2, rationale: 'x'.repeat(5001) })
    t.same((await problem(long, 400, 'PRA_ERR_VALIDATION')).errors, [
      { pointer: '/rationale', in: 'body', message: 'must NOT have more than 5000 characters' }
    ])
    const empty = await post(HACKNEY, { ...rank2, rationale: '' })
    t.same((await problem(empty, 400, 'PRA_ERR_VALIDATION')).errors, [
      { pointer: '/rationale', in: 'body', message: 'must NOT have fewer than 1 characters' }
    ])

    const unknown = await post(HACKNEY, { profile: SOCIAL_CARE, procedureId: 'negotiated-without-notice', decidedBy: DECIDED_BY })
    t.same((await problem(unknown, 400, 'PRA_ERR_VALIDATION')).errors, [
      {
        pointer: '/procedureId',
        in: 'body',
        message:
          'must be one of: open-tender, restricted-tender, competitive-negotiation, competitive-dialogue, innovation-partnership, ' +
          'design-contest, light-touch, framework-call-off, dynamic-market, direct-award, pre-commercial-procurement, ' +
          'below-threshold, provider-selection-regime'
      }
    ])

    // Rationale required for a procedure that is not recommended at all (rank null); rank 2 and
    // direct awards: see the test above.
    const notRecommended = await post(HACKNEY, { profile: SENSOR_PILOTS, procedureId: 'open-tender', decidedBy: DECIDED_BY })
    t.same((await problem(notRecommended, 400, 'PRA_ERR_VALIDATION')).errors, [
      { pointer: '/rationale', in: 'body', message: 'is required: the chosen procedure is not recommended' }
    ])
    t.equal(await chain(), before, 'no refused request wrote a record')

    // Exactly at the limit is accepted.
    const atLimit = await post(HACKNEY, { ...rank2, rationale: 'x'.repeat(5000) })
    t.equal(atLimit.statusCode, 201, '5000 characters: accepted')
    t.equal(atLimit.json().rationale.length, 5000)

    // A malformed id, an unknown one and another client's own are the same 404.
    const theirs = (await post(CAMDEN, { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: DECIDED_BY })).json().id as string
    for (const id of ['not-a-uuid', '3F1C2A9E-7B4D-4C1E-9A2F-5D6E7F809A1B', '00000000-0000-0000-0000-000000000000', theirs]) {
      const res = await app.inject({ url: `/v1/decisions/${id}`, headers: as(HACKNEY) })
      const body = await problem(res, 404, 'PRA_ERR_DECISION_NOT_FOUND')
      t.equal(body.detail, `No decision record "${id}" for this client; GET /v1/decisions lists yours`, id)
    }
    t.equal((await app.inject({ url: `/v1/decisions/${theirs}`, headers: as(CAMDEN) })).statusCode, 200, 'while its owner reads it')
  })

  t.test(`${name}: readiness reports the store up, with its engine`, async (t) => {
    const res = await app.inject('/health/ready')
    t.equal(res.statusCode, 200)
    t.same(res.json().checks, { decisionStore: { status: 'up', engine: name } })
  })

  // Tampering, as someone with write access to the database but not the service's key would try
  // it, on a client of its own (Islington) so the cases above keep their records.
  t.test(`${name}: tampering in the database is caught on the next read and by verification`, async (t) => {
    const write = async (reference: string) => {
      const res = await post(ISLINGTON, { profile: { ...SOCIAL_CARE, reference }, procedureId: 'light-touch', decidedBy: DECIDED_BY })
      t.equal(res.statusCode, 201)
      return res.json() as { id: string; contentHash: string; receipt: { seq: number } }
    }
    const records = []
    for (let i = 1; i <= 5; i++) records.push(await write(`ISL-${i}`))
    const chain = async (full = false) =>
      (await app.inject({ url: `/v1/decisions/chain${full ? '?full=true' : ''}`, headers: as(ISLINGTON) })).json()
    const read = (id: string) => app.inject({ url: `/v1/decisions/${id}`, headers: as(ISLINGTON) })
    const list = async () => (await app.inject({ url: '/v1/decisions?limit=100', headers: as(ISLINGTON) })).json()
    t.equal((await chain()).valid, true, 'a checkpoint at record 5')

    // A rewrite with every hash recomputed, as a client could: the signature no longer matches.
    const [second] = await sql.query('SELECT body FROM chain_entries WHERE id = $1', [records[1]!.id])
    const forged = JSON.parse(String(second!.body))
    forged.decidedBy.name = 'Someone Else'
    forged.contentHash = recomputedHash(forged)
    await sql.query('UPDATE chain_entries SET body = $2, content_hash = $3 WHERE id = $1', [
      records[1]!.id,
      canonicalize(forged),
      forged.contentHash
    ])
    const altered = await read(records[1]!.id)
    t.equal(altered.statusCode, 500)
    t.equal(altered.json().code, 'PRA_ERR_RECORD_INTEGRITY')
    t.match(altered.json().detail, /the signature does not match the entry/)
    t.equal(altered.body.includes('Someone Else'), false, 'the altered text is never served')
    const page = await list()
    t.same(
      page.items.map((r: { reference: string }) => r.reference),
      ['ISL-5', 'ISL-4', 'ISL-3', 'ISL-1'],
      'the other records are still listed'
    )
    t.same(page.faults, [
      {
        id: records[1]!.id,
        seq: 2,
        problem: 'the signature does not match the entry: it was not written here by this service, or it was altered'
      }
    ])
    const full = await chain(true)
    t.same([full.valid, full.scope, full.records, full.firstFault], [false, 'full', 1, page.faults[0]], 'the full verification names it')

    // A body edited behind an intact signature: the content hash fails.
    await sql.query("UPDATE chain_entries SET body = replace(body, 'ISL-3', 'ISL-9') WHERE id = $1", [records[2]!.id])
    t.match((await read(records[2]!.id)).json(), { code: 'PRA_ERR_RECORD_INTEGRITY', detail: /the content hash does not match the record/ })
    // A corrupt row hides nothing else.
    await sql.query("UPDATE chain_entries SET body = 'not json' WHERE id = $1", [records[3]!.id])
    t.same(
      (await list()).items.map((r: { reference: string }) => r.reference),
      ['ISL-5', 'ISL-1']
    )

    // A row outside the chain cannot be stored (seq 0), and one beyond the head is not served.
    const row = (seq: number, id: string) => [
      'lb-islington',
      seq,
      'decision',
      id,
      '2026-11-25T10:00:00.000Z',
      'FORGED',
      'light-touch',
      'a'.repeat(64),
      seq === 1 ? null : 'b'.repeat(64),
      'c'.repeat(64),
      'test-2026',
      String(second!.body)
    ]
    await t.rejects(
      sql.query(
        'INSERT INTO chain_entries (tenant, seq, kind, id, created_at, reference, procedure_id, content_hash, previous_hash, signature, key_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
        row(0, '00000000-0000-4000-8000-000000000000')
      ),
      'seq 0 breaks a constraint'
    )
    const beyond = '00000000-0000-4000-8000-000000000006'
    await sql.query(
      'INSERT INTO chain_entries (tenant, seq, kind, id, created_at, reference, procedure_id, content_hash, previous_hash, signature, key_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      row(6, beyond)
    )
    t.equal((await read(beyond)).json().code, 'PRA_ERR_RECORD_INTEGRITY', 'a forged row is never served as genuine')
    t.same((await list()).faults.map((f: { id: string }) => f.id).includes(beyond), true)

    // The newest record removed: the head the service recorded has nothing behind it.
    await sql.query('DELETE FROM chain_entries WHERE id = $1 OR id = $2', [records[4]!.id, beyond])
    const removed = await chain()
    t.equal(removed.valid, false)
    t.match(removed.firstFault, { seq: 5, problem: /^record 5 of the chain, verified on \d{4}-\d\d-\d\dT[\d:.]+Z, is missing$/ })
    t.equal(removed.firstFault.id, undefined, 'no id: the record is gone')
  })

  t.test(`${name}: a client over its quota gets 403 and nothing is written`, async (t) => {
    const opened = await open({ quota: 2 })
    const small = await testApp({ API_KEYS: `${API_KEYS},lb-enfield:sha256:${sha(ENFIELD)}` }, { store: opened.store })
    t.teardown(async () => {
      await small.close()
      await opened.sql.close()
    })
    const payload = { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: DECIDED_BY }
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await small.inject({ method: 'POST', url: '/v1/decisions', headers: as(ENFIELD), payload }))
    t.same(
      answers.map((r) => r.statusCode),
      [201, 201, 403]
    )
    t.match(answers[2]!.json(), {
      status: 403,
      code: 'PRA_ERR_QUOTA_EXCEEDED',
      detail:
        'This client already holds its quota of 2 decision records; nothing was written. Ask the service\u2019s operator to raise the quota'
    })
    t.equal((await small.inject({ url: '/v1/decisions/chain', headers: as(ENFIELD) })).json().records, 2, 'nothing was written')
    t.match(await small.metrics.registry.getSingleMetricAsString('pra_decision_quota_refusals_total'), /client="lb-enfield"} 1/)
  })
}
