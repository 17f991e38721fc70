// The timeline check of a recommended procedure: its statutory minimum (shorter when urgent, where
// the route allows) and typical duration against the time the profile has to award. Where a dated
// plan applies (POST /v1/plans), the check is by date: the plan's earliest contract entry against
// the award deadline, the same calculation the plan makes; elsewhere it is by weeks.
import type { ProcedureData } from '../../schemas/procedure.js'
import type { RegimeId } from '../../schemas/common.js'
import { addDays, dayNumber } from '../calendar/dates.js'
import type { Timeline } from './decision.js'
import type { NormalisedProfile } from './normalise.js'

type Route = NonNullable<ProcedureData['routes'][RegimeId]>

/** The award deadline: constraints.awardBy, or the start date + weeksToAward when only that is given. */
export interface Deadline {
  date: string
  from: 'awardBy' | 'weeksToAward'
}

export function deadlineOf(p: NormalisedProfile): Deadline | undefined {
  if (p.awardBy !== undefined) return { date: p.awardBy, from: 'awardBy' }
  if (p.weeksToAward !== undefined) return { date: addDays(p.startDate, p.weeksToAward * 7), from: 'weeksToAward' }
  return undefined
}

/** The plan's contract-entry dates for a procedure: as planned (with estimates) and by law alone (asked only when needed). */
export interface PlannedEntry {
  planned: string
  lawOnly: () => string | undefined
}

/**
 * Where a plan applies, feasibility is by date: no if the deadline is before the earliest contract
 * entry the law alone allows, tight if before the plan's (which adds the estimated stages) or
 * sooner than the typical maximum, yes otherwise. Elsewhere it is by weeks: the statutory minimum
 * and the typical maximum.
 */
export function timelineOf(route: Route, p: NormalisedProfile, entry?: PlannedEntry): Timeline {
  const minimumWeeks = p.urgency !== 'standard' && route.urgentMinimumWeeks !== undefined ? route.urgentMinimumWeeks : route.minimumWeeks
  const typicalWeeks = { min: route.typicalWeeks.min, max: route.typicalWeeks.max }
  const deadline = deadlineOf(p)
  if (deadline === undefined) {
    return entry === undefined
      ? { minimumWeeks, typicalWeeks, feasible: 'unknown' }
      : { minimumWeeks, typicalWeeks, feasible: 'unknown', earliestAward: entry.planned }
  }
  const weeksAvailable = (dayNumber(deadline.date) - dayNumber(p.startDate)) / 7
  if (entry === undefined) {
    const feasible = weeksAvailable < minimumWeeks ? 'no' : weeksAvailable < typicalWeeks.max ? 'tight' : 'yes'
    return { minimumWeeks, typicalWeeks, feasible, awardBy: { date: deadline.date, from: deadline.from } }
  }
  const marginDays = dayNumber(deadline.date) - dayNumber(entry.planned)
  const lawOnly = marginDays < 0 ? entry.lawOnly() : undefined
  // The plan has no estimate of the rounds of dialogue or negotiation: the typical maximum still
  // marks a deadline as tight when the dates alone would allow it.
  const feasible =
    marginDays < 0
      ? lawOnly !== undefined && deadline.date >= lawOnly
        ? 'tight'
        : 'no'
      : weeksAvailable < typicalWeeks.max
        ? 'tight'
        : 'yes'
  return {
    minimumWeeks,
    typicalWeeks,
    feasible,
    earliestAward: entry.planned,
    awardBy:
      lawOnly === undefined
        ? { date: deadline.date, from: deadline.from, marginDays }
        : { date: deadline.date, from: deadline.from, marginDays, earliestByLaw: lawOnly }
  }
}
