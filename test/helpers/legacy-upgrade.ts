// The upgrade from 1.1 (decision_records, hash-chained but unsigned) to signed chain entries, run
// against each engine on a database that has only migration 001: every record is copied and
// signed, in batches, and the chains still verify; a row that was never part of a chain stops the
// upgrade with a message a person can act on.
import { readFileSync } from 'node:fs'
import * as jcs from 'canonicalize'
import type { Test } from 'tap'
import { contentHashOf, openDecisionStore } from '../../src/store/records.js'
import type { Sql } from '../../src/store/sql.js'
import { testSigner } from './chain-signer.js'
import { SOCIAL_CARE } from './decision-suite.js'

const canonicalize = jcs.default as unknown as (input: unknown) => string

/** A database as 1.1 left it: migration 001 applied and recorded. */
async function asOneOne(sql: Sql): Promise<void> {
  await sql.exec(readFileSync(new URL('../../src/store/migrations/001_decision_records.sql', import.meta.url), 'utf8'))
  await sql.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  await sql.query("INSERT INTO schema_migrations VALUES (1, '001_decision_records.sql', '2026-11-01T00:00:00.000Z')")
}

/** Writes `count` records of `client` as 1.1 did; returns the ids and the head hash. */
async function writeOneOne(sql: Sql, client: string, count: number, tag: string): Promise<{ ids: string[]; head: string | null }> {
  let previousHash: string | null = null
  const ids: string[] = []
  for (let seq = 1; seq <= count; seq++) {
    const id = `00000000-0000-4000-${tag}-${String(seq).padStart(12, '0')}`
    const unsigned: Record<string, unknown> = {
      id,
      createdAt: '2026-11-20T09:00:00.000Z',
      client,
      rulesetVersion: '2026.11.0',
      procedureId: 'light-touch',
      rank: 1,
      decidedBy: { name: 'CDO', role: 'cio-cdo' },
      profile: SOCIAL_CARE,
      report: {},
      previousHash
    }
    const contentHash = contentHashOf(unsigned as never)
    await sql.query(
      'INSERT INTO decision_records (id, tenant, seq, created_at, reference, procedure_id, content_hash, previous_hash, body) ' +
        'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [
        id,
        client,
        seq,
        '2026-11-20T09:00:00.000Z',
        null,
        'light-touch',
        contentHash,
        previousHash,
        canonicalize({ ...unsigned, contentHash })
      ]
    )
    previousHash = contentHash
    ids.push(id)
  }
  return { ids, head: previousHash }
}

export function legacyUpgradeTests(t: Test, name: string, fresh: (t: Test) => Promise<Sql | undefined>): void {
  t.test(`${name}: records of 1.1 (unsigned) are signed by the upgrade, and their chains still verify`, async (t) => {
    const sql = await fresh(t)
    if (!sql) return
    await asOneOne(sql)
    // More than one batch of the copy (200 rows), over two clients.
    const hackney = await writeOneOne(sql, 'lb-hackney', 230, '8000')
    const camden = await writeOneOne(sql, 'lb-camden', 3, '9000')
    const store = await openDecisionStore(sql, { signer: testSigner() })
    t.teardown(() => store.close())
    const h = await store.verify('lb-hackney', { full: true })
    t.same([h.valid, h.records, h.headHash, h.keyId], [true, 230, hackney.head, 'test-2026'])
    const c = await store.verify('lb-camden', { full: true })
    t.same([c.valid, c.records, c.headHash], [true, 3, camden.head])
    t.equal((await store.get('lb-hackney', hackney.ids[199]!))?.seq, 200)
    await t.rejects(sql.query('SELECT COUNT(*) FROM decision_records'), 'the table of 1.1 is gone')
  })

  t.test(`${name}: a row of 1.1 outside any chain stops the upgrade, with what to do`, async (t) => {
    const sql = await fresh(t)
    if (!sql) return
    t.teardown(() => sql.close())
    await asOneOne(sql)
    await writeOneOne(sql, 'lb-hackney', 2, '8000')
    await sql.query(
      'INSERT INTO decision_records (id, tenant, seq, created_at, reference, procedure_id, content_hash, previous_hash, body) ' +
        "VALUES ('00000000-0000-4000-a000-000000000000', 'lb-hackney', 0, '2026-11-20T09:00:00.000Z', NULL, 'light-touch', $1, NULL, '{}')",
      ['f'.repeat(64)]
    )
    await t.rejects(openDecisionStore(sql, { signer: testSigner() }), {
      message:
        'decision_records holds a row outside any chain (id 00000000-0000-4000-a000-000000000000, client lb-hackney, seq 0): ' +
        'the service never writes one. Inspect and remove it, then start again'
    })
    t.same(await sql.query('SELECT COUNT(*) AS n FROM decision_records'), [{ n: 3 }], 'nothing was changed')
  })
}
