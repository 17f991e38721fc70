// The decision: everything the engine concluded for one profile on one date under one ruleset.
// The wire report, the dated plan and the stored decision record are projections of it
// (src/projections/), so none of them can say something the evaluation did not conclude.
import type { ProcedureId, RegimeId } from '../../schemas/common.js'
import type { AssumedInput, Question, Reason, Warning } from '../../schemas/report.js'
import type { Threshold } from '../../schemas/threshold.js'
import type { AgreementOutcome, ConcessionOutcome } from './arrangements.js'
import type { Classification, LineId } from './classify.js'
import type { Facts } from './conditions.js'
import type { GroundReport, RuleOutcome, ToConfirm } from './evaluate.js'
import type { Knowledge } from './knowledge.js'
import type { NormalisedProfile } from './normalise.js'
import type { ProcessOutcome } from './psr.js'
import type { PlannedNotice } from '../timetable/index.js'

export interface Timeline {
  minimumWeeks: number
  typicalWeeks: { min: number; max: number }
  feasible: 'yes' | 'tight' | 'no' | 'unknown'
  /** Where a dated plan applies: its earliest contract-entry date for the procedure. */
  earliestAward?: string
  /** The award deadline checked, and (with earliestAward) the calendar days to spare. */
  awardBy?: { date: string; from: 'awardBy' | 'weeksToAward'; marginDays?: number; earliestByLaw?: string }
}

/** Facts derived from the profile and the catalogue: regime, threshold, light touch, health care. */
export interface DerivedFacts extends Classification {
  threshold: Threshold
  aboveThreshold: boolean
}

export interface ProcedureOutcome {
  procedureId: ProcedureId
  /** Every rule that held or failed for this procedure, in the report's order, with its id. */
  outcomes: RuleOutcome[]
  /** Legal conditions that turn on unknown facts (they never exclude). */
  toConfirm: ToConfirm[]
  /** direct-award: the grounds claimed, each with its conditions. */
  grounds: GroundReport[]
  /** 0..100 for a legally available procedure; null when a rule or the regime excludes it. */
  score: number | null
  /** 1-based rank among the recommendations; null when not recommended. */
  rank: number | null
  /** Only for a recommended procedure: statutory minimum and typical durations against the profile. */
  timeline: Timeline | null
  /** Where a dated plan applies: its notices in order and the PSR process it follows (the report's OCDS fields). */
  planned?: { notices: PlannedNotice[]; process?: string }
}

export interface Decision {
  generatedAt: string
  /** The start date the regime and thresholds were looked up for. */
  date: string
  rulesetVersion: string
  /** The profile with every default applied. */
  input: NormalisedProfile
  facts: DerivedFacts
  /** The named facts the rules read (rules.json conditions). */
  ruleFacts: Facts
  /** How each fact is known: given, derived or assumed, and which are unknown. */
  knowledge: Knowledge
  /** Every field the profile left out whose default the answer rests on, and what it did. */
  assumedInputs: AssumedInput[]
  /** The answers that would most change the ranking, most useful first. */
  questions: Question[]
  /** Every procedure, in the contract's order. */
  procedures: ProcedureOutcome[]
  /** The recommended procedures, best first (never empty). */
  ranking: ProcedureId[]
  warnings: Warning[]
  regime: RegimeId
  /** What the procurement sets up (profile.agreement) and the rules that govern it; absent for a single contract. */
  agreement?: AgreementOutcome
  /** For a concession contract: what changes for its valuation, threshold and procedures. */
  concession?: ConcessionOutcome
  /**
   * Under the Provider Selection Regime, when the profile gives healthCare: every award process
   * with its status, rank and reasons (PSR 2023 regs 6-14), in the order of psr-processes.json.
   */
  processes: ProcessOutcome[] | undefined
  /**
   * The decision under the other reading of each broad main CPV code the profile left open (no
   * category settled it); empty otherwise.
   */
  alternatives: Alternative[]
}

/** The other reading of a broad main code on one line, and the decision it leads to. */
export interface Alternative {
  line: LineId
  /** The reading assumed: true when on the list's side (health care; light touch). */
  reading: boolean
  decision: Decision
}

/**
 * Why the engine gives no decision: the field at fault. `notCovered` marks a valid profile the
 * service does not cover (a utilities contract, a concession under the 2016 Regulations), not an
 * invalid one.
 */
export interface Refused {
  pointer: string
  message: string
  notCovered?: true
}

export type DecisionResult = { ok: true; decision: Decision } | { ok: false; error: Refused }

export const reasonsOf = (p: ProcedureOutcome): Reason[] => p.outcomes.map((o) => o.reason)
