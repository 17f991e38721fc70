// The corpus of real notices (test/corpus/notices/*.json; format in test/corpus/README.md): real
// tender, award, transparency and PSR notices of English local authorities, each turned into a
// profile from the facts the notice states, with the procedure the council used and our pinned
// verdict. The test fails when any verdict changes (the engine now agrees where it did not, or no
// longer agrees), when agreement falls below 90%, and when the figure docs/legal-data.md states is stale.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PROCEDURE_IDS, type ProcedureId } from '../schemas/common.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import { createAjv } from '../src/validation.js'
import { ProcurementProfileSchema } from '../schemas/profile.js'

const NOW = new Date('2026-11-25T10:00:00Z')
const MIN_NOTICES = 30
const MIN_AGREEMENT = 0.9
const DIR = fileURLToPath(new URL('./corpus/notices/', import.meta.url))
const GUIDE = fileURLToPath(new URL('../docs/legal-data.md', import.meta.url))

interface Notice {
  id: string
  authority: string
  title: string
  source: { url: string; noticeType: string; published: string; noticeId?: string }
  facts: string[]
  procedureUsed: { procedureIds: ProcedureId[]; asNamed: string; why: string }
  detail?: Record<string, unknown>
  profile: ProcurementProfile
  verdict: { expect: 'agree' | 'disagree'; reason: string }
}
const NOTICE_KEYS = ['id', 'authority', 'title', 'source', 'facts', 'procedureUsed', 'detail', 'profile', 'verdict']
const REQUIRED = NOTICE_KEYS.filter((k) => k !== 'detail')

const engine = createRecommender(loadCatalogue())
const validProfile = createAjv([]).compile(ProcurementProfileSchema)
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
const notices = files.map((f) => ({ file: f, notice: JSON.parse(readFileSync(DIR + f, 'utf8')) as Notice }))

let agreed = 0
for (const { file, notice: n } of notices) {
  t.test(`${n.id}: ${n.authority}, ${n.title}`, async (t) => {
    t.same(
      Object.keys(n).filter((k) => !NOTICE_KEYS.includes(k)),
      [],
      'no unknown keys'
    )
    t.same(
      REQUIRED.filter((k) => !(k in n)),
      [],
      'every required key'
    )
    t.equal(file, `${n.id}.json`, 'the file is named after the id')
    t.match(n.source.url, /^https:\/\//, 'a source URL')
    t.match(n.source.published, /^\d{4}-\d{2}-\d{2}$/, 'a publication date')
    t.ok(n.facts.length > 0, 'the facts the profile rests on')
    t.ok(n.procedureUsed.procedureIds.length > 0 && n.procedureUsed.procedureIds.every((id) => PROCEDURE_IDS.includes(id)), 'known ids')
    t.ok(n.verdict.reason.length > 20, 'a verdict with its reason')
    t.ok(validProfile(n.profile), `a valid profile ${JSON.stringify(validProfile.errors)}`)
    t.ok(n.profile.constraints?.startDate, 'the start date is stated')

    const result = engine.recommend(n.profile, NOW)
    if (!result.ok) {
      t.fail(`the engine refused the profile: ${JSON.stringify(result.error)}`)
      return
    }
    const recommended = result.report.recommendations.map((r) => r.procedureId)
    const agrees = n.procedureUsed.procedureIds.some((id) => recommended.includes(id))
    if (agrees) agreed++
    t.equal(
      agrees ? 'agree' : 'disagree',
      n.verdict.expect,
      `pinned verdict "${n.verdict.expect}" (${n.verdict.reason}); the engine recommends ${recommended.join(', ')}`
    )
  })
}

t.test('the corpus as a whole', async (t) => {
  const ids = notices.map((x) => x.notice.id)
  t.equal(new Set(ids).size, ids.length, 'unique ids')
  const urls = notices.map((x) => x.notice.source.url)
  t.equal(new Set(urls).size, urls.length, 'each notice once')
  t.ok(notices.length >= MIN_NOTICES, `at least ${MIN_NOTICES} notices (${notices.length})`)
  const share = agreed / notices.length
  t.ok(share >= MIN_AGREEMENT, `agreement ${agreed}/${notices.length} is at least ${MIN_AGREEMENT * 100}%`)
  const guide = readFileSync(GUIDE, 'utf8')
  const stated = /The engine agrees with \*\*(\d+) of (\d+)\*\* notices/.exec(guide)
  t.ok(stated, 'the legal data guide states the agreement figure')
  t.same(stated?.slice(1, 3).map(Number), [agreed, notices.length], 'the figure is current')
  for (const { notice } of notices.filter((x) => x.notice.verdict.expect === 'disagree')) {
    t.ok(guide.includes(`\`${notice.id}\``), `the legal data guide discusses the disagreement ${notice.id}`)
  }
})
