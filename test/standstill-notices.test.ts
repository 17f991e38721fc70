// The plan against the world: real published notices that state when their standstill ends
// (test/corpus/standstill-notices.json). For each, the plan is asked with the notice's publication
// date as the known contract-award-notice (the PSR notice of intention), and its standstill-end is
// compared with the date the notice states. The figures docs/profiles-and-reports.md gives come from this file.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { loadCalendar } from '../src/calendar/index.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import { projectPlan } from '../src/projections/plan.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import { NOW } from './helpers/app.js'

interface Notice {
  id: string
  url: string
  regime: 'psr2023' | 'pa2023'
  published: string
  statedStandstillEndDate: string | null
  planStandstillEnd: string
  verdict: 'agrees' | 'earlier' | 'not-a-date' | 'before-publication'
}
const { notices } = JSON.parse(readFileSync(new URL('./corpus/standstill-notices.json', import.meta.url), 'utf8')) as { notices: Notice[] }
const recommender = createRecommender(loadCatalogue())
const calendar = loadCalendar()

// A PSR profile (85121000-3, medical practice services) started before each notice.
const psrProfile = (published: string): ProcurementProfile => ({
  contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85121000-3'] },
  constraints: { startDate: published < '2025-02-24' ? '2024-06-01' : '2025-03-03' }
})

t.test('each real notice: the plan dates its standstill end, and the verdict on the stated date holds', async (t) => {
  t.ok(notices.length >= 5, `at least five real notices (${notices.length})`)
  for (const n of notices) {
    const decided = recommender.decide(psrProfile(n.published), NOW)
    if (!decided.ok) throw new Error(decided.error.message)
    t.equal(decided.decision.regime, n.regime, `${n.id}: regime`)
    const planned = projectPlan(recommender.compiled, calendar, decided.decision, {
      procedureId: 'provider-selection-regime',
      known: { 'contract-award-notice': n.published }
    })
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors))
    const end = planned.plan.milestones.find((m) => m.id === 'standstill-end')?.date
    t.equal(end, n.planStandstillEnd, `${n.id}: standstill-end for a notice published ${n.published} (${n.url})`)
    const stated = n.statedStandstillEndDate
    const verdict =
      stated === null
        ? 'not-a-date'
        : stated < n.published
          ? 'before-publication'
          : stated === end
            ? 'agrees'
            : stated < end!
              ? 'earlier'
              : 'later'
    t.equal(verdict, n.verdict, `${n.id}: the notice states ${stated ?? 'no real date'}; the plan says ${end}`)
  }
})

t.test('the figures the plans guide gives', async (t) => {
  const count = (v: Notice['verdict']) => notices.filter((n) => n.verdict === v).length
  t.same(
    {
      notices: notices.length,
      agrees: count('agrees'),
      earlier: count('earlier'),
      defective: count('not-a-date') + count('before-publication')
    },
    { notices: 6, agrees: 1, earlier: 3, defective: 2 }
  )
})
