// The working state of one timetable: the milestones put so far, the ids that apply, the
// assumptions made, and the helpers every stage dates with (a law period, an estimate, a date
// given in `known`, the standstill then contract entry). Faults name the input field at fault.
import type { Milestone, MilestoneId } from '../../schemas/plan.js'
import type { TimetablesFile } from '../catalogue/read.js'
import type { PERIOD_CONDITIONS } from '../catalogue/schema.js'
import { BeyondCalendar, addDays, daysBeginningAfter, daysBeginningWith, type CalendarRegime } from '../calendar/index.js'
import type { TimetableData, TimetableFault, TimetableInput } from './types.js'

export type Condition = (typeof PERIOD_CONDITIONS)[number]
export type PeriodTable = TimetablesFile['tenderingPeriod']
export type EstimateKey = keyof TimetablesFile['estimates']
/** The input field a fault names: the start date, the procedure, a known date or an option. */
export type FaultAt = Omit<TimetableFault, 'message'>

export const START: FaultAt = { field: 'startDate' }
export const knownAt = (id: string): FaultAt => ({ field: 'known', key: id })

export class Refusal extends Error {
  constructor(readonly faults: TimetableFault[]) {
    super(faults.map((f) => f.message).join(' '))
  }
}
export const refuse = (at: FaultAt, message: string): never => {
  throw new Refusal([{ ...at, message }])
}

/** Why a date outside the working-day calendar's data cannot be dated. */
export const beyondCalendar = (coveredFrom: string, coveredTo: string, what: string, date: string): string =>
  `The working-day calendar (GOV.UK bank holidays) covers ${coveredFrom} to ${coveredTo}; ${what} ${date} is outside it, ` +
  'so the plan cannot date it without guessing.'

/** A date as computed, before any `known` date replaces it. */
export interface Computed {
  date: string
  basis: 'law' | 'estimate'
  rule: string
  legalBasis?: string
  confidence?: Milestone['confidence']
}

/** What comes before a milestone: a known date must not be before it. */
export interface After {
  noticeCode?: string
  after?: string
  afterName?: string
}

/** The shortest minimum of the entries that apply ("no minimum" is the shortest), as s.54(3)-(4) say. */
function shortest(table: PeriodTable, holds: (c: Condition) => boolean): PeriodTable['entries'][number] {
  const applicable = table.entries.filter((e) => holds(e.when))
  if (applicable.length === 0) {
    throw new Error('timetables.json: a period table has no entry that applies (it needs an "always" or complete set)')
  }
  return applicable.reduce((a, b) => (a.days === null ? a : b.days === null ? b : b.days < a.days ? b : a))
}

export class Schedule {
  readonly ms: (Milestone & { seq: number })[] = []
  readonly applicable = new Set<MilestoneId>()
  readonly assumptions: string[] = []
  readonly known: Record<string, string>
  readonly coveredFrom: string
  readonly coveredTo: string
  private seq = 0

  constructor(
    readonly data: TimetableData,
    readonly input: TimetableInput,
    readonly calRegime: CalendarRegime
  ) {
    this.known = input.known ?? {}
    this.coveredFrom = data.calendar.coveredFrom(calRegime)
    this.coveredTo = data.calendar.coveredTo(calRegime)
  }

  get t(): TimetablesFile {
    return this.data.timetables
  }

  beyond(date: string, what: string, at: FaultAt): never {
    return refuse(at, beyondCalendar(this.coveredFrom, this.coveredTo, what, date))
  }

  outside(date: string): boolean {
    return date < this.coveredFrom || date > this.coveredTo
  }

  /** Adds a milestone as given (no computation to check it against). */
  push(m: Milestone & { id: MilestoneId }): void {
    this.applicable.add(m.id)
    this.ms.push({ ...m, seq: this.seq++ })
  }

  /**
   * Adds a milestone: the computed date unless `known` gives one, which must not be before the
   * earliest the computation allows (law) or before the milestone it follows (estimate).
   */
  put(id: MilestoneId, name: string, computed: Computed, extra: After = {}): string {
    this.applicable.add(id)
    const given = this.known[id]
    const m: Milestone & { seq: number } = { id, name, date: computed.date, basis: computed.basis, rule: computed.rule, seq: this.seq++ }
    if (extra.noticeCode) m.noticeCode = extra.noticeCode
    if (computed.legalBasis) m.legalBasis = computed.legalBasis
    if (computed.confidence) m.confidence = computed.confidence
    if (given !== undefined) {
      const at = knownAt(id)
      if (this.outside(given)) this.beyond(given, `known.${id}`, at)
      if (computed.basis === 'law' && given < computed.date) {
        refuse(at, `${given} is before ${computed.date}, the earliest date the law allows for ${name}: ${computed.rule}`)
      }
      if (extra.after !== undefined && given < extra.after) {
        refuse(at, `${given} is before ${extra.after}, the date of ${extra.afterName}, which comes first.`)
      }
      m.date = given
      m.basis = 'known'
      m.rule = `Given in the request. Computed, it would be ${computed.date}: ${computed.rule}`
    } else if (this.outside(computed.date)) {
      this.beyond(computed.date, name, START)
    }
    this.ms.push(m)
    return m.date
  }

  withBeyond<T>(f: () => T): T {
    try {
      return f()
    } catch (e) {
      if (e instanceof BeyondCalendar) return this.beyond(e.date, 'the working day', START)
      throw e
    }
  }

  estimate(from: string, fromName: string, keys: EstimateKey[]) {
    const est = this.t.estimates
    const start = this.input.startDate
    const days = this.input.lawOnly ? 0 : keys.reduce((n, k) => n + est[k].days, 0)
    const what = keys.map((k) => `${est[k].what} (${est[k].days} days)`).join(' + ')
    // Never before the start date: a plan cannot schedule work that has not started.
    const raw = addDays(from, days)
    const notBefore = raw < start ? start : raw
    // A planned step falls on a working day of the regime's calendar (never a weekend or bank holiday).
    const { calendar } = this.data
    const date = this.withBeyond(() =>
      calendar.isWorkingDay(this.calRegime, notBefore) ? notBefore : calendar.nextWorkingDay(this.calRegime, notBefore)
    )
    const moved = [
      raw < start ? `not before the start date ${start}` : '',
      date !== notBefore ? `moved to the next working day ${date}` : ''
    ]
      .filter(Boolean)
      .join(', ')
    return {
      date,
      basis: 'estimate' as const,
      confidence: 'unconfirmed' as const,
      rule: `Estimate: ${fromName} ${from} + ${days} days for ${what}${moved ? `, ${moved}` : ''}. The law sets no time for this stage.`
    }
  }

  /** A period table counted from `from`; null days: an estimate where the law sets no minimum. */
  period(table: PeriodTable, holds: (c: Condition) => boolean, from: string, fromName: string): Computed {
    const entry = shortest(table, holds)
    if (entry.days === null) {
      const e = this.estimate(from, fromName, ['tenderingWithoutMinimum'])
      return { ...e, rule: `No minimum period applies (${entry.source.citation}). ${e.rule}`, legalBasis: entry.source.citation }
    }
    const date = table.counting === 'days-after' ? daysBeginningAfter(from, entry.days) : daysBeginningWith(from, entry.days)
    const how = table.counting === 'days-after' ? `running from the day after ${fromName} ${from}` : `beginning with ${fromName} ${from}`
    return {
      date,
      basis: 'law' as const,
      legalBasis: entry.source.citation,
      confidence: entry.source.confidence,
      rule: `${entry.days} days ${how} end on ${date} (${entry.source.citation}).`
    }
  }

  /** standstill-end (the n-th working day from the notice) and contract-entry, the calendar day after it. */
  standstillThenEntry(x: {
    regime: CalendarRegime
    notice: string
    noticeName: string
    /** The day the count of working days starts from (default: the notice). */
    countFrom?: string
    workingDays: number
    countStartDay: boolean
    source: { citation: string; confidence: Milestone['confidence'] }
    entryBasis: string
    describe: (end: string) => string
  }): string {
    const { calendar } = this.data
    const end = this.withBeyond(() =>
      calendar.addWorkingDays(x.regime, x.countFrom ?? x.notice, x.workingDays, { countStartDay: x.countStartDay })
    )
    const se = this.put(
      'standstill-end',
      'End of the standstill period',
      { date: end, basis: 'law', legalBasis: x.source.citation, confidence: x.source.confidence, rule: x.describe(end) },
      { after: x.notice, afterName: x.noticeName }
    )
    return this.put(
      'contract-entry',
      'Contract entry (earliest)',
      {
        date: addDays(se, 1),
        basis: 'law',
        legalBasis: x.entryBasis,
        confidence: 'confirmed',
        rule: `The calendar day after the standstill ends (${se}).`
      },
      { after: se, afterName: 'the end of the standstill' }
    )
  }
}
