// The dated plan of POST /v1/plans: the Plan wire object made of a decision and the timetable
// (src/timetable/) of one of its procedures. Which procedure, its legal route and whether it is
// available come from the decision; every date, rule and assumption from the timetable. Faults
// name the request field (startDate, procedureId, known, an option); the route maps them to JSON
// pointers.
import type { ProcedureId } from '../../schemas/common.js'
import type { Plan, PlanOptions } from '../../schemas/plan.js'
import type { Calendar } from '../calendar/index.js'
import { dayNumber } from '../calendar/dates.js'
import type { CompiledCatalogue } from '../engine/compile.js'
import type { Decision } from '../engine/decision.js'
import { timetableInputOf } from '../engine/planned.js'
import { deadlineOf } from '../engine/timeline.js'
import { startFault, timetable, type Timetable, type TimetableFault } from '../timetable/index.js'
import { legalRouteOf } from './report.js'
import { ocdsOf } from './ocds.js'

export interface PlanRequestData {
  procedureId?: ProcedureId
  known?: Record<string, string>
  options?: PlanOptions
  /** Internal (never from a request): every estimated stage takes no time (TimetableInput.lawOnly). */
  lawOnly?: boolean
}

/** A fault of the request, named by its field, and a message. */
export type PlanFault = TimetableFault

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: PlanFault[] }

export function projectPlan(compiled: CompiledCatalogue, calendar: Calendar, d: Decision, request: PlanRequestData): PlanResult {
  const { catalogue } = compiled
  if (d.regime === 'pcr2015') {
    const message =
      `This procurement starts on ${d.date} and falls under the Public Contracts Regulations 2015 (${d.facts.regimeReason}); ` +
      'plans cover procurements under the Procurement Act 2023 and the Provider Selection Regime only.'
    return { ok: false, errors: [{ field: 'startDate', message }] }
  }
  const data = { timetables: catalogue.timetables, calendar }
  const outside = startFault(data, d.regime, d.date)
  if (outside) return { ok: false, errors: [outside] }
  const procedureId = request.procedureId ?? d.ranking[0]!
  const excluded = exclusionFaults(compiled, d, procedureId)
  if (excluded) return { ok: false, errors: excluded }
  const made = timetable(data, timetableInputOf(compiled, { ...d, regime: d.regime }, procedureId, request))
  if (!made.ok) return { ok: false, errors: made.faults }
  return { ok: true, plan: planOf(compiled, d, procedureId, made.timetable) }
}

/** A procedure the decision excludes: one fault per reason that excludes it (or per reason, or one). */
function exclusionFaults(compiled: CompiledCatalogue, d: Decision, procedureId: ProcedureId): PlanFault[] | undefined {
  const outcome = d.procedures.find((o) => o.procedureId === procedureId)!
  if (outcome.rank !== null) return undefined
  const procedureName = compiled.catalogue.procedureById.get(procedureId)!.name
  const reasons = outcome.outcomes.map((o) => o.reason)
  const excluding = reasons.filter((r) => r.effect === 'excludes')
  const quoted = excluding.length > 0 ? excluding : reasons
  return (quoted.length > 0 ? quoted : [{ text: 'it is not recommended for this profile' }]).map((r) => ({
    field: 'procedureId',
    message: `${procedureName} (${procedureId}) is excluded for this profile: ${r.text}`
  }))
}

/** The Plan wire object: the decision's facts about the procedure around the timetable's milestones. */
function planOf(compiled: CompiledCatalogue, d: Decision, procedureId: ProcedureId, tt: Timetable): Plan {
  const route = legalRouteOf(compiled, d, procedureId)
  const plan: Plan = {
    generatedAt: d.generatedAt,
    rulesetVersion: d.rulesetVersion,
    startDate: d.date,
    regime: { id: d.regime, name: compiled.catalogue.regimeById.get(d.regime)?.name ?? d.regime },
    procedureId,
    rank: d.procedures.find((o) => o.procedureId === procedureId)!.rank,
    legalRoute: { regime: route.regime, name: route.name, legalBasis: route.legalBasis },
    milestones: tt.milestones,
    calendar: tt.calendar,
    assumptions: tt.assumptions
  }
  if (d.input.reference !== undefined) plan.reference = d.input.reference
  if (tt.process) plan.process = tt.process
  const ocds = ocdsOf(compiled, d, procedureId, tt.notices, tt.process?.id)
  if (ocds) plan.ocds = ocds

  const entry = tt.milestones.find((m) => m.id === 'contract-entry')
  const deadline = deadlineOf(d.input)
  if (deadline !== undefined && entry) {
    const margin = dayNumber(deadline.date) - dayNumber(entry.date)
    plan.awardBy = {
      date: deadline.date,
      from: deadline.from,
      milestoneId: 'contract-entry',
      milestoneDate: entry.date,
      met: margin >= 0,
      marginDays: margin
    }
  }
  return plan
}
