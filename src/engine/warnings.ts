// Warnings: what the reader must check before relying on the decision. Each comes from a derived
// fact of the decision; the messages are data (warnings.json).
import type { WarningCode } from '../../schemas/common.js'
import type { Warning } from '../../schemas/report.js'
import type { CompiledCatalogue, Render, Vars } from './compile.js'
import type { DerivedFacts, Timeline } from './decision.js'
import type { NormalisedProfile } from './normalise.js'

export function warningsOf(
  compiled: CompiledCatalogue,
  p: NormalisedProfile,
  facts: DerivedFacts,
  top: { name: string; timeline: Timeline },
  vars: Vars
): Warning[] {
  const warn = (code: WarningCode, v: Vars): Warning => ({ code, message: (compiled.warningTexts.get(code) as Render)(v) })
  const { threshold } = facts
  const warnings: Warning[] = []
  const margin = compiled.catalogue.nearThresholdMargin * threshold.amount
  if (Math.abs(p.estimatedValue - threshold.amount) <= margin) warnings.push(warn('value-near-threshold', vars))
  const { feasible } = top.timeline
  if (feasible === 'no' || feasible === 'tight') {
    const timeVars = {
      ...vars,
      procedureName: top.name,
      minimumWeeks: String(top.timeline.minimumWeeks),
      typicalMaxWeeks: String(top.timeline.typicalWeeks.max),
      weeksToAward: String(p.weeksToAward)
    }
    warnings.push(warn(feasible === 'no' ? 'timeline-too-short' : 'timeline-tight', timeVars))
  }
  if (facts.dateRegime === 'pcr2015') warnings.push(warn('legacy-regime', vars))
  if (facts.decidedBy === 'category') warnings.push(warn('light-touch-from-category', vars))
  if (facts.decidedBy === 'default') warnings.push(warn('no-cpv-code', vars))
  if (facts.mixedSubjectMatter) warnings.push(warn('mixed-subject-matter', vars))
  if (facts.regime === 'psr2023') warnings.push(warn('psr-award-process', vars))
  if (p.urgency === 'urgent') warnings.push(warn('urgency-justification', vars))
  if (facts.unconfirmed.length > 0) warnings.push(warn('unconfirmed-facts', { ...vars, facts: facts.unconfirmed.join('; ') }))
  return warnings
}
