// Ranks the evaluated procedures: a procedure with an excluding reason, or with no legal route
// under the regime, is not recommended; the rest are scored, and all but the best must reach the
// minimum score. The best one is always recommended, so a valid profile never gets an empty list.
import type { ProcedureId, RegimeId } from '../../schemas/common.js'
import { ENGINE_RULE_IDS, type CompiledCatalogue } from './compile.js'
import type { ProcedureOutcome } from './decision.js'
import type { Evaluation, RuleOutcome } from './evaluate.js'

export interface Ranked {
  /** In the contract's order, timelines not yet set. */
  procedures: ProcedureOutcome[]
  /** The recommended procedures, best first. */
  ranking: ProcedureId[]
}

export function rank(compiled: CompiledCatalogue, regime: RegimeId, evaluations: Evaluation[]): Ranked {
  const { catalogue, order } = compiled
  const { minimumScore, base } = catalogue.scoring
  const procedures: ProcedureOutcome[] = []
  const candidates: ProcedureOutcome[] = []
  for (const e of evaluations) {
    let { outcomes, excluded } = e
    if (!excluded && !catalogue.procedureById.get(e.procedureId)?.routes[regime]) {
      const text = compiled.noRouteText.get(regime)?.get(e.procedureId) as string
      outcomes = [
        { reason: { ruleId: ENGINE_RULE_IDS.noLegalRoute, factor: 'regime', effect: 'excludes', text, basis: 'derived' }, points: 0 },
        ...outcomes
      ]
      excluded = true
    }
    // Its obstacles are conditions to confirm: available if they hold, and never a strong fit.
    if (!excluded && e.toConfirm.length > 0) outcomes = [...outcomes, toConfirmOutcome(e.toConfirm.length)]
    const score = excluded ? null : Math.max(0, Math.min(100, (base[e.procedureId] ?? 0) + e.points))
    const outcome: ProcedureOutcome = {
      procedureId: e.procedureId,
      outcomes,
      toConfirm: excluded ? [] : e.toConfirm,
      grounds: e.grounds,
      score,
      rank: null,
      timeline: null
    }
    procedures.push(outcome)
    if (!excluded) candidates.push(outcome)
  }
  // What the facts given establish first: a procedure available only if a condition on a fact the
  // profile leaves unknown holds ranks after every one that is not, however it scores (unless the
  // profile claims it: a direct award ground it names ranks on its score, at best a possible fit).
  const onUnknown = (o: ProcedureOutcome): number => Number(o.toConfirm.some((c) => c.pointer !== undefined && c.claimed !== true))
  candidates.sort(
    (a, b) =>
      onUnknown(a) - onUnknown(b) ||
      (b.score as number) - (a.score as number) ||
      (order.get(a.procedureId) as number) - (order.get(b.procedureId) as number)
  )
  const ranking: ProcedureId[] = []
  candidates.forEach((c, i) => {
    const score = c.score as number
    if (i > 0 && score < minimumScore) {
      const text = `Legally available, but it scored ${score}, below the ${minimumScore} needed for a recommendation.`
      c.outcomes = [
        ...c.outcomes,
        { reason: { ruleId: ENGINE_RULE_IDS.belowMinimumScore, factor: 'score', effect: 'weakens', text, basis: 'derived' }, points: 0 }
      ]
      return
    }
    ranking.push(c.procedureId)
    c.rank = ranking.length
  })
  return { procedures, ranking }
}

export type Fit = 'strong' | 'good' | 'possible'

/** The reason of a procedure or PSR process available only if its conditions to confirm hold. */
export function toConfirmOutcome(n: number, legalBasis?: string): RuleOutcome {
  const text = `Available only if ${n === 1 ? 'the condition' : `the ${n} conditions`} listed to confirm ${n === 1 ? 'holds' : 'hold'}: the profile does not say.`
  const reason: RuleOutcome['reason'] = { ruleId: ENGINE_RULE_IDS.toConfirm, factor: 'toConfirm', effect: 'weakens', text }
  if (legalBasis !== undefined) reason.legalBasis = legalBasis
  reason.basis = 'assumed'
  return { reason, points: 0 }
}

/** How well a recommended procedure fits: by its score, and never better than possible while conditions are to confirm. */
export function fitOf(compiled: CompiledCatalogue, o: Pick<ProcedureOutcome, 'score' | 'toConfirm'>): Fit {
  const { fit } = compiled.catalogue.scoring
  const score = o.score as number
  if (o.toConfirm.length > 0) return 'possible'
  return score >= fit.strong ? 'strong' : score >= fit.good ? 'good' : 'possible'
}
