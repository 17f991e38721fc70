// Evaluates one procedure's compiled rules against the facts of a profile. Every rule is
// evaluated (no short circuit), so the decision can say all that held or failed.
import type { ProcedureId } from '../../schemas/common.js'
import type { Reason } from '../../schemas/report.js'
import type { Ground, Outcome, Step, Vars } from './compile.js'
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

export function toReason(o: Outcome, vars: Vars, effect: Reason['effect'] = o.effect): Reason {
  const r: Reason = { ruleId: o.ruleId, factor: o.factor, effect, text: o.text(vars) }
  if (o.legalBasis !== undefined) r.legalBasis = o.legalBasis
  if (o.confidence !== undefined) r.confidence = o.confidence
  return r
}

const held = (o: Outcome, vars: Vars): RuleOutcome => ({ reason: toReason(o, vars), points: o.points })

/** What a ground or a route concluded: whether it was considered and held, and the reasons either way. */
export interface GroundResult {
  considered: boolean
  holds: boolean
  /** When it holds: its own reason (with its points), its held conditions, its duties. */
  supports: RuleOutcome[]
  /** When it was considered and failed: its failed conditions, with effect "excludes". */
  failed: RuleOutcome[]
}

export function evaluateGround(a: Ground, facts: Facts, vars: Vars): GroundResult {
  if (a.claimed !== undefined && !a.claimed(facts)) return { considered: false, holds: false, supports: [], failed: [] }
  const heldChecks: RuleOutcome[] = []
  const failed: RuleOutcome[] = []
  let holds = true
  for (const c of a.checks) {
    if (c.applies !== undefined && !c.applies(facts)) continue
    if (c.check(facts)) {
      if (c.held) heldChecks.push(held(c.held, vars))
    } else {
      holds = false
      if (c.failed) failed.push(held(c.failed, vars))
    }
  }
  if (!holds) return { considered: true, holds, supports: [], failed }
  return { considered: true, holds, supports: [held(a.held, vars), ...heldChecks, ...a.duties.map((d) => held(d, vars))], failed: [] }
}

/**
 * A require-any rule: the grounds that hold support; the failed conditions of grounds claimed but
 * not holding, and claims the regime does not recognise, weaken (0 points) when a ground holds and
 * exclude when none does; with no ground holding and nothing to say why, the rule's failText excludes.
 */
function evaluateGrounds(step: Step, facts: Facts, vars: Vars): { supports: RuleOutcome[]; against: RuleOutcome[]; any: boolean } {
  const supports: RuleOutcome[] = []
  const against: RuleOutcome[] = []
  for (const ground of step.grounds ?? []) {
    const r = evaluateGround(ground, facts, vars)
    supports.push(...r.supports)
    against.push(...r.failed)
  }
  for (const n of step.notRecognised ?? []) if (n.claimed(facts)) against.push(held(n.outcome, vars))
  return { supports, against, any: supports.length > 0 }
}

export function evaluate(procedureId: ProcedureId, facts: Facts, steps: Step[], vars: Vars): Evaluation {
  const excludes: RuleOutcome[] = []
  const supports: RuleOutcome[] = []
  const weakens: RuleOutcome[] = []
  let points = 0
  const add = (o: RuleOutcome): void => {
    points += o.points
    const list = o.reason.effect === 'excludes' ? excludes : o.reason.effect === 'supports' ? supports : weakens
    list.push(o)
  }
  for (const step of steps) {
    if (step.applies !== undefined && !step.applies(facts)) continue
    if (step.grounds !== undefined) {
      const g = evaluateGrounds(step, facts, vars)
      g.supports.forEach(add)
      if (g.any) for (const o of g.against) add({ reason: { ...o.reason, effect: 'weakens' }, points: 0 })
      else if (g.against.length > 0) g.against.forEach(add)
      else add(held(step.otherwise as Outcome, vars))
      continue
    }
    if ((step.check as (f: Facts) => boolean)(facts)) add(held(step.outcome as Outcome, vars))
    else if (step.otherwise !== undefined) add(held(step.otherwise, vars))
  }
  const outcomes = excludes.length === 0 ? (weakens.length === 0 ? supports : supports.concat(weakens)) : excludes.concat(supports, weakens)
  return { procedureId, outcomes, points, excluded: excludes.length > 0 }
}
