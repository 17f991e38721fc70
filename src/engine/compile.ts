// Compiles the catalogue once at start: each rule of rules.json into a step per regime and
// procedure (conditions as closures, texts as templates), so evaluating a profile allocates only
// what its answer needs. Pure: reads only the catalogue.
import { PROCEDURE_IDS, REGIME_IDS, type ProcedureId, type RegimeId, type WarningCode } from '../../schemas/common.js'
import type { Reason } from '../../schemas/report.js'
import type { Catalogue } from '../catalogue/load.js'
import { RESERVED_RULE_IDS, type Rule } from '../catalogue/schema.js'
import { compileCondition, type Facts } from './conditions.js'

export type Vars = Record<string, string>
export type Render = (vars: Vars) => string
export type Predicate = (facts: Facts) => boolean

/** A text template compiled once: constant text costs nothing per request. */
export function compileTemplate(template: string): Render {
  const parts = template.split(/\{(\w+)\}/)
  if (parts.length === 1) return () => template
  return (vars) => {
    let out = parts[0] as string
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string
      out += (vars[name] ?? `{${name}}`) + (parts[i + 1] as string)
    }
    return out
  }
}

/** What a rule says when it holds or fails: its id, effect, points and reason, compiled. */
export interface Outcome {
  /** The rule's id in rules.json; for a ground of a require-any rule, "<rule>/<ground>". */
  ruleId: string
  effect: Reason['effect']
  points: number
  factor: string
  text: Render
  legalBasis: string | undefined
  confidence: Reason['confidence']
}

export interface Step {
  applies: Predicate | undefined
  /** Checks in order; `outcomes[i]` applies when `checks[i]` holds. */
  checks: Predicate[]
  outcomes: Outcome[]
  /** When no check holds (require / require-any), else undefined. */
  otherwise: Outcome | undefined
  /** require: only the first check counts; require-any: every check that holds counts. */
  all: boolean
}

/**
 * Reasons the engine itself adds, with ids of their own that rules.json may not use (the loader
 * checks RESERVED_RULE_IDS): a procedure with no route under the regime, and one scored below the minimum.
 */
export const ENGINE_RULE_IDS = { noLegalRoute: RESERVED_RULE_IDS[0], belowMinimumScore: RESERVED_RULE_IDS[1] } as const

export interface CompiledCatalogue {
  catalogue: Catalogue
  /** For each regime and procedure, the rules that apply there, compiled. */
  steps: Map<RegimeId, Map<ProcedureId, Step[]>>
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

export function compileCatalogue(catalogue: Catalogue): CompiledCatalogue {
  const templates = new Map<string, Render>()
  const template = (text: string): Render => {
    let r = templates.get(text)
    if (!r) templates.set(text, (r = compileTemplate(text)))
    return r
  }
  const outcome = (
    ruleId: string,
    effect: Reason['effect'],
    points: number,
    factor: string,
    text: string,
    regime: RegimeId,
    legalBasis: Rule['legalBasis'],
    confidence: Rule['confidence']
  ): Outcome => ({ ruleId, effect, points, factor, text: template(text), legalBasis: legalBasis?.[regime], confidence })

  function compileStep(rule: Rule, regime: RegimeId): Step {
    const applies = rule.applies ? compileCondition(rule.applies) : undefined
    const failed = (text: string): Outcome => outcome(rule.id, 'excludes', 0, rule.factor, text, regime, rule.legalBasis, rule.confidence)
    switch (rule.kind) {
      case 'require':
        return {
          applies,
          checks: [compileCondition(rule.when)],
          outcomes: [outcome(rule.id, 'supports', rule.points ?? 0, rule.factor, rule.text, regime, rule.legalBasis, rule.confidence)],
          otherwise: failed(rule.failText),
          all: false
        }
      case 'require-any': {
        const grounds = rule.grounds.filter((g) => !g.regimes || g.regimes.includes(regime))
        return {
          applies,
          checks: grounds.map((g) => compileCondition(g.when)),
          outcomes: grounds.map((g) =>
            outcome(`${rule.id}/${g.id}`, 'supports', g.points ?? 0, rule.factor, g.text, regime, g.legalBasis, g.confidence)
          ),
          otherwise: failed(rule.failText),
          all: true
        }
      }
      case 'exclude':
        return { applies, checks: [compileCondition(rule.when)], outcomes: [failed(rule.text)], otherwise: undefined, all: false }
      case 'score': {
        const effect = rule.points >= 0 ? 'supports' : 'weakens'
        return {
          applies,
          checks: [compileCondition(rule.when)],
          outcomes: [outcome(rule.id, effect, rule.points, rule.factor, rule.text, regime, rule.legalBasis, rule.confidence)],
          otherwise: undefined,
          all: false
        }
      }
    }
  }

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

  // Considerations depend only on the procedure, the regime and the below-threshold variant.
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

  const noRouteText = new Map(
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

  const money = new Map<number, string>()
  const formatMoney = (amount: number): string => {
    let text = money.get(amount)
    if (text === undefined) {
      text = gbp.format(amount)
      if (money.size < 1000) money.set(amount, text)
    }
    return text
  }

  return {
    catalogue,
    steps,
    considerations,
    noRouteText,
    warningTexts: new Map([...catalogue.warningMessages].map(([code, message]) => [code, template(message)])),
    order: new Map(PROCEDURE_IDS.map((id, i) => [id, i])),
    formatMoney
  }
}
