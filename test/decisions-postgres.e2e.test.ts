// Decision records on PostgreSQL (DATABASE_URL), in a private schema of the server .ci/run starts:
// the shared suite, migrations that run once however many replicas start, and two replicas
// writing one client's chain at the same time without forking it.
import { testSigner } from './helpers/chain-signer.js'
import t from 'tap'
import { migrate, openDecisionStore } from '../src/store/records.js'
import { openPostgres } from '../src/store/postgres.js'
import { legacyUpgradeTests } from './helpers/legacy-upgrade.js'
import { decisionSuite, SOCIAL_CARE } from './helpers/decision-suite.js'
import { privateSchema, TEST_DATABASE_URL } from './helpers/postgres.js'
import type { DecisionDraft } from '../src/store/records.js'

const schema = await privateSchema(t)
if (schema !== undefined) {
  const open = (inSchema = schema) => openPostgres(TEST_DATABASE_URL, { schema: inSchema })
  decisionSuite(t, 'postgresql', async (options = {}) => {
    const sql = open()
    return { store: await openDecisionStore(sql, { signer: testSigner(), ...options }), sql }
  })

  legacyUpgradeTests(t, 'postgresql', async (t) => {
    const fresh = await privateSchema(t)
    return fresh === undefined ? undefined : open(fresh)
  })

  t.test('postgresql: replicas starting together apply each migration once', async (t) => {
    const replicas = [open(), open(), open()]
    const applied = await Promise.all(replicas.map((sql) => migrate(sql, testSigner())))
    t.same(applied.flat(), [], 'already applied by the suite above: nothing is applied twice')
    const rows = await replicas[0]!.query('SELECT version, name FROM schema_migrations ORDER BY version')
    t.same(rows, [
      { version: 1, name: '001_decision_records.sql' },
      { version: 2, name: '002_chain_entries.sql' }
    ])
    await Promise.all(replicas.map((sql) => sql.close()))
  })

  t.test("postgresql: two replicas writing one client's chain at once never fork it", async (t) => {
    const a = await openDecisionStore(open(), { signer: testSigner() })
    const b = await openDecisionStore(open(), { signer: testSigner() })
    t.teardown(async () => {
      await a.close()
      await b.close()
    })
    const draft: DecisionDraft = {
      rulesetVersion: '2026.11.0+test',
      procedureId: 'light-touch',
      rank: 1,
      decidedBy: { name: 'CDO', role: 'cio-cdo' },
      profile: SOCIAL_CARE as never,
      report: {} as never
    }
    const now = new Date('2026-11-25T10:00:00Z')
    const written = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).insert('lb-race', draft, now)))
    t.equal(new Set(written.map((r) => r.stored.record.id)).size, 20)
    const verification = await a.verify('lb-race')
    t.equal(verification.valid, true)
    t.equal(verification.records, 20)
    t.equal(verification.seq, 20)
    const previous = written.map((r) => r.stored.record.previousHash)
    t.equal(new Set(previous).size, 20, 'every record has its own predecessor: no fork')
  })
}
