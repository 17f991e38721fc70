// Compiles the catalogue once at start: each rule of rules.json into a step per regime and
// procedure (conditions as closures, texts as templates), so evaluating a profile allocates only
// what its answer needs. Pure: reads only the catalogue.
import { PROCEDURE_IDS, REGIME_IDS, type ProcedureId, type PsrProcessId, type RegimeId, type WarningCode } from '../../schemas/common.js'
import type { Reason } from '../../schemas/report.js'
import type { Catalogue } from '../catalogue/load.js'
import { RESERVED_RULE_IDS, type Rule } from '../catalogue/schema.js'

/** A citation: one string (psr-processes.json) or one per regime (rules.json). */
type LegalBasis = string | Partial<Record<RegimeId, string>> | undefined
/** A condition or a duty of a ground (rules.json) or of a PSR route (psr-processes.json). */
interface ConditionData {
  id: string
  regimes?: readonly RegimeId[]
  applies?: Condition
  when: Condition
  factor?: string
  text?: string
  failText?: string
  confirmText?: string
  legalBasis?: LegalBasis
  confidence?: Reason['confidence']
}
type DutyData = Omit<ConditionData, 'applies' | 'when' | 'text' | 'failText' | 'confirmText'> & { text: string }
import {
  compileCondition,
  compileTri,
  conditionWithout,
  factsOf,
  type Condition,
  type Facts,
  type Tri,
  type UnknownFacts
} from './conditions.js'
import type { FactName } from '../catalogue/schema.js'

export type Vars = Record<string, string>
/** A text from the shared vars and, for one message, a few values of its own (`extra` wins). */
export type Render = (vars: Vars, extra?: Vars) => string
export type Predicate = (facts: Facts) => boolean
/** A condition in three values: undefined when it turns on a fact the profile leaves unknown. */
export type TriPredicate = (facts: Facts, unknown: UnknownFacts) => Tri

/** A condition compiled both ways, with the facts it reads. */
export interface Compiled {
  holds: Predicate
  tri: TriPredicate
  reads: FactName[]
}

export function compiled(c: Condition): Compiled {
  return { holds: compileCondition(c), tri: compileTri(c), reads: factsOf(c) }
}

/** A text template compiled once: constant text costs nothing per request. */
export function compileTemplate(template: string): Render {
  const parts = template.split(/\{(\w+)\}/)
  if (parts.length === 1) return () => template
  return (vars, extra) => {
    let out = parts[0] as string
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string
      out += (extra?.[name] ?? vars[name] ?? `{${name}}`) + (parts[i + 1] as string)
    }
    return out
  }
}

/** What a rule says when it holds or fails: its id, effect, points and reason, compiled. */
export interface Outcome {
  /**
   * The rule's id in rules.json; for a ground of a require-any rule "<rule>/<ground>", and for its
   * conditions and duties "<rule>/<ground>/<id>"; for a PSR process (psr-processes.json)
   * "<process>/<route>", "<process>/<route>/<id>" and "<process>/<preference>".
   */
  ruleId: string
  effect: Reason['effect']
  points: number
  factor: string
  text: Render
  legalBasis: string | undefined
  confidence: Reason['confidence']
}

/** A condition of a ground or of a PSR route, compiled: held -> `held` (if any); failed -> `failed` (if any). */
export interface Check {
  applies: Compiled | undefined
  check: Compiled
  held: Outcome | undefined
  failed: Outcome | undefined
  /** What must be confirmed when the check turns on an unknown fact. */
  confirm: Outcome | undefined
}

/**
 * A ground of a require-any rule, or a route of a PSR process: considered when `claimed` holds
 * (always when undefined), and holding when every check that applies holds. When it holds it
 * gives `held`, its held checks and its duties; when it fails, its failed checks.
 */
export interface Ground {
  id: string
  /** Considered only when a given fact claims it (rules.json mustBeClaimed). */
  mustBeClaimed: boolean
  claimed: Compiled | undefined
  /**
   * What establishes the ground besides naming it among constraints.directAwardGrounds (a fact
   * the profile gives); undefined when only the claim does. Set only for grounds with `evidence`.
   */
  established: Compiled | undefined
  held: Outcome
  checks: Check[]
  duties: Outcome[]
  /** What the record must show to justify an award on this ground (rules.json evidence). */
  evidence: string | undefined
}

export interface Step {
  applies: Compiled | undefined
  /** require / exclude / score: the condition, and the outcome when it holds. */
  check: Compiled | undefined
  outcome: Outcome | undefined
  /** require / require-any: the condition to confirm when it turns on an unknown fact. */
  confirm: Outcome | undefined
  /** require on a preference: the failure weakens by these points instead of excluding. */
  preference: boolean
  /** require: when the condition fails; require-any: when no ground holds and no claim says why. */
  otherwise: Outcome | undefined
  /** require-any: the grounds under this regime, and the claims this regime does not recognise. */
  grounds: Ground[] | undefined
  notRecognised: { claimed: Compiled; outcome: Outcome }[] | undefined
}

/** A PSR award process, compiled: its routes in order, each with the status it gives. */
export interface CompiledProcess {
  id: PsrProcessId
  name: string
  legalBasis: string
  score: number
  routes: (Ground & { status: 'mandatory' | 'available' })[]
  preferences: { check: Compiled; outcome: Outcome }[]
}

/**
 * Reasons the engine itself adds, with ids of their own that rules.json may not use (the loader
 * checks RESERVED_RULE_IDS): a procedure with no route under the regime, and one scored below the minimum.
 */
export const ENGINE_RULE_IDS = {
  noLegalRoute: RESERVED_RULE_IDS[0],
  belowMinimumScore: RESERVED_RULE_IDS[1],
  toConfirm: RESERVED_RULE_IDS[2]
} as const

export interface CompiledCatalogue {
  catalogue: Catalogue
  /** For each regime and procedure, the rules that apply there, compiled. */
  steps: Map<RegimeId, Map<ProcedureId, Step[]>>
  /** For each regime and procedure, every fact its rules read: what a change of one fact re-evaluates. */
  reads: Map<RegimeId, Map<ProcedureId, Set<FactName>>>
  /** Every fact the PSR award processes read. */
  psrReads: Set<FactName>
  /** The Provider Selection Regime award processes, in the order they are evaluated. */
  psrProcesses: CompiledProcess[]
  /** Considerations by "<procedure>|<regime>|above|below|concession" (shared by every report, so frozen). */
  considerations: Map<string, string[]>
  /** "X has no legal route under the Y." by regime and procedure. */
  noRouteText: Map<RegimeId, Map<ProcedureId, string>>
  warningTexts: Map<WarningCode, Render>
  /** The position of each procedure id in the contract's order, for stable ties. */
  order: Map<ProcedureId, number>
  formatMoney: (amount: number) => string
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 })

/** "1234567" -> "1,234,567": en-GB grouping of a string of digits. */
function groupThousands(digits: string): string {
  let out = digits.slice(0, digits.length % 3 || 3)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return out
}

const basisFor = (legalBasis: LegalBasis, regime: RegimeId): string | undefined =>
  typeof legalBasis === 'string' ? legalBasis : legalBasis?.[regime]
const inRegime = (item: { regimes?: readonly RegimeId[] }, regime: RegimeId): boolean => !item.regimes || item.regimes.includes(regime)

const groundReads = (g: Ground): FactName[] => [
  ...(g.claimed?.reads ?? []),
  ...(g.established?.reads ?? []),
  ...g.checks.flatMap((c) => [...(c.applies?.reads ?? []), ...c.check.reads])
]

/** Every fact a step reads, in any of its conditions. */
function stepReads(step: Step): FactName[] {
  return [
    ...(step.applies?.reads ?? []),
    ...(step.check?.reads ?? []),
    ...(step.grounds ?? []).flatMap(groundReads),
    ...(step.notRecognised ?? []).flatMap((n) => n.claimed.reads)
  ]
}

/** A step with only its applies condition: compileStep fills in the rest by the rule's kind. */
const emptyStep = (rule: Rule): Step => ({
  applies: rule.applies ? compiled(rule.applies) : undefined,
  check: undefined,
  outcome: undefined,
  otherwise: undefined,
  confirm: undefined,
  preference: false,
  grounds: undefined,
  notRecognised: undefined
})

/** The rule compiler: outcomes with their text templates compiled once, grounds and steps by regime. */
function ruleCompiler() {
  const templates = new Map<string, Render>()
  const template = (text: string): Render => {
    let r = templates.get(text)
    if (!r) templates.set(text, (r = compileTemplate(text)))
    return r
  }
  const outcomeOf = (
    ruleId: string,
    effect: Reason['effect'],
    points: number,
    factor: string,
    text: string,
    legalBasis: string | undefined,
    confidence: Reason['confidence']
  ): Outcome => ({ ruleId, effect, points, factor, text: template(text), legalBasis, confidence })
  const outcome = (
    ruleId: string,
    effect: Reason['effect'],
    points: number,
    factor: string,
    text: string,
    regime: RegimeId,
    legalBasis: Rule['legalBasis'],
    confidence: Rule['confidence']
  ): Outcome => outcomeOf(ruleId, effect, points, factor, text, legalBasis?.[regime], confidence)

  /** A ground or route: its own reason, its conditions and duties (ids "<prefix>/<id>"), under one regime. */
  function compileGround(
    prefix: string,
    regime: RegimeId,
    factor: string,
    a: {
      when?: Condition
      points?: number
      text: string
      legalBasis: LegalBasis
      confidence: Reason['confidence']
      conditions?: readonly ConditionData[]
      duties?: readonly DutyData[]
      evidence?: string
    },
    mustBeClaimed = false
  ): Ground {
    const basis = basisFor(a.legalBasis, regime)
    const own = (
      id: string,
      effect: Reason['effect'],
      text: string,
      x: { factor?: string; legalBasis?: LegalBasis; confidence?: Reason['confidence'] }
    ) =>
      outcomeOf(
        `${prefix}/${id}`,
        effect,
        0,
        x.factor ?? factor,
        text,
        basisFor(x.legalBasis, regime) ?? basis,
        x.confidence ?? a.confidence
      )
    const establishedBy = a.when && a.evidence !== undefined ? conditionWithout(a.when, 'constraints.directAwardGrounds') : undefined
    return {
      id: prefix.slice(prefix.lastIndexOf('/') + 1),
      mustBeClaimed,
      claimed: a.when ? compiled(a.when) : undefined,
      established: establishedBy ? compiled(establishedBy) : undefined,
      held: outcomeOf(prefix, 'supports', a.points ?? 0, factor, a.text, basis, a.confidence),
      checks: (a.conditions ?? [])
        .filter((c) => inRegime(c, regime))
        .map((c) => {
          const confirmText = c.confirmText ?? c.text
          return {
            applies: c.applies ? compiled(c.applies) : undefined,
            check: compiled(c.when),
            held: c.text === undefined ? undefined : own(c.id, 'supports', c.text, c),
            failed: c.failText === undefined ? undefined : own(c.id, 'excludes', c.failText, c),
            confirm: confirmText === undefined ? undefined : own(c.id, 'supports', confirmText, c)
          }
        }),
      duties: (a.duties ?? []).filter((d) => inRegime(d, regime)).map((d) => own(d.id, 'supports', d.text, d)),
      evidence: a.evidence
    }
  }

  function compileStep(rule: Rule, regime: RegimeId): Step {
    const failed = (text: string): Outcome => outcome(rule.id, 'excludes', 0, rule.factor, text, regime, rule.legalBasis, rule.confidence)
    const step = emptyStep(rule)
    if ((rule.kind === 'require' || rule.kind === 'require-any') && rule.confirmText !== undefined) {
      step.confirm = outcome(rule.id, 'supports', 0, rule.factor, rule.confirmText, regime, rule.legalBasis, rule.confidence)
    }
    switch (rule.kind) {
      case 'require':
        step.check = compiled(rule.when)
        step.outcome = outcome(rule.id, 'supports', rule.points ?? 0, rule.factor, rule.text, regime, rule.legalBasis, rule.confidence)
        if (rule.failPoints === undefined) step.otherwise = failed(rule.failText)
        else {
          step.preference = true
          step.otherwise = outcome(
            rule.id,
            'weakens',
            rule.failPoints,
            rule.factor,
            rule.failText,
            regime,
            rule.legalBasis,
            rule.confidence
          )
        }
        return step
      case 'require-any':
        step.grounds = rule.grounds
          .filter((g) => inRegime(g, regime))
          .map((g) => compileGround(`${rule.id}/${g.id}`, regime, rule.factor, g, rule.mustBeClaimed === true))
        step.notRecognised = (rule.notRecognised ?? [])
          .filter((n) => n.regimes.includes(regime))
          .map((n) => ({
            claimed: compiled(n.when),
            outcome: outcomeOf(`${rule.id}/${n.id}`, 'excludes', 0, n.factor ?? rule.factor, n.text, n.legalBasis[regime], n.confidence)
          }))
        step.otherwise = failed(rule.failText)
        return step
      case 'exclude':
        step.check = compiled(rule.when)
        step.outcome = failed(rule.text)
        return step
      case 'score':
        step.check = compiled(rule.when)
        step.outcome = outcome(
          rule.id,
          rule.points >= 0 ? 'supports' : 'weakens',
          rule.points,
          rule.factor,
          rule.text,
          regime,
          rule.legalBasis,
          rule.confidence
        )
        return step
    }
  }
  return { template, outcomeOf, compileGround, compileStep }
}

/** Considerations depend only on the procedure, the regime and the below-threshold variant. */
function considerationsOf(catalogue: Catalogue): Map<string, string[]> {
  const considerations = new Map<string, string[]>()
  for (const procedure of catalogue.procedures) {
    for (const [regime, route] of Object.entries(procedure.routes)) {
      if (!route) continue
      const notices =
        route.notices.length > 0
          ? [`Notices: ${route.notices.map((n) => `${n.code ? `${n.code} ` : ''}${n.name} (${n.citation})`).join('; ')}.`]
          : []
      const above = [...(route.notes ?? []), ...notices]
      considerations.set(`${procedure.id}|${regime}|above`, Object.freeze(above) as string[])
      const below = route.belowThreshold ? [route.belowThreshold.note, ...above] : above
      considerations.set(`${procedure.id}|${regime}|below`, Object.freeze([...below]) as string[])
      if (route.concession) {
        considerations.set(`${procedure.id}|${regime}|concession`, Object.freeze([route.concession.note, ...above]) as string[])
      }
    }
  }
  return considerations
}

/** "X has no legal route under the Y." by regime and procedure. */
function noRouteTextOf(catalogue: Catalogue): Map<RegimeId, Map<ProcedureId, string>> {
  return new Map(
    REGIME_IDS.map((regime) => [
      regime,
      new Map(
        catalogue.procedures.map((p) => [
          p.id,
          `${p.name} has no legal route under the ${catalogue.regimeById.get(regime)?.name ?? regime}.`
        ])
      )
    ])
  )
}

/** Money as a reader sees it: "£1,234,567", pence only where there are any. */
function moneyFormatter(): (amount: number) => string {
  const money = new Map<number, string>()
  const formatMoney = (amount: number): string => {
    // Whole pounds (most values, and every threshold) without Intl, which costs some µs a call:
    // the same text as gbp.format (test/format-money.test.ts).
    if (Number.isInteger(amount) && amount > 0 && amount < 1e15) return `£${groupThousands(String(amount))}`
    let text = money.get(amount)
    if (text === undefined) {
      text = gbp.format(amount)
      if (money.size < 1000) money.set(amount, text)
    }
    return text
  }
  return formatMoney
}

export function compileCatalogue(catalogue: Catalogue): CompiledCatalogue {
  const { template, outcomeOf, compileGround, compileStep } = ruleCompiler()
  const steps = new Map<RegimeId, Map<ProcedureId, Step[]>>()
  for (const regime of REGIME_IDS) {
    const byProcedure = new Map<ProcedureId, Step[]>()
    for (const id of PROCEDURE_IDS) {
      const rules = catalogue.rules.filter((r) => r.procedures.includes(id) && (!r.regimes || r.regimes.includes(regime)))
      byProcedure.set(
        id,
        rules.map((r) => compileStep(r, regime))
      )
    }
    steps.set(regime, byProcedure)
  }

  // PSR award processes: every reason cites the regulation (a route's own citation when a condition gives none).
  const psrProcesses: CompiledProcess[] = catalogue.psrProcesses.processes.map((p) => ({
    id: p.id,
    name: p.name,
    legalBasis: p.legalBasis,
    score: p.score,
    routes: p.routes.map((r) => ({ ...compileGround(`${p.id}/${r.id}`, 'psr2023', 'healthCare', r), status: r.status })),
    preferences: (p.preferences ?? []).map((pref) => ({
      check: compiled(pref.when),
      outcome: outcomeOf(
        `${p.id}/${pref.id}`,
        pref.points >= 0 ? 'supports' : 'weakens',
        pref.points,
        pref.factor,
        pref.text,
        p.legalBasis,
        undefined
      )
    }))
  }))

  return {
    catalogue,
    steps,
    reads: new Map(
      [...steps].map(([regime, byProcedure]) => [
        regime,
        new Map([...byProcedure].map(([id, list]) => [id, new Set(list.flatMap(stepReads))]))
      ])
    ),
    psrReads: new Set(psrProcesses.flatMap((p) => [...p.routes.flatMap(groundReads), ...p.preferences.flatMap((x) => x.check.reads)])),
    psrProcesses,
    considerations: considerationsOf(catalogue),
    noRouteText: noRouteTextOf(catalogue),
    warningTexts: new Map([...catalogue.warningMessages].map(([code, message]) => [code, template(message)])),
    order: new Map(PROCEDURE_IDS.map((id, i) => [id, i])),
    formatMoney: moneyFormatter()
  }
}
