// The recommendation engine: profile in, report out. Pure: imports nothing from Fastify, does no
// I/O, reads only the compiled catalogue. Every reason in a report is a rule of rules.json whose
// condition held or failed in this evaluation, so a reason cannot disagree with the decision.
import { PROCEDURE_IDS, REGIME_IDS, type ProcedureId, type RegimeId, type WarningCode } from '../../schemas/common.js'
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { NotRecommended, Reason, Recommendation, RecommendationReport, Warning } from '../../schemas/report.js'
import type { Catalogue } from '../catalogue/load.js'
import type { Rule } from '../catalogue/schema.js'
import { classify, type Classification } from './classify.js'
import { compileCondition, type Facts } from './conditions.js'
import { normalise, type NormalisedProfile } from './normalise.js'

export type EngineResult = { ok: true; report: RecommendationReport } | { ok: false; error: { pointer: string; message: string } }

export interface Recommender {
  recommend(profile: ProcurementProfile, now: Date): EngineResult
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 })

type Vars = Record<string, string>
type Render = (vars: Vars) => string
type Predicate = (facts: Facts) => boolean

/** A text template compiled once: constant text costs nothing per request. */
function compileTemplate(template: string): Render {
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

/** What a rule says when it holds or fails: effect, points and its reason, compiled. */
interface Outcome {
  effect: Reason['effect']
  points: number
  factor: string
  text: Render
  legalBasis: string | undefined
  confidence: Reason['confidence']
}

interface Step {
  applies: Predicate | undefined
  /** Checks in order; `outcomes[i]` applies when `checks[i]` holds. */
  checks: Predicate[]
  outcomes: Outcome[]
  /** When no check holds (require / require-any), else undefined. */
  otherwise: Outcome | undefined
  /** require: only the first check counts; require-any: every check that holds counts. */
  all: boolean
}

interface Evaluation {
  id: ProcedureId
  reasons: Reason[]
  points: number
  excluded: boolean
}

function toReason(o: Outcome, vars: Vars): Reason {
  const r: Reason = { factor: o.factor, effect: o.effect, text: o.text(vars) }
  if (o.legalBasis !== undefined) r.legalBasis = o.legalBasis
  if (o.confidence !== undefined) r.confidence = o.confidence
  return r
}

/** Compiles the catalogue once (rules per regime and procedure, conditions and templates) and returns the evaluator. */
export function createRecommender(catalogue: Catalogue): Recommender {
  const order = new Map(PROCEDURE_IDS.map((id, i) => [id, i]))
  const { fit, minimumScore, base } = catalogue.scoring
  const templates = new Map<string, Render>()
  const template = (text: string): Render => {
    let r = templates.get(text)
    if (!r) templates.set(text, (r = compileTemplate(text)))
    return r
  }
  const outcome = (
    effect: Reason['effect'],
    points: number,
    factor: string,
    text: string,
    regime: RegimeId,
    legalBasis: Rule['legalBasis'],
    confidence: Rule['confidence']
  ): Outcome => ({
    effect,
    points,
    factor,
    text: template(text),
    legalBasis: legalBasis?.[regime],
    confidence
  })

  function compileStep(rule: Rule, regime: RegimeId): Step {
    const applies = rule.applies ? compileCondition(rule.applies) : undefined
    switch (rule.kind) {
      case 'require':
        return {
          applies,
          checks: [compileCondition(rule.when)],
          outcomes: [outcome('supports', rule.points ?? 0, rule.factor, rule.text, regime, rule.legalBasis, rule.confidence)],
          otherwise: outcome('excludes', 0, rule.factor, rule.failText, regime, rule.legalBasis, rule.confidence),
          all: false
        }
      case 'require-any': {
        const grounds = rule.grounds.filter((g) => !g.regimes || g.regimes.includes(regime))
        return {
          applies,
          checks: grounds.map((g) => compileCondition(g.when)),
          outcomes: grounds.map((g) => outcome('supports', g.points ?? 0, rule.factor, g.text, regime, g.legalBasis, g.confidence)),
          otherwise: outcome('excludes', 0, rule.factor, rule.failText, regime, rule.legalBasis, rule.confidence),
          all: true
        }
      }
      case 'exclude':
        return {
          applies,
          checks: [compileCondition(rule.when)],
          outcomes: [outcome('excludes', 0, rule.factor, rule.text, regime, rule.legalBasis, rule.confidence)],
          otherwise: undefined,
          all: false
        }
      case 'score':
        return {
          applies,
          checks: [compileCondition(rule.when)],
          outcomes: [
            outcome(
              rule.points >= 0 ? 'supports' : 'weakens',
              rule.points,
              rule.factor,
              rule.text,
              regime,
              rule.legalBasis,
              rule.confidence
            )
          ],
          otherwise: undefined,
          all: false
        }
    }
  }

  // The plan: for each regime and procedure, the rules that apply there, compiled.
  const plan = new Map<RegimeId, Map<ProcedureId, Step[]>>()
  for (const regime of REGIME_IDS) {
    plan.set(
      regime,
      new Map(
        PROCEDURE_IDS.map((id) => [
          id,
          catalogue.rules
            .filter((r) => r.procedures.includes(id) && (!r.regimes || r.regimes.includes(regime)))
            .map((r) => compileStep(r, regime))
        ])
      )
    )
  }

  // Considerations depend only on the procedure, the regime and the below-threshold variant.
  const considerationsOf = new Map<string, string[]>()
  for (const procedure of catalogue.procedures) {
    for (const [regime, route] of Object.entries(procedure.routes)) {
      if (!route) continue
      const notices =
        route.notices.length > 0
          ? [`Notices: ${route.notices.map((n) => `${n.code ? `${n.code} ` : ''}${n.name} (${n.citation})`).join('; ')}.`]
          : []
      // Shared by every report, so frozen.
      considerationsOf.set(`${procedure.id}|${regime}|above`, Object.freeze([...(route.notes ?? []), ...notices]) as string[])
      considerationsOf.set(
        `${procedure.id}|${regime}|below`,
        Object.freeze(
          route.belowThreshold ? [route.belowThreshold.note, ...(route.notes ?? []), ...notices] : [...(route.notes ?? []), ...notices]
        ) as string[]
      )
    }
  }
  const money = new Map<number, string>()
  const formatMoney = (amount: number): string => {
    let text = money.get(amount)
    if (text === undefined) {
      text = gbp.format(amount)
      if (money.size < 1000) money.set(amount, text)
    }
    return text
  }

  // Every rule is evaluated (no short circuit), so the report can say all that held or failed.
  // Reasons come out excludes first, then supports, then weakens, each in rule order.
  function evaluate(id: ProcedureId, facts: Facts, steps: Step[], vars: Vars): Evaluation {
    const excludes: Reason[] = []
    const supports: Reason[] = []
    const weakens: Reason[] = []
    let points = 0
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s] as Step
      if (step.applies !== undefined && !step.applies(facts)) continue
      let held: Outcome | undefined
      let any = false
      for (let i = 0; i < step.checks.length; i++) {
        if (!(step.checks[i] as Predicate)(facts)) continue
        any = true
        held = step.outcomes[i] as Outcome
        points += held.points
        ;(held.effect === 'excludes' ? excludes : held.effect === 'supports' ? supports : weakens).push(toReason(held, vars))
        if (!step.all) break
      }
      if (!any && step.otherwise !== undefined) {
        points += step.otherwise.points
        excludes.push(toReason(step.otherwise, vars))
      }
    }
    const reasons =
      excludes.length === 0 ? (weakens.length === 0 ? supports : supports.concat(weakens)) : excludes.concat(supports, weakens)
    return { id, reasons, points, excluded: excludes.length > 0 }
  }

  const warningTexts = new Map([...catalogue.warningMessages].map(([code, message]) => [code, template(message)]))
  function warn(code: WarningCode, vars: Vars): Warning {
    return { code, message: (warningTexts.get(code) as Render)(vars) }
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

  function recommend(profile: ProcurementProfile, now: Date): EngineResult {
    const generatedAt = now.toISOString()
    const p: NormalisedProfile = normalise(profile, generatedAt.slice(0, 10))
    if (p.startDate < catalogue.earliestThresholdDate) {
      return {
        ok: false,
        error: {
          pointer: profile.constraints?.startDate === undefined ? '' : '/constraints/startDate',
          message: `must be on or after ${catalogue.earliestThresholdDate}, the earliest date the thresholds on record cover`
        }
      }
    }
    const c: Classification = classify(catalogue, p)
    const threshold = c.threshold
    if (!threshold) {
      // Cannot happen with a valid catalogue (the loader checks coverage); never guess.
      return { ok: false, error: { pointer: '/constraints/startDate', message: `no threshold on record for ${p.startDate}` } }
    }
    const aboveThreshold = p.estimatedValue >= threshold.amount
    const regime = c.regime
    const regimeData = catalogue.regimeById.get(regime)
    const facts: Facts = {
      regime,
      'contract.type': p.contractType,
      'value.aboveThreshold': aboveThreshold,
      'value.lightTouch': c.lightTouch,
      'value.healthCare': c.healthCare,
      'need.solutionMaturity': p.solutionMaturity,
      'need.requirementsClarity': p.requirementsClarity,
      'need.researchAndDevelopment': p.researchAndDevelopment,
      'process.negotiation': p.negotiation,
      'process.demonstrations': p.demonstrations,
      'process.pitchOrPilot': p.pitchOrPilot,
      'process.coDevelopment': p.coDevelopment,
      'constraints.urgency': p.urgency,
      'constraints.existingAgreement': p.existingAgreement,
      'constraints.singleSupplier': p.singleSupplier,
      'constraints.teamCapacity': p.teamCapacity,
      priorities: p.priorities
    }
    const vars: Vars = {
      estimatedValue: formatMoney(p.estimatedValue),
      threshold: formatMoney(threshold.amount),
      thresholdKind: threshold.kind,
      startDate: p.startDate,
      regimeName: regimeData?.name ?? regime,
      regimeReason: c.regimeReason,
      lightTouchReason: c.lightTouchReason,
      solutionMaturity: p.solutionMaturity,
      requirementsClarity: p.requirementsClarity,
      singleSupplier: p.singleSupplier,
      contractType: p.contractType,
      pa2023From: catalogue.selection.pa2023From.date
    }

    const candidates: { e: Evaluation; score: number }[] = []
    const notRecommended: NotRecommended[] = []
    const steps = plan.get(regime) as Map<ProcedureId, Step[]>
    for (const id of PROCEDURE_IDS) {
      const e = evaluate(id, facts, steps.get(id) as Step[], vars)
      const procedure = catalogue.procedureById.get(id)!
      if (!e.excluded && !procedure.routes[regime]) {
        e.reasons = [{ factor: 'regime', effect: 'excludes', text: noRouteText.get(regime)?.get(id) as string }, ...e.reasons]
        e.excluded = true
      }
      if (e.excluded) notRecommended.push({ procedureId: id, name: procedure.name, reasons: e.reasons })
      else candidates.push({ e, score: Math.max(0, Math.min(100, (base[id] ?? 0) + e.points)) })
    }
    candidates.sort((a, b) => b.score - a.score || (order.get(a.e.id) as number) - (order.get(b.e.id) as number))

    // A legally available procedure that scores too low is not recommended, but the best one
    // always is, so a valid profile never gets an empty list.
    const recommendations: Recommendation[] = []
    candidates.forEach(({ e, score }, i) => {
      const procedure = catalogue.procedureById.get(e.id)!
      if (i > 0 && score < minimumScore) {
        notRecommended.push({
          procedureId: e.id,
          name: procedure.name,
          reasons: [
            ...e.reasons,
            {
              factor: 'score',
              effect: 'weakens',
              text: `Legally available, but it scored ${score}, below the ${minimumScore} needed for a recommendation.`
            }
          ]
        })
        return
      }
      const route = procedure.routes[regime]!
      const minimumWeeks =
        p.urgency !== 'standard' && route.urgentMinimumWeeks !== undefined ? route.urgentMinimumWeeks : route.minimumWeeks
      const feasible =
        p.weeksToAward === undefined
          ? 'unknown'
          : p.weeksToAward < minimumWeeks
            ? 'no'
            : p.weeksToAward < route.typicalWeeks.max
              ? 'tight'
              : 'yes'
      // Below threshold some routes rest on other law (e.g. a direct award on the council's rules).
      const variant = !aboveThreshold ? route.belowThreshold : undefined
      const considerations = considerationsOf.get(`${e.id}|${regime}|${aboveThreshold ? 'above' : 'below'}`) as string[]
      recommendations.push({
        rank: recommendations.length + 1,
        procedureId: e.id,
        name: procedure.name,
        legalRoute: { regime, name: variant?.name ?? route.name, legalBasis: variant?.legalBasis ?? route.legalBasis },
        score,
        fit: score >= fit.strong ? 'strong' : score >= fit.good ? 'good' : 'possible',
        summary: procedure.summary,
        reasons: e.reasons,
        timeline: { minimumWeeks, typicalWeeks: { min: route.typicalWeeks.min, max: route.typicalWeeks.max }, feasible },
        considerations
      })
    })
    notRecommended.sort((a, b) => (order.get(a.procedureId) as number) - (order.get(b.procedureId) as number))

    const top = recommendations[0]!
    const topProcedure = catalogue.procedureById.get(top.procedureId)!
    const raci = catalogue.raciByTemplate.get(topProcedure.raciTemplate)!

    const warnings: Warning[] = []
    const margin = catalogue.nearThresholdMargin * threshold.amount
    if (Math.abs(p.estimatedValue - threshold.amount) <= margin) warnings.push(warn('value-near-threshold', vars))
    if (top.timeline.feasible === 'no' || top.timeline.feasible === 'tight') {
      const timeVars = {
        ...vars,
        procedureName: top.name,
        minimumWeeks: String(top.timeline.minimumWeeks),
        typicalMaxWeeks: String(top.timeline.typicalWeeks.max),
        weeksToAward: String(p.weeksToAward)
      }
      warnings.push(warn(top.timeline.feasible === 'no' ? 'timeline-too-short' : 'timeline-tight', timeVars))
    }
    if (c.dateRegime === 'pcr2015') warnings.push(warn('legacy-regime', vars))
    if (c.decidedBy === 'category') warnings.push(warn('light-touch-from-category', vars))
    if (c.decidedBy === 'default') warnings.push(warn('no-cpv-code', vars))
    if (c.mixedSubjectMatter) warnings.push(warn('mixed-subject-matter', vars))
    if (regime === 'psr2023') warnings.push(warn('psr-award-process', vars))
    if (p.urgency === 'urgent') warnings.push(warn('urgency-justification', vars))
    if (c.unconfirmed.length > 0) warnings.push(warn('unconfirmed-facts', { ...vars, facts: c.unconfirmed.join('; ') }))

    const report: RecommendationReport = {
      generatedAt,
      rulesetVersion: catalogue.rulesetVersion,
      startDate: p.startDate,
      regime: {
        id: regime,
        name: vars.regimeName as string,
        reason: `${c.regimeReason.charAt(0).toUpperCase()}${c.regimeReason.slice(1)}.`,
        legalBasis: c.regimeLegalBasis
      },
      value: {
        estimatedValue: p.estimatedValue,
        threshold: {
          amount: threshold.amount,
          kind: threshold.kind,
          authorityType: threshold.authorityType,
          effectiveFrom: threshold.effectiveFrom,
          effectiveTo: threshold.effectiveTo,
          legalBasis: threshold.legalBasis
        },
        aboveThreshold,
        lightTouch: c.lightTouch,
        lightTouchReason: c.lightTouchReason,
        healthCare: c.healthCare
      },
      recommendations,
      notRecommended,
      raci: { procedureId: top.procedureId, template: topProcedure.raciTemplate, roles: raci.roles, activities: raci.activities },
      warnings
    }
    if (p.reference !== undefined) report.reference = p.reference
    return { ok: true, report }
  }

  return { recommend }
}
