// The engine's decision and the report as its projection: every reason carries the id of the
// rule that gave it, every id names a rule of rules.json (or one of the engine's own two), and the
// report says nothing the decision does not.
import t from 'tap'
import fc from 'fast-check'
import { PROCEDURE_IDS } from '../schemas/common.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { RESERVED_RULE_IDS } from '../src/catalogue/schema.js'
import { createRecommender } from '../src/recommender.js'
import { projectReport } from '../src/projections/report.js'
import { validProfile } from './helpers/arbitraries.js'

const NOW = new Date('2026-11-25T10:00:00Z')
const catalogue = loadCatalogue()
const engine = createRecommender(catalogue)

/**
 * Every rule id a reason may carry: each rule, each "<rule>/<ground>" and its conditions and
 * duties "<rule>/<ground>/<id>", each claim a regime does not recognise, the engine's own; and of
 * the PSR processes, each "<process>/<route>", "<process>/<route>/<id>" and "<process>/<preference>".
 */
const KNOWN_IDS = new Set<string>([...RESERVED_RULE_IDS])
for (const rule of catalogue.rules) {
  KNOWN_IDS.add(rule.id)
  if (rule.kind !== 'require-any') continue
  for (const g of rule.grounds) {
    KNOWN_IDS.add(`${rule.id}/${g.id}`)
    for (const c of [...(g.conditions ?? []), ...(g.duties ?? [])]) KNOWN_IDS.add(`${rule.id}/${g.id}/${c.id}`)
  }
  for (const n of rule.notRecognised ?? []) KNOWN_IDS.add(`${rule.id}/${n.id}`)
}
for (const p of catalogue.psrProcesses.processes) {
  for (const r of p.routes) {
    KNOWN_IDS.add(`${p.id}/${r.id}`)
    for (const c of [...r.conditions, ...(r.duties ?? [])]) KNOWN_IDS.add(`${p.id}/${r.id}/${c.id}`)
  }
  for (const pref of p.preferences ?? []) KNOWN_IDS.add(`${p.id}/${pref.id}`)
}

const SOCIAL_CARE: ProcurementProfile = {
  reference: 'LBX-2026-031',
  contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] },
  process: { negotiation: true },
  constraints: { startDate: '2026-03-02', weeksToAward: 20 }
}

t.test('the decision holds the input with defaults, the derived facts, the ruleset and the date', async (t) => {
  const result = engine.decide(SOCIAL_CARE, NOW)
  if (!result.ok) throw new Error('refused')
  const d = result.decision
  t.equal(d.date, '2026-03-02')
  t.equal(d.generatedAt, '2026-11-25T10:00:00.000Z')
  t.equal(d.rulesetVersion, catalogue.rulesetVersion)
  t.equal(d.input.teamCapacity, 'medium', 'defaults applied')
  t.equal(d.input.urgency, 'standard')
  t.equal(d.regime, 'pa2023')
  t.equal(d.facts.lightTouch, true)
  t.equal(d.facts.threshold.amount, 663540)
  t.equal(d.facts.aboveThreshold, true)
  t.equal(d.ruleFacts['value.lightTouch'], true)
  t.equal(d.ruleFacts['process.negotiation'], true)
  t.same(
    d.procedures.map((p) => p.procedureId),
    PROCEDURE_IDS,
    'every procedure, in the contract order'
  )
  t.equal(d.ranking[0], 'light-touch')
  const lightTouch = d.procedures.find((p) => p.procedureId === 'light-touch')!
  t.equal(lightTouch.rank, 1)
  // The plan of the light-touch procedure from Mon 2 Mar 2026: tender notice 30 Mar (28 days'
  // preparation), offers 20 Apr (21 days, no statutory minimum), award notice 25 May + 0 = Mon 25 May,
  // the spring bank holiday, so Tue 26 May (21 days' evaluation + 14 days' governance); no
  // standstill for light touch (s.51(3)), so contract entry the day after: 27 May. The deadline is
  // 2 Mar + 20 weeks = 20 Jul: 54 days to spare, but 20 weeks is under the typical 26: tight.
  t.same(lightTouch.timeline, {
    minimumWeeks: lightTouch.timeline!.minimumWeeks,
    typicalWeeks: { min: 9, max: 26 },
    feasible: 'tight',
    earliestAward: '2026-05-27',
    awardBy: { date: '2026-07-20', from: 'weeksToAward', marginDays: 54 }
  })
  t.ok(
    lightTouch.outcomes.some((o) => o.reason.ruleId === 'light-touch-service' && o.reason.effect === 'supports'),
    'the light-touch-service rule held'
  )
  const psr = d.procedures.find((p) => p.procedureId === 'provider-selection-regime')!
  t.equal(psr.rank, null)
  t.equal(psr.score, null, 'an excluded procedure has no score')
  t.ok(psr.outcomes.some((o) => o.reason.ruleId === 'psr-applies' && o.reason.effect === 'excludes'))
})

t.test('the report is the projection of the decision: same order, same reasons, same warnings', async (t) => {
  const result = engine.decide(SOCIAL_CARE, NOW)
  if (!result.ok) throw new Error('refused')
  const d = result.decision
  const report = projectReport(engine.compiled, d)
  t.same(report, (engine.recommend(SOCIAL_CARE, NOW) as { report: unknown }).report)
  t.same(
    report.recommendations.map((r) => r.procedureId),
    d.ranking
  )
  t.same(report.warnings, d.warnings)
  for (const r of report.recommendations) {
    const p = d.procedures.find((x) => x.procedureId === r.procedureId)!
    t.same(
      r.reasons,
      p.outcomes.map((o) => o.reason)
    )
    t.equal(r.score, p.score)
  }
})

t.test('a direct-award ground names its rule and ground; a procedure with no route names the engine rule', async (t) => {
  const result = engine.recommend(
    {
      contract: { type: 'services', estimatedValue: 400000, cpvCodes: ['72000000-5'] },
      // Stated: a need the profile leaves out is unknown, and then pcp-rnd is to confirm, not failed.
      need: { researchAndDevelopment: false },
      constraints: { startDate: '2026-03-02', singleSupplier: 'exclusive-rights' }
    },
    NOW
  )
  if (!result.ok) throw new Error('refused')
  const direct = [...result.report.recommendations, ...result.report.notRecommended].find((p) => p.procedureId === 'direct-award')!
  t.ok(
    direct.reasons.some((r) => r.ruleId === 'direct-award-ground/exclusive-rights' && r.effect === 'supports'),
    'the exclusive-rights ground of direct-award-ground'
  )
  const pcp = result.report.notRecommended.find((p) => p.procedureId === 'pre-commercial-procurement')!
  t.equal(pcp.reasons[0]!.ruleId, 'pcp-rnd')
  const psrUnderPa = result.report.notRecommended.find((p) => p.procedureId === 'provider-selection-regime')!
  t.equal(psrUnderPa.reasons[0]!.ruleId, 'psr-applies')
})

t.test('every reason of every report carries the id of a known rule, with the effect that rule can give', async (t) => {
  const effects = new Map<string, Set<string>>()
  fc.assert(
    fc.property(validProfile, (profile) => {
      const result = engine.recommend(profile, NOW)
      if (!result.ok) return
      const processes = result.report.recommendations.flatMap((r) => r.processes ?? [])
      for (const p of [...result.report.recommendations, ...result.report.notRecommended, ...processes]) {
        for (const r of p.reasons) {
          if (!KNOWN_IDS.has(r.ruleId)) throw new Error(`unknown rule id ${r.ruleId} in ${'procedureId' in p ? p.procedureId : p.id}`)
          const set = effects.get(r.ruleId) ?? new Set()
          set.add(r.effect)
          effects.set(r.ruleId, set)
        }
      }
    }),
    { numRuns: 500 }
  )
  // A score rule only supports or only weakens; the engine's own rules say what they say.
  for (const rule of catalogue.rules.filter((r) => r.kind === 'score')) {
    const seen = [...(effects.get(rule.id) ?? [])]
    if (seen.length > 0) t.same(seen, [rule.points >= 0 ? 'supports' : 'weakens'], `${rule.id} gives ${seen.join(', ')}`)
  }
  // No legal route only ever excludes (the rules usually exclude such a procedure first, so it is rare).
  t.ok([...(effects.get('no-legal-route') ?? [])].every((e) => e === 'excludes'))
  t.same([...(effects.get('below-minimum-score') ?? [])], ['weakens'], 'a low score is seen, and only weakens')
})

t.test('under the PSR with healthCare the decision holds every process; the report projects them, ranked', async (t) => {
  const profile: ProcurementProfile = {
    contract: { type: 'services', estimatedValue: 2200000, cpvCodes: ['85312500-4'] },
    constraints: { startDate: '2026-06-01' },
    // Every fact stated: one left out is unknown, and its process then available with it to confirm.
    healthCare: {
      existingProvider: true,
      onlyExistingProviderCapable: false,
      patientChoice: false,
      existingContractExpiring: true,
      existingProviderSatisfactory: true,
      materiallyDifferent: false,
      mostSuitableProviderIdentifiable: false,
      delayRisksSafety: false,
      existingContractValue: 2000000
    }
  }
  const result = engine.decide(profile, NOW)
  if (!result.ok) throw new Error('refused')
  const d = result.decision
  t.same(
    d.processes?.map((p) => [p.processId, p.status, p.rank]),
    [
      ['direct-award-a', 'not-available', null],
      ['direct-award-b', 'not-available', null],
      ['direct-award-c', 'available', 1],
      ['most-suitable-provider', 'available', 2],
      ['competitive-process', 'available', 3],
      ['urgent-award', 'not-available', null]
    ],
    "in the regulations' order, with status and rank"
  )
  t.same(d.ruleFacts['psr.availableProcesses'], ['direct-award-c', 'most-suitable-provider', 'competitive-process'])
  t.equal(d.ruleFacts['healthCare.valueTest'], 'not-met', '+£200,000 (+10%) is under both £500,000 and 25%')
  const psr = projectReport(engine.compiled, d).recommendations[0]!
  t.same(
    psr.processes?.map((p) => p.id),
    ['direct-award-c', 'most-suitable-provider', 'competitive-process', 'direct-award-a', 'direct-award-b', 'urgent-award'],
    "ranked first, then the others in the regulations' order"
  )
  t.same(psr.legalRoute.process, {
    id: 'direct-award-c',
    name: 'Direct Award Process C',
    legalBasis: 'PSR 2023 regs 6(5) and 9',
    mandatory: false
  })
  const c = d.processes!.find((p) => p.processId === 'direct-award-c')!
  t.same(
    psr.processes![0]!.reasons,
    c.outcomes.map((o) => o.reason),
    "the reasons are the evaluation's"
  )

  const without = engine.decide({ ...profile, healthCare: undefined }, NOW)
  if (!without.ok) throw new Error('refused')
  t.equal(without.decision.processes, undefined, 'no healthCare: the process is not decided')
  t.equal(projectReport(engine.compiled, without.decision).recommendations[0]!.processes, undefined)
})
