// The recommendation engine: profile in, report out. Pure: imports nothing from Fastify, does no
// I/O, reads only the compiled catalogue. Every reason in a report is a rule of rules.json whose
// condition held or failed in this evaluation, so a reason cannot disagree with the decision.
import { PROCEDURE_IDS, type ProcedureId, type RegimeId } from '../../schemas/common.js'
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { NotRecommended, Reason, Recommendation, RecommendationReport, Warning } from '../../schemas/report.js'
import type { Catalogue, WarningCode } from '../catalogue/load.js'
import type { Rule } from '../catalogue/schema.js'
import { classify, type Classification } from './classify.js'
import { holds, type Facts } from './conditions.js'
import { normalise, type NormalisedProfile } from './normalise.js'

export type EngineResult =
  | { ok: true; report: RecommendationReport }
  | { ok: false; error: { pointer: string; message: string } }

export interface Recommender {
  recommend(profile: ProcurementProfile, now: Date): EngineResult
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 })
const EFFECT_ORDER = { excludes: 0, supports: 1, weakens: 2 } as const

function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole)
}

interface Evaluation {
  id: ProcedureId
  reasons: Reason[]
  points: number
  excluded: boolean
}

/** Compiles the catalogue once (rules indexed by procedure) and returns the evaluator. */
export function createRecommender(catalogue: Catalogue): Recommender {
  const rulesByProcedure = new Map<ProcedureId, Rule[]>(PROCEDURE_IDS.map((id) => [id, catalogue.rules.filter((r) => r.procedures.includes(id))]))
  const order = new Map(PROCEDURE_IDS.map((id, i) => [id, i]))
  const { fit, minimumScore, base } = catalogue.scoring

  function reason(rule: Pick<Rule, 'factor' | 'legalBasis' | 'confidence'>, effect: Reason['effect'], text: string, regime: RegimeId, vars: Record<string, string>): Reason {
    const r: Reason = { factor: rule.factor, effect, text: render(text, vars) }
    const basis = rule.legalBasis?.[regime]
    if (basis) r.legalBasis = basis
    if (rule.confidence) r.confidence = rule.confidence
    return r
  }

  function evaluate(id: ProcedureId, facts: Facts, regime: RegimeId, vars: Record<string, string>): Evaluation {
    const reasons: Reason[] = []
    let points = 0
    // Every rule is evaluated (no short circuit), so the report can say all that held or failed.
    for (const rule of rulesByProcedure.get(id) as Rule[]) {
      if (rule.regimes && !rule.regimes.includes(regime)) continue
      if (rule.applies && !holds(rule.applies, facts)) continue
      switch (rule.kind) {
        case 'require':
          if (holds(rule.when, facts)) {
            points += rule.points ?? 0
            reasons.push(reason(rule, 'supports', rule.text, regime, vars))
          } else reasons.push(reason(rule, 'excludes', rule.failText, regime, vars))
          break
        case 'require-any': {
          let any = false
          for (const ground of rule.grounds) {
            if (ground.regimes && !ground.regimes.includes(regime)) continue
            if (!holds(ground.when, facts)) continue
            any = true
            points += ground.points ?? 0
            reasons.push(reason({ factor: rule.factor, legalBasis: ground.legalBasis, confidence: ground.confidence }, 'supports', ground.text, regime, vars))
          }
          if (!any) reasons.push(reason(rule, 'excludes', rule.failText, regime, vars))
          break
        }
        case 'exclude':
          if (holds(rule.when, facts)) reasons.push(reason(rule, 'excludes', rule.text, regime, vars))
          break
        case 'score':
          if (holds(rule.when, facts)) {
            points += rule.points
            reasons.push(reason(rule, rule.points >= 0 ? 'supports' : 'weakens', rule.text, regime, vars))
          }
          break
      }
    }
    const excluded = reasons.some((r) => r.effect === 'excludes')
    return { id, reasons, points, excluded }
  }

  function warn(code: WarningCode, vars: Record<string, string>): Warning {
    return { code, message: render(catalogue.warningMessages.get(code) as string, vars) }
  }

  function recommend(profile: ProcurementProfile, now: Date): EngineResult {
    const p: NormalisedProfile = normalise(profile, now.toISOString().slice(0, 10))
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
    const vars: Record<string, string> = {
      estimatedValue: gbp.format(p.estimatedValue),
      threshold: gbp.format(threshold.amount),
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
    for (const id of PROCEDURE_IDS) {
      const e = evaluate(id, facts, regime, vars)
      const procedure = catalogue.procedureById.get(id)!
      if (!e.excluded && !procedure.routes[regime]) {
        e.reasons.push({ factor: 'regime', effect: 'excludes', text: `${procedure.name} has no legal route under the ${vars.regimeName}.` })
        e.excluded = true
      }
      e.reasons.sort((a, b) => EFFECT_ORDER[a.effect] - EFFECT_ORDER[b.effect])
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
          reasons: [...e.reasons, { factor: 'score', effect: 'weakens', text: `Legally available, but it scored ${score}, below the ${minimumScore} needed for a recommendation.` }]
        })
        return
      }
      const route = procedure.routes[regime]!
      const minimumWeeks = p.urgency !== 'standard' && route.urgentMinimumWeeks !== undefined ? route.urgentMinimumWeeks : route.minimumWeeks
      const feasible = p.weeksToAward === undefined ? 'unknown' : p.weeksToAward < minimumWeeks ? 'no' : p.weeksToAward < route.typicalWeeks.max ? 'tight' : 'yes'
      // Below threshold some routes rest on other law (e.g. a direct award on the council's rules).
      const variant = !aboveThreshold ? route.belowThreshold : undefined
      const considerations = variant ? [variant.note, ...(route.notes ?? [])] : [...(route.notes ?? [])]
      if (route.notices.length > 0) considerations.push(`Notices: ${route.notices.map((n) => `${n.code ? `${n.code} ` : ''}${n.name} (${n.citation})`).join('; ')}.`)
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
    const timeVars = { ...vars, procedureName: top.name, minimumWeeks: String(top.timeline.minimumWeeks), typicalMaxWeeks: String(top.timeline.typicalWeeks.max), weeksToAward: String(p.weeksToAward) }
    if (top.timeline.feasible === 'no') warnings.push(warn('timeline-too-short', timeVars))
    if (top.timeline.feasible === 'tight') warnings.push(warn('timeline-tight', timeVars))
    if (c.dateRegime === 'pcr2015') warnings.push(warn('legacy-regime', vars))
    if (c.decidedBy === 'category') warnings.push(warn('light-touch-from-category', vars))
    if (c.decidedBy === 'default') warnings.push(warn('no-cpv-code', vars))
    if (c.mixedSubjectMatter) warnings.push(warn('mixed-subject-matter', vars))
    if (regime === 'psr2023') warnings.push(warn('psr-award-process', vars))
    if (p.urgency === 'urgent') warnings.push(warn('urgency-justification', vars))
    if (c.unconfirmed.length > 0) warnings.push(warn('unconfirmed-facts', { ...vars, facts: c.unconfirmed.join('; ') }))

    const report: RecommendationReport = {
      generatedAt: now.toISOString(),
      rulesetVersion: catalogue.rulesetVersion,
      startDate: p.startDate,
      regime: { id: regime, name: vars.regimeName as string, reason: `${c.regimeReason}.`.replace(/^./, (s) => s.toUpperCase()), legalBasis: c.regimeLegalBasis },
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
