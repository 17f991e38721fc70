// What the timetable (src/timetable/) is told of a decision: the narrow input of one procedure's
// timetable, and the PSR award process it follows (the decision's mandatory or first-ranked
// process, named as psr-processes.json names it).
import type { ProcedureId } from '../../schemas/common.js'
import type { PlanOptions } from '../../schemas/plan.js'
import type { PsrProcessChoice, TimetableInput } from '../timetable/index.js'
import type { CompiledCatalogue } from './compile.js'
import type { Decision } from './decision.js'
import type { ProcessOutcome } from './psr.js'

/** The process the decision settles on, or the Competitive Process where it names none (reg 6(7)-(8), reg 11). */
export function plannedProcessOf(compiled: CompiledCatalogue, processes: ProcessOutcome[] | undefined): PsrProcessChoice {
  const chosen = processes?.find((p) => p.status === 'mandatory') ?? processes?.find((p) => p.rank === 1)
  const id = chosen?.processId ?? 'competitive-process'
  const name = compiled.psrProcesses.find((p) => p.id === id)!.name
  return { id, name, chosenBy: chosen ? 'decision' : 'default' }
}

/** The timetable's input for one procedure of a decision under the Act or the PSR. */
export function timetableInputOf(
  compiled: CompiledCatalogue,
  d: Decision & { regime: 'pa2023' | 'psr2023' },
  procedureId: ProcedureId,
  request: { known?: Record<string, string>; options?: PlanOptions; lawOnly?: boolean } = {}
): TimetableInput {
  const input: TimetableInput = {
    regime: d.regime,
    procedure: { id: procedureId, name: compiled.catalogue.procedureById.get(procedureId)!.name },
    startDate: d.date,
    aboveThreshold: d.facts.aboveThreshold,
    lightTouch: d.facts.lightTouch,
    authorityType: d.input.authorityType,
    urgency: d.input.urgency
  }
  if (d.regime === 'psr2023') input.psrProcess = plannedProcessOf(compiled, d.processes)
  if (request.known !== undefined) input.known = request.known
  if (request.options !== undefined) input.options = request.options
  if (request.lawOnly) input.lawOnly = true
  return input
}
