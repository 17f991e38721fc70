// Evaluates one procedure's compiled rules against the facts of a profile, in three values: a
// legal condition that turns on a fact the profile leaves unknown neither holds nor fails, it is
// to confirm. Only given or derived facts exclude; preferences change scores, never legality; a
// default may still rank, and every reason that rests on one says so (basis "assumed"). Every
// rule is evaluated (no short circuit), so the decision can say all that held, failed or is open.
import type { ProcedureId } from '../../schemas/common.js'
import type { Reason } from '../../schemas/report.js'
import type { FactName } from '../catalogue/schema.js'
import type { Compiled, Ground, Outcome, Step, Vars } from './compile.js'
import type { Facts, Tri } from './conditions.js'
import { pointerOf, type Basis, type Knowledge } from './knowledge.js'

/** One rule's outcome in this evaluation: the reason it gives (with its rule id) and its points. */
export interface RuleOutcome {
  reason: Reason
  points: number
  /** The facts the rule read (for what an assumed input did to the answer). */
  reads?: FactName[]
}

/** A legal condition no given fact establishes or refutes: what to confirm, and where the answer goes. */
export interface ToConfirm {
  ruleId: string
  /** From a ground the profile claims: the council asked for this route, so it ranks on its score. */
  claimed?: true
  pointer?: string
  condition: string
  legalBasis?: string
}

export type GroundStatus = 'holds' | 'fails' | 'toConfirm'

/** A claimed direct award ground: each of its conditions, and what the record must show. */
export interface GroundReport {
  id: string
  status: GroundStatus
  conditions: { text: string; status: GroundStatus; legalBasis?: string }[]
  evidence?: string
}

export interface Evaluation {
  procedureId: ProcedureId
  /** Excludes first, then supports, then weakens, each in rule order: the order of the report. */
  outcomes: RuleOutcome[]
  points: number
  excluded: boolean
  /** Legal conditions that turn on unknown facts; they never exclude. */
  toConfirm: ToConfirm[]
  /** The grounds claimed, where the procedure's grounds say what the record must show. */
  grounds: GroundReport[]
}

/** What an evaluation reads: the facts (defaults applied), what is known of them, the texts' values. */
export interface Context {
  facts: Facts
  knowledge: Knowledge
  vars: Vars
  /** Other facts that may be the case (PSR processes that may be available): a condition is known only where both agree. */
  alternate?: Facts | undefined
}

const lowerFirst = (text: string): string => (/^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text)

/** A ground claimed but not established: its reason, said as the council's claim that is still to confirm. */
function claimedReason(o: RuleOutcome): RuleOutcome {
  return { ...o, reason: { ...o.reason, text: `Claimed by the council, to confirm: ${lowerFirst(o.reason.text)}` } }
}

/** "Not stated, so assumed: off-the-shelf solutions exist." A reason resting on a default says so. */
function assumedText(text: string): string {
  return `Not stated, so assumed: ${lowerFirst(text)}`
}

export function toReason(o: Outcome, vars: Vars, effect: Reason['effect'] = o.effect, basis: Basis = 'derived', onUnknown = false): Reason {
  const text = o.text(vars)
  const r: Reason = { ruleId: o.ruleId, factor: o.factor, effect, text: onUnknown ? assumedText(text) : text }
  // In the schema's order (projections/report-json.ts).
  if (o.legalBasis !== undefined) r.legalBasis = o.legalBasis
  if (o.confidence !== undefined) r.confidence = o.confidence
  r.basis = basis
  return r
}

const readsOf = (...conditions: (Compiled | undefined)[]): Compiled[] => conditions.filter((c) => c !== undefined)

/**
 * What a reason rests on: the facts its conditions read whose values decide them. An assumed fact
 * counts only where the condition turns on it (with it alone unknown, the condition would be);
 * the reason is then assumed, and it is printed as an assumption when that fact is unknown.
 */
function restsOn(conditions: Compiled[], ctx: Context, claimsOnly = false): { basis: Basis; reads: FactName[]; onUnknown: boolean } {
  const k = ctx.knowledge
  const reads: FactName[] = []
  let basis: Basis = 'given'
  let onUnknown = false
  for (const c of conditions) {
    for (const f of c.reads) {
      // Grounds the council must claim: a fact it leaves unknown claims nothing, so nothing rests on it.
      if (claimsOnly && k.unknown.has(f)) continue
      const b = k.basis[f]
      if (b === 'assumed') {
        if (c.tri(ctx.facts, new Set([f])) !== undefined) continue
        basis = 'assumed'
        if (k.unknown.has(f)) onUnknown = true
      } else if (b === 'derived' && basis === 'given') basis = 'derived'
      if (!reads.includes(f)) reads.push(f)
    }
  }
  return { basis, reads, onUnknown }
}
function tri(c: Compiled | undefined, ctx: Context): Tri {
  if (c === undefined) return true
  const value = c.tri(ctx.facts, ctx.knowledge.unknown)
  if (ctx.alternate === undefined || value === undefined) return value
  return c.tri(ctx.alternate, ctx.knowledge.unknown) === value ? value : undefined
}

export function reasonOf(
  o: Outcome,
  ctx: Context,
  conditions: Compiled[],
  effect: Reason['effect'] = o.effect,
  claimsOnly = false
): RuleOutcome {
  const { basis, reads, onUnknown } = restsOn(conditions, ctx, claimsOnly)
  return { reason: toReason(o, ctx.vars, effect, basis, onUnknown), points: o.points, reads }
}

function confirmOf(o: Outcome, ctx: Context, conditions: Compiled[]): ToConfirm {
  const unknown = conditions.flatMap((c) => c.reads).find((f) => ctx.knowledge.unknown.has(f))
  const pointer = unknown === undefined ? undefined : pointerOf(unknown)
  const c: ToConfirm = { ruleId: o.ruleId, condition: o.text(ctx.vars) }
  if (pointer !== undefined) c.pointer = pointer
  if (o.legalBasis !== undefined) c.legalBasis = o.legalBasis
  return c
}

/** What a ground or a route concluded, and the reasons either way. */
export interface GroundResult {
  considered: boolean
  /** Whether the profile claims it: true, or undefined when the claim turns on an unknown fact. */
  claimed: Tri
  status: GroundStatus
  /** Its own reason when it holds (with its points), its held conditions, its duties. */
  supports: RuleOutcome[]
  /** When it fails: its failed conditions, with effect "excludes". */
  failed: RuleOutcome[]
  /** When it is to confirm: what to confirm. */
  confirm: ToConfirm[]
  report: GroundReport
}

const notConsidered = (id: string): GroundResult => ({
  considered: false,
  claimed: false,
  status: 'fails',
  supports: [],
  failed: [],
  confirm: [],
  report: { id, status: 'fails', conditions: [] }
})

export function evaluateGround(a: Ground, ctx: Context): GroundResult {
  const claimed = tri(a.claimed, ctx)
  // A ground the record must justify is considered only when the profile claims it: an unknown
  // fact does not claim one ("no ground claimed" counts as given).
  if (claimed === false || (claimed === undefined && a.mustBeClaimed)) return notConsidered(a.id)
  const claimReads = readsOf(a.claimed)
  const heldChecks: RuleOutcome[] = []
  const failed: RuleOutcome[] = []
  const confirm: ToConfirm[] = []
  const conditions: GroundReport['conditions'] = []
  let fails = false
  let open = false
  const listed = (o: Outcome | undefined, status: GroundStatus): void => {
    if (o) conditions.push({ text: o.text(ctx.vars), status, ...(o.legalBasis !== undefined ? { legalBasis: o.legalBasis } : {}) })
  }
  // The ground itself: claimed on a fact the profile gives, or only named (then it is to confirm).
  const established = a.evidence === undefined ? claimed : a.established === undefined ? false : tri(a.established, ctx)
  if (established === true) listed(a.held, 'holds')
  else {
    confirm.push(confirmOf(a.held, ctx, claimReads))
    listed(a.held, 'toConfirm')
  }
  for (const c of a.checks) {
    const applies = tri(c.applies, ctx)
    if (applies === false) continue
    const reads = [...readsOf(c.check, c.applies), ...claimReads]
    const holds = tri(c.check, ctx)
    // Whether it applies turns on an unknown fact: only a check that would fail is to confirm.
    if (applies === undefined && holds !== false) continue
    if (holds === true) {
      if (c.held) heldChecks.push(reasonOf(c.held, ctx, reads))
      listed(c.held, 'holds')
    } else if (holds === false && applies === true) {
      fails = true
      if (c.failed) failed.push(reasonOf(c.failed, ctx, reads))
      listed(c.failed, 'fails')
    } else {
      open = true
      const o = c.confirm ?? c.failed
      if (o) confirm.push(confirmOf(o, ctx, reads))
      listed(o, 'toConfirm')
    }
  }
  const status: GroundStatus = fails ? 'fails' : open || confirm.length > 0 ? 'toConfirm' : 'holds'
  const report: GroundReport = { id: a.id, status, conditions }
  if (a.evidence !== undefined) report.evidence = a.evidence
  const duties = a.duties.map((d) => reasonOf(d, ctx, claimReads))
  if (status === 'fails') return { considered: true, claimed, status, supports: [], failed, confirm: [], report }
  if (status === 'toConfirm') {
    // Claimed, so it ranks with its points; said as a claim, not as a fact.
    const claim = claimed === true ? [claimedReason(reasonOf(a.held, ctx, claimReads))] : []
    if (claimed === true) for (const c of confirm) c.claimed = true
    return { considered: true, claimed, status, supports: [...claim, ...heldChecks, ...duties], failed: [], confirm, report }
  }
  return {
    considered: true,
    claimed,
    status,
    supports: [reasonOf(a.held, ctx, claimReads), ...heldChecks, ...duties],
    failed: [],
    confirm: [],
    report
  }
}

/**
 * A require-any rule: the grounds that hold support; the failed conditions of grounds claimed but
 * not holding, and claims the regime does not recognise, weaken (0 points) when a ground holds or
 * may hold, and exclude when none can; grounds that may hold leave what to confirm; with no ground
 * claimed and nothing to say why, the rule's failText excludes.
 */
function evaluateGrounds(step: Step, ctx: Context, add: (o: RuleOutcome) => void, e: Evaluation): void {
  const results = (step.grounds ?? []).map((g) => evaluateGround(g, ctx))
  const against = results.flatMap((r) => r.failed)
  for (const n of step.notRecognised ?? []) if (tri(n.claimed, ctx) === true) against.push(reasonOf(n.outcome, ctx, [n.claimed]))
  if (step.grounds?.some((g) => g.evidence !== undefined)) e.grounds.push(...results.filter((r) => r.claimed === true).map((r) => r.report))
  const holding = results.filter((r) => r.status === 'holds')
  const open = results.filter((r) => r.considered && r.status === 'toConfirm')
  for (const r of holding) r.supports.forEach(add)
  if (holding.length > 0 || open.length > 0) {
    for (const o of against) add({ ...o, reason: { ...o.reason, effect: 'weakens' }, points: 0 })
    if (holding.length > 0) return
    for (const r of open) r.supports.forEach(add)
    if (step.confirm) {
      e.toConfirm.push(
        confirmOf(
          step.confirm,
          ctx,
          (step.grounds ?? []).flatMap((g) => readsOf(g.claimed))
        )
      )
    } else for (const r of open) e.toConfirm.push(...r.confirm)
    return
  }
  if (against.length > 0) against.forEach(add)
  else {
    add(
      reasonOf(
        step.otherwise as Outcome,
        ctx,
        (step.grounds ?? []).flatMap((g) => readsOf(g.claimed)),
        undefined,
        step.grounds?.some((g) => g.mustBeClaimed)
      )
    )
  }
}

export function evaluate(procedureId: ProcedureId, steps: Step[], ctx: Context): Evaluation {
  const excludes: RuleOutcome[] = []
  const supports: RuleOutcome[] = []
  const weakens: RuleOutcome[] = []
  const e: Evaluation = { procedureId, outcomes: [], points: 0, excluded: false, toConfirm: [], grounds: [] }
  const add = (o: RuleOutcome): void => {
    e.points += o.points
    const list = o.reason.effect === 'excludes' ? excludes : o.reason.effect === 'supports' ? supports : weakens
    list.push(o)
  }
  for (const step of steps) {
    const applies = tri(step.applies, ctx)
    if (applies === false) continue
    if (step.grounds !== undefined) {
      evaluateGrounds(step, ctx, add, e)
      continue
    }
    const check = step.check as Compiled
    const reads = readsOf(check, step.applies)
    const isExclusion = step.outcome?.effect === 'excludes'
    // A preference, and a score, rank on the facts as they stand, defaults included.
    if (step.preference || (step.otherwise === undefined && !isExclusion)) {
      if (check.holds(ctx.facts)) add(reasonOf(step.outcome as Outcome, ctx, reads))
      else if (step.otherwise !== undefined) add(reasonOf(step.otherwise, ctx, reads))
      continue
    }
    // A legal condition: it holds, fails (on given or derived facts), or is to confirm.
    const holds = tri(check, ctx)
    const excluding = isExclusion ? holds : holds === undefined ? undefined : !holds
    if (excluding === false) {
      if (!isExclusion) add(reasonOf(step.outcome as Outcome, ctx, reads))
    } else if (excluding === true && applies === true) {
      add(reasonOf((isExclusion ? step.outcome : step.otherwise) as Outcome, ctx, reads))
    } else {
      const o = step.confirm ?? (isExclusion ? undefined : step.outcome)
      if (o) e.toConfirm.push(confirmOf(o, ctx, reads))
    }
  }
  e.outcomes = excludes.length === 0 ? (weakens.length === 0 ? supports : supports.concat(weakens)) : excludes.concat(supports, weakens)
  e.excluded = excludes.length > 0
  return e
}
