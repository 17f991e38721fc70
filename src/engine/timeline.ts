// The timeline check of a recommended procedure: its statutory minimum (shorter when urgent, where
// the route allows) and typical duration against the weeks the profile has to award.
import type { ProcedureData } from '../../schemas/procedure.js'
import type { RegimeId } from '../../schemas/common.js'
import type { Timeline } from './decision.js'
import type { NormalisedProfile } from './normalise.js'

type Route = NonNullable<ProcedureData['routes'][RegimeId]>

export function timelineOf(route: Route, p: NormalisedProfile): Timeline {
  const minimumWeeks = p.urgency !== 'standard' && route.urgentMinimumWeeks !== undefined ? route.urgentMinimumWeeks : route.minimumWeeks
  const feasible =
    p.weeksToAward === undefined
      ? 'unknown'
      : p.weeksToAward < minimumWeeks
        ? 'no'
        : p.weeksToAward < route.typicalWeeks.max
          ? 'tight'
          : 'yes'
  return { minimumWeeks, typicalWeeks: { min: route.typicalWeeks.min, max: route.typicalWeeks.max }, feasible }
}
