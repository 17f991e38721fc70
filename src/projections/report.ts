// The wire report of POST /v1/recommendations: a pure projection of the engine's decision. It
// adds only what the catalogue says of the procedures named (names, summaries, legal routes,
// considerations, the RACI template); every judgement comes from the decision.
import type { ProcedureId } from '../../schemas/common.js'
import type {
  AlternativeReading,
  DirectAwardGround,
  NotRecommended,
  PsrProcess,
  Recommendation,
  RecommendationReport,
  ToConfirm
} from '../../schemas/report.js'
import type { CompiledCatalogue } from '../engine/compile.js'
import { reasonsOf, type Alternative, type Decision } from '../engine/decision.js'
import type { GroundReport, ToConfirm as OpenCondition } from '../engine/evaluate.js'
import type { ProcessOutcome } from '../engine/psr.js'
import { fitOf } from '../engine/rank.js'

/** The conditions to confirm, as the wire has them (in the schema's order), or nothing when there are none. */
function toConfirmOf(open: OpenCondition[]): { toConfirm?: ToConfirm[] } {
  if (open.length === 0) return {}
  return {
    toConfirm: open.map((c) => {
      const out: ToConfirm = { condition: c.condition }
      if (c.pointer !== undefined) out.pointer = c.pointer
      if (c.legalBasis !== undefined) out.legalBasis = c.legalBasis
      return out
    })
  }
}

const groundsOf = (grounds: GroundReport[]): { grounds?: DirectAwardGround[] } => (grounds.length === 0 ? {} : { grounds })
import { ocdsOf } from './ocds.js'

/** The PSR processes, ranked ones first in rank order, then the others in the regulations' order. */
function projectProcesses(compiled: CompiledCatalogue, processes: ProcessOutcome[]): PsrProcess[] {
  const ranked = processes.filter((o) => o.rank !== null).sort((a, b) => (a.rank as number) - (b.rank as number))
  return [...ranked, ...processes.filter((o) => o.rank === null)].map((o) => {
    const process = compiled.psrProcesses.find((p) => p.id === o.processId)!
    return {
      rank: o.rank,
      id: o.processId,
      name: process.name,
      legalBasis: process.legalBasis,
      status: o.status,
      reasons: o.outcomes.map((x) => x.reason),
      ...toConfirmOf(o.toConfirm)
    }
  })
}

function projectAlternative(compiled: CompiledCatalogue, a: Alternative): AlternativeReading {
  const { catalogue } = compiled
  const { facts, regime } = a.decision
  const assumption = facts.overrideWhy[a.line] as string
  return {
    line: a.line,
    reading: a.reading,
    assumption: `${assumption.charAt(0).toUpperCase()}${assumption.slice(1)}.`,
    regime: {
      id: regime,
      name: catalogue.regimeById.get(regime)?.name ?? regime,
      reason: `${facts.regimeReason.charAt(0).toUpperCase()}${facts.regimeReason.slice(1)}.`
    },
    value: {
      aboveThreshold: facts.aboveThreshold,
      lightTouch: facts.lightTouch,
      healthCare: facts.healthCare,
      threshold: { amount: facts.threshold.amount, kind: facts.threshold.kind }
    },
    recommendations: a.decision.ranking.map((id, i) => ({
      rank: i + 1,
      procedureId: id,
      name: catalogue.procedureById.get(id)!.name,
      legalRoute: legalRouteOf(compiled, a.decision, id)
    }))
  }
}

/**
 * How the procedure is carried out under the decision's regime. Below threshold some routes rest on
 * other law (e.g. a direct award on the council's rules); so do some for a concession (a
 * below-threshold concession is not a regulated below-threshold contract).
 */
export function legalRouteOf(compiled: CompiledCatalogue, d: Decision, id: ProcedureId): Recommendation['legalRoute'] {
  const route = compiled.catalogue.procedureById.get(id)!.routes[d.regime]!
  const concession = d.input.concession ? route.concession : undefined
  const variant = concession ?? (!d.facts.aboveThreshold ? route.belowThreshold : undefined)
  return { regime: d.regime, name: variant?.name ?? route.name, legalBasis: variant?.legalBasis ?? route.legalBasis }
}

export function projectReport(compiled: CompiledCatalogue, d: Decision): RecommendationReport {
  const { catalogue } = compiled
  const { facts, regime } = d
  const { threshold, aboveThreshold } = facts
  const byId = new Map(d.procedures.map((o) => [o.procedureId, o]))

  const recommendations: Recommendation[] = d.ranking.map((id) => {
    const o = byId.get(id)!
    const procedure = catalogue.procedureById.get(id)!
    const variantKey = d.input.concession && procedure.routes[regime]!.concession ? 'concession' : aboveThreshold ? 'above' : 'below'
    const score = o.score as number
    const recommendation: Recommendation = {
      rank: o.rank as number,
      procedureId: id,
      name: procedure.name,
      legalRoute: legalRouteOf(compiled, d, id),
      score,
      fit: fitOf(compiled, o),
      reasons: reasonsOf(o),
      timeline: o.timeline!,
      // Optional (absent in the compact view), so after the required members (report-json.ts).
      summary: procedure.summary,
      considerations: compiled.considerations.get(`${id}|${regime}|${variantKey}`) as string[]
    }
    const ocds = ocdsOf(compiled, d, id, o.planned?.notices ?? [], o.planned?.process)
    if (ocds) recommendation.ocds = ocds
    Object.assign(recommendation, toConfirmOf(o.toConfirm), groundsOf(o.grounds))
    if (id === 'provider-selection-regime' && d.processes !== undefined) {
      recommendation.processes = projectProcesses(compiled, d.processes)
      const first = recommendation.processes[0]!
      recommendation.legalRoute.process = {
        id: first.id,
        name: first.name,
        legalBasis: first.legalBasis,
        mandatory: first.status === 'mandatory'
      }
    }
    return recommendation
  })
  const notRecommended: NotRecommended[] = d.procedures
    .filter((o) => o.rank === null)
    .map((o) => ({
      procedureId: o.procedureId,
      name: catalogue.procedureById.get(o.procedureId)!.name,
      reasons: reasonsOf(o),
      ...toConfirmOf(o.toConfirm),
      ...groundsOf(o.grounds)
    }))

  const top = recommendations[0]!
  const topProcedure = catalogue.procedureById.get(top.procedureId)!
  const raci = catalogue.raciByTemplate.get(topProcedure.raciTemplate)!
  const regimeName = catalogue.regimeById.get(regime)?.name ?? regime

  const report: RecommendationReport = {
    generatedAt: d.generatedAt,
    rulesetVersion: d.rulesetVersion,
    startDate: d.date,
    regime: {
      id: regime,
      name: regimeName,
      reason: `${facts.regimeReason.charAt(0).toUpperCase()}${facts.regimeReason.slice(1)}.`,
      legalBasis: facts.regimeLegalBasis
    },
    value: {
      estimatedValue: d.input.estimatedValue,
      threshold: {
        amount: threshold.amount,
        kind: threshold.kind,
        authorityType: threshold.authorityType,
        effectiveFrom: threshold.effectiveFrom,
        effectiveTo: threshold.effectiveTo,
        legalBasis: threshold.legalBasis
      },
      aboveThreshold,
      lightTouch: facts.lightTouch,
      lightTouchReason: facts.lightTouchReason,
      healthCare: facts.healthCare
    },
    recommendations,
    notRecommended,
    raci: { procedureId: top.procedureId, template: topProcedure.raciTemplate, roles: raci.roles, activities: raci.activities },
    warnings: d.warnings
  }
  // The optional members in the schema's order, after the required ones: the order the schema
  // serializer writes them in, which serializeReport (report-json.ts) relies on.
  if (d.input.reference !== undefined) report.reference = d.input.reference
  report.assumedInputs = d.assumedInputs
  report.questions = d.questions
  if (d.alternatives.length > 0) report.alternatives = d.alternatives.map((a) => projectAlternative(compiled, a))
  if (d.agreement) report.agreement = d.agreement
  if (d.concession) report.concession = d.concession
  return report
}

/**
 * The compact view (?view=compact), for integrators that need the decision, not its full
 * explanation: no considerations or summaries, and for each procedure not recommended only the reasons against
 * it (excludes, weakens), which every one of them has. Fields keep the full report's order.
 */
export function compactReport(report: RecommendationReport): RecommendationReport {
  return {
    ...report,
    recommendations: report.recommendations.map(({ considerations: _considerations, summary: _summary, ...rest }) => rest),
    notRecommended: report.notRecommended.map((n) => ({ ...n, reasons: n.reasons.filter((r) => r.effect !== 'supports') })),
    ...(report.assumedInputs ? { assumedInputs: report.assumedInputs.map(({ effect: _effect, ...a }) => a) } : {}),
    ...(report.questions ? { questions: report.questions.map(({ why: _why, ...q }) => q) } : {}),
    view: 'compact'
  }
}
