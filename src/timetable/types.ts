// The timetable's narrow input and its output: what a dated plan needs to know of a procurement,
// and the milestones it dates. Nothing here knows of a request, a Decision or a response.
import type { ProcedureId, PsrProcessId } from '../../schemas/common.js'
import type { Milestone, PlanOptions } from '../../schemas/plan.js'
import type { TimetablesFile } from '../catalogue/read.js'
import type { Calendar, CalendarRegime } from '../calendar/index.js'

/** The timing law and estimates (timetables.json) and the working-day calendar. */
export interface TimetableData {
  timetables: TimetablesFile
  calendar: Calendar
}

/** The PSR award process the timetable follows, with its name (psr-processes.json) and why it is the one. */
export interface PsrProcessChoice {
  id: PsrProcessId
  name: string
  chosenBy: 'decision' | 'default'
}

export interface TimetableInput {
  /** The regimes with a timetable: the Procurement Act 2023 and the Provider Selection Regime. */
  regime: 'pa2023' | 'psr2023'
  procedure: { id: ProcedureId; name: string }
  startDate: string
  aboveThreshold: boolean
  lightTouch: boolean
  authorityType: 'sub-central' | 'central'
  urgency: 'standard' | 'urgent' | 'extreme'
  /** Under the PSR: the award process to follow. */
  psrProcess?: PsrProcessChoice
  /** Dates already fixed, by milestone id. */
  known?: Record<string, string>
  options?: PlanOptions
  /**
   * Every estimated stage takes no time, so each date is the earliest the law alone allows. The
   * report uses it to tell "cannot be done" from "tight"; never from a request.
   */
  lawOnly?: boolean
}

/**
 * A fault of the input, named by its field: `known` with the milestone id as `key`, or an option.
 * The route maps each field to a JSON pointer into its request body.
 */
export interface TimetableFault {
  field: 'startDate' | 'procedureId' | 'known' | 'options.plannedProcurementNoticeDate'
  /** For `known`: the milestone id. */
  key?: string
  message: string
}

/** A notice of the timetable: a milestone whose id ends in "-notice", with its Find a Tender code. */
export interface PlannedNotice {
  milestoneId: string
  noticeCode?: string
}

export interface Timetable {
  /** In date order (ties: the order of the stages). */
  milestones: Milestone[]
  /** The notices among the milestones, in the same order. */
  notices: PlannedNotice[]
  assumptions: string[]
  calendar: { regime: CalendarRegime; coveredTo: string; workingDay: string }
  /** Under the PSR: the process followed. */
  process?: { id: PsrProcessId; chosenBy: 'decision' | 'default' }
}

export type TimetableResult = { ok: true; timetable: Timetable } | { ok: false; faults: TimetableFault[] }
