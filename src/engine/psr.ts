// The Provider Selection Regime award process (PSR 2023 regs 6-14): which process must, may or
// may not be used, evaluated from psr-processes.json with the same conditions as the rules, so
// every reason is a condition that held or failed. Pure: reads only the catalogue and the profile.
import type { PsrProcessId } from '../../schemas/common.js'
import type { Catalogue } from '../catalogue/load.js'
import type { CompiledProcess, Vars } from './compile.js'
import type { Facts } from './conditions.js'
import { evaluateGround, reasonOf, type Context, type RuleOutcome, type ToConfirm } from './evaluate.js'
import type { NormalisedProfile } from './normalise.js'
import { toConfirmOutcome } from './rank.js'

export type ProcessStatus = 'mandatory' | 'available' | 'not-available'

export interface ProcessOutcome {
  processId: PsrProcessId
  status: ProcessStatus
  /** 1-based, by score (psr-processes.json); null when not available. */
  rank: number | null
  /** The process's score (an available one's with its preferences); null when not available. */
  score: number | null
  /** Why: the route that holds (its conditions and duties, then preferences), or the conditions that failed. */
  outcomes: RuleOutcome[]
  /** Available if these hold: conditions that turn on facts the profile leaves unknown. */
  toConfirm: ToConfirm[]
}

export type ValueTest = 'unknown' | 'met' | 'not-met' | 'external-factors'

const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`

/**
 * The value test of the considerable change threshold (reg 6(10)(b), (12)): met where the proposed
 * lifetime value is at least the minimum increase and at least the minimum ratio above the existing
 * contract's, the changes being the authority's (external factors: not met, reg 6(12)); unknown
 * without the existing contract's value. The amounts are data (psr-processes.json).
 */
export function valueTestOf(
  catalogue: Catalogue,
  p: NormalisedProfile,
  formatMoney: (amount: number) => string
): { valueTest: ValueTest; vars: Vars } {
  const cc = catalogue.psrProcesses.considerableChange
  const vars: Vars = { ccMinimumIncrease: formatMoney(cc.minimumIncrease), ccMinimumPercent: percent(cc.minimumIncreaseRatio) }
  const existing = p.healthCare?.existingContractValue
  if (existing === undefined) return { valueTest: 'unknown', vars }
  const change = p.estimatedValue - existing
  vars.existingContractValue = formatMoney(existing)
  vars.valueChange = `${change < 0 ? '-' : '+'}${formatMoney(Math.abs(change))}`
  vars.valueChangePercent = existing > 0 ? `${change < 0 ? '-' : '+'}${percent(Math.abs(change) / existing)}` : 'from nothing'
  const amountsMet = change >= cc.minimumIncrease && change >= existing * cc.minimumIncreaseRatio
  const valueTest = !amountsMet ? 'not-met' : p.healthCare?.valueChangeFromExternalFactors ? 'external-factors' : 'met'
  return { valueTest, vars }
}

/**
 * Evaluates the processes in order. A process is available through its first route whose
 * conditions all hold, with that route's status, and joins psr.availableProcesses for the
 * processes after it. Failing that, through its first route whose conditions may hold (they turn
 * on facts the profile leaves unknown): available, with those conditions to confirm; a later
 * condition on psr.availableProcesses that such a process decides is then unknown too. Otherwise
 * its routes' failed conditions (each said once) are the reasons.
 */
export function evaluateProcesses(processes: CompiledProcess[], ctx: Context): { outcomes: ProcessOutcome[]; available: string[] } {
  const available: string[] = []
  const possible: string[] = []
  const f: Facts = { ...ctx.facts, 'psr.availableProcesses': available }
  const withPossible: Facts = { ...ctx.facts, 'psr.availableProcesses': [] }
  const at: Context = { ...ctx, facts: f }
  const outcomes = processes.map((p): ProcessOutcome => {
    withPossible['psr.availableProcesses'] = [...available, ...possible]
    at.alternate = possible.length > 0 ? withPossible : undefined
    const failed: RuleOutcome[] = []
    let open: { supports: RuleOutcome[]; confirm: ToConfirm[] } | undefined
    for (const route of p.routes) {
      const r = evaluateGround(route, at)
      if (r.status === 'toConfirm') open ??= { supports: r.supports, confirm: r.confirm }
      if (r.status !== 'holds') {
        failed.push(...r.failed)
        continue
      }
      available.push(p.id)
      if (route.status === 'mandatory') {
        return { processId: p.id, status: 'mandatory', rank: null, score: p.score, outcomes: r.supports, toConfirm: [] }
      }
      return { processId: p.id, status: 'available', rank: null, ...withPreferences(p, at, r.supports), toConfirm: [] }
    }
    if (open) {
      possible.push(p.id)
      const { score, outcomes } = withPreferences(p, at, open.supports)
      return {
        processId: p.id,
        status: 'available',
        rank: null,
        score,
        outcomes: [...outcomes, toConfirmOutcome(open.confirm.length, p.legalBasis)],
        toConfirm: open.confirm
      }
    }
    // Routes share conditions (no mandatory process; not a framework): each is said once.
    const reasons = new Map<string, RuleOutcome>()
    for (const o of failed) if (!reasons.has(o.reason.text)) reasons.set(o.reason.text, o)
    return { processId: p.id, status: 'not-available', rank: null, score: null, outcomes: [...reasons.values()], toConfirm: [] }
  })
  // By score; on a tie a mandatory process first, then the regulations' order. A mandatory process
  // leaves no choice under reg 6, so no option of reg 6(5)-(6) is ever ranked with it; an urgent
  // award (reg 14, which regs 6 to 13 are subject to) may rank above a process reg 6 requires.
  const order = new Map(processes.map((p, i) => [p.id, i]))
  const ranked = outcomes
    .filter((o) => o.status !== 'not-available')
    .sort(
      (a, b) =>
        (b.score as number) - (a.score as number) ||
        Number(b.status === 'mandatory') - Number(a.status === 'mandatory') ||
        (order.get(a.processId) as number) - (order.get(b.processId) as number)
    )
  ranked.forEach((o, i) => {
    o.rank = i + 1
  })
  return { outcomes, available }
}

/** An available process's score and reasons: its route's, then its preferences'. */
function withPreferences(p: CompiledProcess, ctx: Context, route: RuleOutcome[]): { score: number; outcomes: RuleOutcome[] } {
  let score = p.score
  const supports: RuleOutcome[] = []
  const weakens: RuleOutcome[] = []
  for (const pref of p.preferences) {
    if (!pref.check.holds(ctx.facts)) continue
    score += pref.outcome.points
    ;(pref.outcome.points >= 0 ? supports : weakens).push(reasonOf(pref.outcome, ctx, [pref.check]))
  }
  return { score: Math.max(0, Math.min(100, score)), outcomes: [...route, ...supports, ...weakens] }
}
