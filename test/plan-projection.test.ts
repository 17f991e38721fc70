// src/projections/plan.ts on its own: the PSR process read from the decision (issue 13's
// Decision.processes) and the shapes of the PA 2023 procedures without a tender notice.
import t from 'tap'
import { loadCalendar } from '../src/calendar/index.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import type { Decision } from '../src/engine/decision.js'
import { projectPlan, type PlanRequestData } from '../src/projections/plan.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import { NOW } from './helpers/app.js'

const recommender = createRecommender(loadCatalogue())
const calendar = loadCalendar()

function decide(profile: ProcurementProfile): Decision {
  const r = recommender.decide(profile, NOW)
  if (!r.ok) throw new Error(r.error.message)
  return r.decision
}
function plan(d: Decision, request: PlanRequestData = {}) {
  const r = projectPlan(recommender.compiled, calendar, d, request)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.plan
}
const dateOf = (p: ReturnType<typeof plan>, id: string) => p.milestones.find((m) => m.id === id)?.date

const PSR: ProcurementProfile = {
  contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85121000-3'] },
  constraints: { startDate: '2026-12-01' }
}

t.test('the PSR process comes from the decision when it names one', async (t) => {
  const d = decide(PSR)
  t.equal(d.regime, 'psr2023')
  const withProcess = (processes: { processId: string; status: string; rank: number | null }[]) =>
    Object.assign(Object.create(null) as object, d, { processes }) as Decision

  const msp = plan(withProcess([{ processId: 'most-suitable-provider', status: 'available', rank: 1 }]), {
    known: { 'psr-process-notice': '2027-01-06' }
  })
  t.same(msp.process, { id: 'most-suitable-provider', chosenBy: 'decision' })
  // reg 10(5): not completed before 14 days after the notice: 6 Jan + 14 = 20 Jan 2027.
  t.equal(dateOf(msp, 'psr-identification-complete'), '2027-01-20')

  const a = plan(withProcess([{ processId: 'direct-award-a', status: 'mandatory', rank: null }]))
  t.same(a.process, { id: 'direct-award-a', chosenBy: 'decision' })
  t.notOk(dateOf(a, 'standstill-end'), 'no standstill for Direct Award Process A (reg 12(1))')
  const entry = dateOf(a, 'contract-entry')!
  // Within 30 days, counted (unconfirmed) from the day after entry.
  t.equal(dateOf(a, 'psr-award-notice'), new Date(Date.parse(entry) + 30 * 86_400_000).toISOString().slice(0, 10))

  const c = plan(withProcess([{ processId: 'direct-award-c', status: 'available', rank: 1 }]), {
    known: { 'contract-award-notice': '2027-04-01' }
  })
  // Notice Thu 1 Apr 2027, standstill begins Fri 2 Apr (Easter 2027 is over); the 8 working days
  // after that day (reg 12(9)): 5 (1), 6 (2), 7 (3), 8 (4), 9 (5), 12 (6), 13 (7), 14 Apr (8).
  t.equal(dateOf(c, 'standstill-end'), '2027-04-14')

  const none = plan(d)
  t.same(none.process, { id: 'competitive-process', chosenBy: 'default' })
})

t.test('PA 2023 procedures without a tender notice', async (t) => {
  const it = (constraints: ProcurementProfile['constraints']): ProcurementProfile => ({
    contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
    constraints: { startDate: '2026-12-01', ...constraints }
  })
  const callOff = plan(decide(it({ existingAgreement: 'framework' })), { procedureId: 'framework-call-off' })
  t.notOk(dateOf(callOff, 'standstill-end'), 'no standstill for a call-off (s.51(3)(d))')
  t.equal(dateOf(callOff, 'contract-entry'), addDay(dateOf(callOff, 'contract-award-notice')!))

  const dm = plan(decide(it({ existingAgreement: 'dynamic-market' })), {
    procedureId: 'dynamic-market',
    known: { 'invitation-to-tender': '2027-01-04' }
  })
  t.equal(dateOf(dm, 'tender-deadline'), '2027-01-14', 's.54(4) 10 days for a dynamic market award: 4 Jan + 10')
  t.notOk(dateOf(dm, 'standstill-end'), 'no standstill for a dynamic market award (s.51(3)(e))')

  const below = plan(
    decide({ contract: { type: 'goods', estimatedValue: 60000, categories: ['facilities'] }, constraints: { startDate: '2026-12-01' } })
  )
  t.equal(below.regime.id, 'pa2023')
  t.notOk(dateOf(below, 'contract-award-notice'), 'no award notice below threshold')
  t.notOk(dateOf(below, 'standstill-end'), 'no standstill below threshold')
  t.ok(dateOf(below, 'contract-entry'))

  const urgent = plan(decide(it({ urgency: 'urgent' })), { procedureId: 'open-tender', known: { 'tender-notice': '2027-03-02' } })
  t.equal(dateOf(urgent, 'tender-deadline'), '2027-03-12', 's.54(4) urgency: 10 days, 2 Mar + 10')

  const direct = plan(decide(it({ singleSupplier: 'technical' })), { procedureId: 'direct-award' })
  t.ok(dateOf(direct, 'transparency-notice'), 'UK5 before a direct award')
  t.ok(dateOf(direct, 'standstill-end'), 'a direct award on a technical ground has a standstill')
  const extreme = plan(decide(it({ urgency: 'extreme' })), { procedureId: 'direct-award' })
  t.notOk(dateOf(extreme, 'standstill-end'), 'no standstill for Sch 5 para 13 urgency (s.51(3)(a))')

  const paper = plan(decide(it({})), {
    procedureId: 'open-tender',
    known: { 'tender-notice': '2027-03-02' },
    options: { electronicSubmission: false, allDocumentsWithNotice: false }
  })
  t.equal(dateOf(paper, 'tender-deadline'), '2027-04-06', 's.54(4) neither: 35 days, 2 Mar + 35 = 6 Apr')
})

function addDay(date: string): string {
  return new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10)
}

t.test(
  "the report dates each recommendation by the plan: earliestAward is the plan's contract entry, and awardBy wins over weeksToAward",
  async (t) => {
    const profile: ProcurementProfile = {
      contract: { type: 'goods', estimatedValue: 400000, cpvCodes: ['34927100-2'] },
      constraints: { startDate: '2026-09-01', weeksToAward: 30, awardBy: '2026-11-10' }
    }
    const d = decide(profile)
    const recommended = d.procedures.filter((o) => o.rank !== null)
    t.ok(recommended.length >= 2, 'several recommendations')
    for (const o of recommended) {
      const entry = dateOf(plan(d, { procedureId: o.procedureId }), 'contract-entry')
      t.equal(o.timeline?.earliestAward, entry, `${o.procedureId}: the report's date is the plan's contract entry`)
    }
    const open = d.procedures.find((o) => o.procedureId === 'open-tender')!
    // Open tender from Tue 1 Sep 2026, as planned: tender notice 29 Sep (28 days' preparation);
    // tender deadline 24 Oct (25 days from the day after); award notice 24 Oct + 35 days = Sat 28 Nov,
    // moved past the weekend and Mon 30 Nov (St Andrew's Day, not a working day under s.123) to
    // Tue 1 Dec; standstill 1 Dec (day 1) to 10 Dec (day 8); contract entry 11 Dec. The deadline is
    // awardBy, 10 Nov (weeksToAward's 24 Mar 2027 loses): 31 days short. By law alone (no time for
    // the estimated stages): tender notice 1 Sep, deadline Sat 26 Sep, award notice Mon 28 Sep,
    // standstill to 7 Oct, entry 8 Oct. 10 Nov is after it: tight, not impossible.
    t.same(open.timeline, {
      minimumWeeks: 6,
      typicalWeeks: { min: 9, max: 17 },
      feasible: 'tight',
      earliestAward: '2026-12-11',
      awardBy: { date: '2026-11-10', from: 'awardBy', marginDays: -31, earliestByLaw: '2026-10-08' }
    })
    const tooSoon = decide({ ...profile, constraints: { startDate: '2026-09-01', awardBy: '2026-10-07' } })
    const openTooSoon = tooSoon.procedures.find((o) => o.procedureId === 'open-tender')!
    t.equal(openTooSoon.timeline?.feasible, 'no', 'a deadline the day before the earliest the law allows cannot be met')
    t.same(
      tooSoon.warnings.find((w) => w.code === 'timeline-too-short')?.message,
      'The best-scored procedure (Open tender) cannot meet an award by 2026-10-07: even with no time for the stages the law does not time, the earliest contract entry is 2026-10-08.'
    )
  }
)
