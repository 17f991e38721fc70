// The recommender the routes use: the engine's decision and the wire report projected from it.
// Outside src/engine/ so that the engine stays below the projections: profile in, Decision out.
import type { ProcurementProfile } from '../schemas/profile.js'
import type { RecommendationReport } from '../schemas/report.js'
import type { Catalogue } from './catalogue/load.js'
import { loadCalendar, type Calendar } from './calendar/index.js'
import { createEngine, type Engine, type Refused } from './engine/index.js'
import { projectReport } from './projections/report.js'

export type EngineResult = { ok: true; report: RecommendationReport } | { ok: false; error: Refused }

export interface Recommender extends Engine {
  /** The wire report: projectReport(decide(...)). */
  recommend(profile: ProcurementProfile, now: Date): EngineResult
}

/** The engine (the catalogue compiled once, the calendar) with the report projection on top. */
export function createRecommender(catalogue: Catalogue, calendar: Calendar = loadCalendar()): Recommender {
  const engine = createEngine(catalogue, calendar)
  const { compiled, decide } = engine
  return {
    compiled,
    decide,
    recommend(profile, now) {
      const result = decide(profile, now)
      return result.ok ? { ok: true, report: projectReport(compiled, result.decision) } : result
    }
  }
}
