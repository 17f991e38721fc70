// Evaluates one procedure's compiled rules against the facts of a profile. Every rule is
// evaluated (no short circuit), so the decision can say all that held or failed.
import type { ProcedureId } from '../../schemas/common.js'
import type { Reason } from '../../schemas/report.js'
import type { Outcome, Predicate, Step, Vars } from './compile.js'
import type { Facts } from './conditions.js'

/** One rule's outcome in this evaluation: the reason it gives (with its rule id) and its points. */
export interface RuleOutcome {
  reason: Reason
  points: number
}

export interface Evaluation {
  procedureId: ProcedureId
  /** Excludes first, then supports, then weakens, each in rule order: the order of the report. */
  outcomes: RuleOutcome[]
  points: number
  excluded: boolean
}

export function toReason(o: Outcome, vars: Vars): Reason {
  const r: Reason = { ruleId: o.ruleId, factor: o.factor, effect: o.effect, text: o.text(vars) }
  if (o.legalBasis !== undefined) r.legalBasis = o.legalBasis
  if (o.confidence !== undefined) r.confidence = o.confidence
  return r
}

export function evaluate(procedureId: ProcedureId, facts: Facts, steps: Step[], vars: Vars): Evaluation {
  const excludes: RuleOutcome[] = []
  const supports: RuleOutcome[] = []
  const weakens: RuleOutcome[] = []
  let points = 0
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as Step
    if (step.applies !== undefined && !step.applies(facts)) continue
    let any = false
    for (let i = 0; i < step.checks.length; i++) {
      if (!(step.checks[i] as Predicate)(facts)) continue
      any = true
      const held = step.outcomes[i] as Outcome
      points += held.points
      const list = held.effect === 'excludes' ? excludes : held.effect === 'supports' ? supports : weakens
      list.push({ reason: toReason(held, vars), points: held.points })
      if (!step.all) break
    }
    if (!any && step.otherwise !== undefined) {
      points += step.otherwise.points
      excludes.push({ reason: toReason(step.otherwise, vars), points: step.otherwise.points })
    }
  }
  const outcomes = excludes.length === 0 ? (weakens.length === 0 ? supports : supports.concat(weakens)) : excludes.concat(supports, weakens)
  return { procedureId, outcomes, points, excluded: excludes.length > 0 }
}
