// Warnings: what the reader must check before relying on the decision. Each comes from a derived
// fact of the decision; the messages are data (warnings.json).
import type { WarningCode } from '../../schemas/common.js'
import type { Warning } from '../../schemas/report.js'
import type { CompiledCatalogue, Render, Vars } from './compile.js'
import { nameCodes, type BroadCode, type LineId } from './classify.js'
import type { DerivedFacts, Timeline } from './decision.js'
import type { NormalisedProfile } from './normalise.js'
import type { ProcessOutcome } from './psr.js'

const LINE_NAMES: Record<LineId, [string, string]> = {
  'health-care': ['relevant health care services', 'health care'],
  'light-touch': ['light-touch services', 'light touch']
}

/** One broad code, in words: which codes under it are on each side, and how it was read. */
function describeBroad(b: BroadCode): string {
  const [many, short] = LINE_NAMES[b.line]
  const sides =
    `${b.code} (${b.label}): ${nameCodes(b.listed)} ${b.listed.length === 1 ? 'is' : 'are'} ${many} in ${b.citation}` +
    (b.unlisted.length > 0 ? `; ${nameCodes(b.unlisted)} ${b.unlisted.length === 1 ? 'is' : 'are'} not.` : '.')
  const how =
    b.settledBy !== undefined
      ? ` The main category "${b.settledBy}" decided: ${b.reading ? short : `not ${short}`}.`
      : ` The report reads the code as it stands (not ${short}) and shows the other reading under "alternatives".`
  return sides + how
}

export function warningsOf(
  compiled: CompiledCatalogue,
  p: NormalisedProfile,
  facts: DerivedFacts,
  top: { name: string; timeline: Timeline },
  vars: Vars,
  processes: ProcessOutcome[] | undefined
): Warning[] {
  // The values of one message come on top of the shared vars (not a copy of them: a spread of the
  // 30-odd vars was a tenth of an evaluation).
  const warn = (code: WarningCode, extra?: Vars): Warning => ({ code, message: (compiled.warningTexts.get(code) as Render)(vars, extra) })
  const { threshold } = facts
  const warnings: Warning[] = []
  const margin = compiled.catalogue.nearThresholdMargin * threshold.amount
  if (Math.abs(p.estimatedValue - threshold.amount) <= margin) warnings.push(warn('value-near-threshold'))
  const { feasible } = top.timeline
  if (feasible === 'no' || feasible === 'tight') {
    const { earliestAward, awardBy } = top.timeline
    const timeVars = {
      procedureName: top.name,
      deadline: awardBy?.from === 'awardBy' ? `an award by ${awardBy.date}` : `${p.weeksToAward} weeks to award`,
      needs:
        awardBy?.earliestByLaw !== undefined
          ? `even with no time for the stages the law does not time, the earliest contract entry is ${awardBy.earliestByLaw}`
          : `it needs at least ${top.timeline.minimumWeeks} weeks by statute`,
      takes:
        earliestAward !== undefined && (awardBy?.marginDays ?? 0) < 0
          ? `reaches contract entry on ${earliestAward} with the usual time for each stage, after the deadline (POST /v1/plans dates each step)`
          : `commonly takes up to ${top.timeline.typicalWeeks.max} weeks`
    }
    warnings.push(warn(feasible === 'no' ? 'timeline-too-short' : 'timeline-tight', timeVars))
  }
  if (facts.dateRegime === 'pcr2015') warnings.push(warn('legacy-regime'))
  if (facts.decidedBy === 'category') warnings.push(warn('light-touch-from-category'))
  if (facts.decidedBy === 'default') warnings.push(warn('no-cpv-code'))
  if (facts.mixedSubjectMatter) warnings.push(warn('mixed-subject-matter'))
  // Without healthCare the service does not decide the PSR process: the buyer must. With it, the
  // buyer still chooses when the regulations leave it more than one process (reg 6(5)-(6), 14).
  if (facts.regime === 'psr2023' && processes === undefined) warnings.push(warn('psr-award-process'))
  const options = (processes ?? []).filter((o) => o.status === 'available')
  if (options.length > 1) {
    const names = [...options]
      .sort((a, b) => (a.rank as number) - (b.rank as number))
      .map((o) => compiled.psrProcesses.find((cp) => cp.id === o.processId)?.name ?? o.processId)
    const processNames = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    warnings.push(warn('psr-process-choice', { processNames }))
  }
  if (p.healthCare !== undefined && facts.regime !== 'psr2023') warnings.push(warn('health-care-inputs-unused'))
  if (p.urgency === 'urgent') warnings.push(warn('urgency-justification'))
  if (facts.broad.length > 0) warnings.push(warn('broad-cpv-code', { broadCodes: facts.broad.map(describeBroad).join(' ') }))
  const unknown: string[] = []
  const badDigit: string[] = []
  for (const input of p.cpvInputs) {
    const check = compiled.catalogue.cpv.checkCode(input)
    if (check === 'unknown') unknown.push(input)
    else if (check === 'bad-check-digit') {
      const entry = compiled.catalogue.cpv.get(input.slice(0, 8))!
      badDigit.push(`${input} (the list has ${entry.code}-${entry.checkDigit} ${entry.label})`)
    }
  }
  if (unknown.length > 0) warnings.push(warn('unknown-cpv-code', { codes: unknown.join(', ') }))
  if (badDigit.length > 0) warnings.push(warn('cpv-check-digit', { codes: badDigit.join(', ') }))
  if (facts.unconfirmed.length > 0) warnings.push(warn('unconfirmed-facts', { facts: facts.unconfirmed.join('; ') }))
  return warnings
}
