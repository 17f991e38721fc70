// The recommendation engine: profile in, decision out. Pure: imports nothing from Fastify, does
// no I/O once created, reads only the compiled catalogue and the working-day calendar. Every
// reason is a rule of rules.json (or one of the engine's own, ENGINE_RULE_IDS) whose condition
// held or failed in this evaluation, so a reason cannot disagree with the decision. The report, the
// plan and the paper are projections of the decision, made outside the engine (src/recommender.ts,
// src/projections/); the engine dates recommendations with src/timetable/.
import { PROCEDURE_IDS, type ProcedureId, type RegimeId } from '../../schemas/common.js'
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { Catalogue } from '../catalogue/load.js'
import type { FactName } from '../catalogue/schema.js'
import { timetable, timetableKey, type PlannedNotice } from '../timetable/index.js'
import { loadCalendar, type Calendar } from '../calendar/index.js'
import { arrangementFacts, compileArrangements } from './arrangements.js'
import { classify, type Classification, type Overrides } from './classify.js'
import { compileCatalogue, type CompiledCatalogue, type Step, type Vars } from './compile.js'
import type { Facts } from './conditions.js'
import type { Decision, DecisionResult, DerivedFacts } from './decision.js'
import { evaluate, type Context } from './evaluate.js'
import { knowledgeOf } from './knowledge.js'
import { assumedInputsOf, questionsOf, type Outcomes } from './assumed.js'
import { directAwardAndPsrFacts } from './facts.js'
import { normalise, type NormalisedProfile } from './normalise.js'
import { timetableInputOf } from './planned.js'
import { evaluateProcesses, valueTestOf } from './psr.js'
import { rank } from './rank.js'
import { timelineOf } from './timeline.js'
import { warningsOf } from './warnings.js'

export type { Decision, DecisionResult, Refused } from './decision.js'
export { ENGINE_RULE_IDS } from './compile.js'

export interface Engine {
  /** The full decision: normalised input, derived facts, every rule's outcome, ranking, warnings. */
  decide(profile: ProcurementProfile, now: Date): DecisionResult
  readonly compiled: CompiledCatalogue
}

/**
 * Compiles the catalogue once (rules per regime and procedure, conditions and templates) and returns the
 * evaluator. The working-day calendar dates each recommendation's earliest award where a plan applies.
 */
export function createEngine(catalogue: Catalogue, calendar: Calendar = loadCalendar()): Engine {
  const compiled = compileCatalogue(catalogue)
  const arrangements = compileArrangements(catalogue)
  const pa2023From = catalogue.selection.pa2023From.date

  // What the engine takes from a default timetable, memoised by everything such a timetable reads
  // (timetableKey): pure, so a cached answer is the answer. Bounded: cleared when full.
  interface PlanFacts {
    entry: string | undefined
    notices: PlannedNotice[]
    process: string | undefined
  }
  const timetableData = { timetables: catalogue.timetables, calendar }
  const planMemo = new Map<string, PlanFacts | null>()
  function planFacts(d: Decision & { regime: 'pa2023' | 'psr2023' }, procedureId: ProcedureId, lawOnly: boolean): PlanFacts | undefined {
    const input = timetableInputOf(compiled, d, procedureId, { lawOnly })
    const key = timetableKey(input)
    let facts = planMemo.get(key)
    if (facts === undefined) {
      const made = timetable(timetableData, input)
      facts = made.ok
        ? {
            entry: made.timetable.milestones.find((m) => m.id === 'contract-entry')?.date,
            notices: made.timetable.notices,
            process: made.timetable.process?.id
          }
        : null
      if (planMemo.size >= 20_000) planMemo.clear()
      planMemo.set(key, facts)
    }
    return facts ?? undefined
  }

  function decide(profile: ProcurementProfile, now: Date): DecisionResult {
    const result = decideWith(profile, now, {})
    if (!result.ok) return result
    const d = result.decision
    // A broad main code that no category settled: the decision under the other reading too.
    for (const b of d.facts.broad) {
      if (b.settledBy !== undefined) continue
      const other = decideWith(profile, now, { [b.line]: !b.reading }, false)
      if (other.ok) d.alternatives.push({ line: b.line, reading: !b.reading, decision: other.decision })
    }
    return result
  }

  function decideWith(profile: ProcurementProfile, now: Date, overrides: Overrides, explain = true): DecisionResult {
    const generatedAt = now.toISOString()
    const p = normalise(profile, generatedAt.slice(0, 10))
    const c = classify(catalogue, p, overrides)
    const arranged = arrangementFacts(catalogue, p, c.dateRegime)
    // A profile the service does not cover is answered as such whatever else it says.
    const notCovered = arrangements.refusal('not-covered', arranged.facts, { startDate: p.startDate, pa2023From })
    if (notCovered) return { ok: false, error: { pointer: notCovered.pointer, message: notCovered.message, notCovered: true } }
    if (p.startDate < catalogue.earliestThresholdDate) {
      return {
        ok: false,
        error: {
          pointer: profile.constraints?.startDate === undefined ? '' : '/constraints/startDate',
          message: `must be on or after ${catalogue.earliestThresholdDate}, the earliest date the thresholds on record cover`
        }
      }
    }
    if (!c.threshold) {
      // Cannot happen with a valid catalogue (the loader checks coverage); never guess.
      return { ok: false, error: { pointer: '/constraints/startDate', message: `no threshold on record for ${p.startDate}` } }
    }
    const facts: DerivedFacts = { ...c, threshold: c.threshold, aboveThreshold: p.estimatedValue >= c.threshold.amount }
    const { regime } = facts
    const { valueTest, vars: psrVars } = valueTestOf(catalogue, p, compiled.formatMoney)
    const ruleFacts = ruleFactsOf(p, facts, c, arranged.facts, valueTest)
    const vars: Vars = {
      ...varsOf(p, facts, c, compiled, catalogue),
      agreementName: arrangements.agreementName(p, regime),
      worksSuitabilityThreshold: arranged.suitability ? compiled.formatMoney(arranged.suitability.amount) : '',
      ...psrVars
    }
    const invalid = arrangements.refusal('invalid', ruleFacts, vars) ?? arrangements.noRoute(p, regime, vars)
    if (invalid) return { ok: false, error: { pointer: invalid.pointer, message: invalid.message } }
    const sections = arrangements.sections(p, regime, ruleFacts, vars)
    if (sections.unconfirmed.length > 0) facts.unconfirmed = [...facts.unconfirmed, ...sections.unconfirmed]

    const ctx: Context = { facts: ruleFacts, knowledge: knowledgeOf(profile), vars }
    // The PSR award process is decided only from the facts the profile gives (healthCare).
    const withProcesses = regime === 'psr2023' && p.healthCare !== undefined
    const { outcomes, outcomesWith } = evaluated(compiled, regime, ctx, withProcesses)
    const { procedures, ranking, processes } = outcomes
    for (const outcome of procedures) {
      if (outcome.rank === null) continue
      outcome.timeline = timelineOf(catalogue.procedureById.get(outcome.procedureId)!.routes[regime]!, p)
    }
    if (processes) {
      ruleFacts['psr.availableProcesses'] = processes
        .filter((o) => o.status !== 'not-available' && o.toConfirm.length === 0)
        .map((o) => o.processId)
    }
    const decision: Decision = {
      generatedAt,
      date: p.startDate,
      rulesetVersion: catalogue.rulesetVersion,
      input: p,
      facts,
      ruleFacts,
      knowledge: ctx.knowledge,
      // Said of the answer itself; the other reading of a broad code reports only its ranking.
      assumedInputs: explain ? assumedInputsOf(compiled, profile, ctx, outcomes) : [],
      questions: explain ? questionsOf(compiled, ctx, outcomes, outcomesWith) : [],
      procedures,
      ranking,
      warnings: [],
      regime,
      processes,
      alternatives: []
    }
    // Where a dated plan applies, each recommendation's timeline is checked by the timetable's own
    // calculation: its earliest contract entry (the timetable with default options).
    for (const outcome of procedures) {
      if (outcome.rank === null || catalogue.timetables.shapes[outcome.procedureId]?.[regime] === undefined) continue
      if (regime === 'pcr2015') continue
      const timed = { ...decision, regime }
      const plan = planFacts(timed, outcome.procedureId, false)
      if (plan?.entry === undefined) continue
      const route = catalogue.procedureById.get(outcome.procedureId)!.routes[regime]!
      outcome.timeline = timelineOf(route, p, {
        planned: plan.entry,
        lawOnly: () => planFacts(timed, outcome.procedureId, true)?.entry
      })
      outcome.planned = plan.process === undefined ? { notices: plan.notices } : { notices: plan.notices, process: plan.process }
    }
    const top = procedures.find((o) => o.rank === 1)!
    decision.warnings = warningsOf(
      compiled,
      p,
      facts,
      { name: catalogue.procedureById.get(top.procedureId)!.name, timeline: top.timeline! },
      vars,
      processes
    )
    if (sections.agreement) decision.agreement = sections.agreement
    if (sections.concession) decision.concession = sections.concession
    return { ok: true, decision }
  }

  return { compiled, decide }
}

/**
 * Every procedure evaluated and ranked, and the PSR processes where they are decided; and the same
 * with one fact answered differently, for the questions: only what reads that fact is evaluated again.
 */
function evaluated(
  compiled: CompiledCatalogue,
  regime: RegimeId,
  ctx: Context,
  withProcesses: boolean
): { outcomes: Outcomes; outcomesWith: (at: Context, changed: FactName) => Outcomes } {
  const steps = compiled.steps.get(regime) as Map<ProcedureId, Step[]>
  const reads = compiled.reads.get(regime) as Map<ProcedureId, Set<FactName>>
  const evaluations = PROCEDURE_IDS.map((id) => evaluate(id, steps.get(id) as Step[], ctx))
  const outcomes: Outcomes = {
    ...rank(compiled, regime, evaluations),
    processes: withProcesses ? evaluateProcesses(compiled.psrProcesses, ctx).outcomes : undefined
  }
  const outcomesWith = (at: Context, changed: FactName): Outcomes => {
    const again = evaluations.map((e) =>
      reads.get(e.procedureId)?.has(changed) ? evaluate(e.procedureId, steps.get(e.procedureId) as Step[], at) : e
    )
    const processes =
      withProcesses && compiled.psrReads.has(changed) ? evaluateProcesses(compiled.psrProcesses, at).outcomes : outcomes.processes
    return { ...rank(compiled, regime, again), processes }
  }
  return { outcomes, outcomesWith }
}

/** The facts the rules read (named in src/catalogue/rules.json), from the profile and its classification. */
function ruleFactsOf(
  p: NormalisedProfile,
  facts: DerivedFacts,
  c: Classification,
  arranged: ReturnType<typeof arrangementFacts>['facts'],
  valueTest: Parameters<typeof directAwardAndPsrFacts>[1]
): Facts {
  return {
    regime: facts.regime,
    'contract.type': p.contractType,
    ...arranged,
    'value.aboveThreshold': facts.aboveThreshold,
    'value.lightTouch': c.lightTouch,
    'value.healthCare': c.healthCare,
    'need.solutionMaturity': p.solutionMaturity,
    'need.requirementsClarity': p.requirementsClarity,
    'need.researchAndDevelopment': p.researchAndDevelopment,
    'need.complexOrRisky': p.complexOrRisky,
    'process.negotiation': p.negotiation,
    'process.demonstrations': p.demonstrations,
    'process.pitchOrPilot': p.pitchOrPilot,
    'process.coDevelopment': p.coDevelopment,
    'constraints.urgency': p.urgency,
    'constraints.existingAgreement': p.existingAgreement,
    'constraints.singleSupplier': p.singleSupplier,
    'constraints.teamCapacity': p.teamCapacity,
    priorities: p.priorities,
    ...directAwardAndPsrFacts(p, valueTest)
  }
}

/** The values the rules' texts name, that come from the profile and its classification. */
function varsOf(p: NormalisedProfile, facts: DerivedFacts, c: Classification, compiled: CompiledCatalogue, catalogue: Catalogue): Vars {
  const { regime, threshold } = facts
  return {
    estimatedValue: compiled.formatMoney(p.estimatedValue),
    threshold: compiled.formatMoney(threshold.amount),
    thresholdKind: threshold.kind,
    startDate: p.startDate,
    regimeName: catalogue.regimeById.get(regime)?.name ?? regime,
    regimeReason: c.regimeReason,
    lightTouchReason: c.lightTouchReason,
    solutionMaturity: p.solutionMaturity,
    requirementsClarity: p.requirementsClarity,
    singleSupplier: p.singleSupplier,
    contractType: p.contractType,
    pa2023From: catalogue.selection.pa2023From.date,
    termMonths: String(p.agreement?.termMonths ?? ''),
    otherAuthorities: otherAuthoritiesText(p.agreement?.otherAuthorities ?? 0),
    urgency: p.urgency,
    previousProcedure: p.previousCompetition?.procedure ?? 'none',
    directAwardGrounds: p.directAwardGrounds.join(', ')
  }
}

/** "1 other authority", "4 other authorities": for the notes about authorities that share what is set up. */
function otherAuthoritiesText(n: number): string {
  return n === 1 ? '1 other authority' : `${n} other authorities`
}
