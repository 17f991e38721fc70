// Working days per regime, from dated bank-holiday data and never from a rule of thumb: the
// Procurement Act 2023 excludes a bank holiday "in any part of the United Kingdom" (s.123(1)); the
// PSR excludes England's bank holidays and three days it names (reg 12(12)). The data covers a range
// of dates; any count that needs a day outside it throws BeyondCalendar instead of guessing, so the
// plan endpoint can answer 400.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TSchema } from 'typebox'
import type { Source } from '../../schemas/common.js'
import { parse, readText } from '../catalogue/read.js'
import { dayNumber, firstMonday, fromDayNumber, goodFriday, isWeekend, type IsoDate } from './dates.js'
import {
  BankHolidaysFileSchema,
  CALENDAR_REGIMES,
  CalendarRegimesFileSchema,
  DIVISIONS,
  type BankHolidaysFile,
  type BankHolidaysSource,
  type CalendarRegime,
  type CalendarRegimesFile,
  type Division,
  type NamedDay
} from './schema.js'

/** The data files are beside the loader: src/calendar/ under the tests, dist/src/calendar/ when built. */
export const CALENDAR_DIR = dirname(fileURLToPath(import.meta.url))
export const BANK_HOLIDAYS_FILE = 'bank-holidays.json'
export const REGIMES_FILE = 'regimes.json'

/** A fault in a calendar data file, named by file and JSON pointer (as CatalogueError does for the catalogue). */
export class CalendarDataError extends Error {
  override name = 'CalendarDataError'
  constructor(
    readonly file: string,
    /** The JSON pointer of the fault in that file; "" for the file as a whole. */
    readonly pointer: string,
    detail: string
  ) {
    super(`Calendar file ${file} is invalid at ${pointer || '/'}: ${detail}`)
  }
}

function fail(file: string, pointer: string, detail: string): never {
  throw new CalendarDataError(file, pointer, detail)
}

/**
 * A count of working days needed a day the data does not cover. The answer is unknown (a bank
 * holiday may yet be proclaimed for that day), so it is refused rather than guessed.
 */
export class BeyondCalendar extends Error {
  override name = 'BeyondCalendar'
  readonly code = 'beyond-calendar'
  constructor(
    readonly regime: CalendarRegime,
    /** The first day the count needed and the data does not cover. */
    readonly date: IsoDate,
    readonly coveredFrom: IsoDate,
    readonly coveredTo: IsoDate
  ) {
    super(
      `Working days under ${regime} are known from ${coveredFrom} to ${coveredTo} (GOV.UK bank holidays); ` +
        `${date} is outside that range, so no date that depends on it can be given. ` +
        'Refresh src/calendar/bank-holidays.json (npm run refresh:bank-holidays) once GOV.UK lists that year.'
    )
  }
}

/** A day that is not a working day under a regime although it is a weekday or a weekend day. */
export interface NonWorkingDay {
  date: IsoDate
  /** GOV.UK's title in the first division listing it (England and Wales, Scotland, Northern Ireland). */
  title: string
  /** The divisions whose bank holiday it is; empty for a day the regime names itself. */
  divisions: Division[]
  /** Set for a day added by the regime's own definition and not listed by GOV.UK for its divisions. */
  namedDay?: NamedDay
}

export interface RegimeBasis {
  name: string
  divisions: Division[]
  namedDays: NamedDay[]
  /** The legal definition of a working day for the regime, to cite in a plan's rule. */
  source: Source
}

export interface CountOptions {
  /**
   * true: "n working days beginning with" date, which is day 1 when it is a working day (PA 2023
   * s.51(2) standstill). false: the count starts on the day after date (PSR reg 12(2)).
   */
  countStartDay: boolean
}

export interface Calendar {
  /** Where the bank-holiday data came from. */
  readonly source: BankHolidaysSource
  basis(regime: CalendarRegime): RegimeBasis
  /** The first day the data covers for the regime: the latest coveredFrom of its divisions. */
  coveredFrom(regime: CalendarRegime): IsoDate
  /** The last day the data covers for the regime: the earliest coveredTo of its divisions. */
  coveredTo(regime: CalendarRegime): IsoDate
  /** The regime's holidays (weekends aside) in date order, within the covered range. */
  nonWorkingDays(regime: CalendarRegime): readonly NonWorkingDay[]
  /** Throws BeyondCalendar for a date outside the covered range. */
  isWorkingDay(regime: CalendarRegime, date: IsoDate): boolean
  /** The first working day after date. Throws BeyondCalendar if it falls outside the covered range. */
  nextWorkingDay(regime: CalendarRegime, date: IsoDate): IsoDate
  /** The n-th working day (n >= 1) counted from date as options say. Throws BeyondCalendar when a day it needs is not covered. */
  addWorkingDays(regime: CalendarRegime, date: IsoDate, n: number, options: CountOptions): IsoDate
}

function readJson<T>(dir: string, file: string, schema: TSchema): T {
  return parse<T>(file, readText(dir, file, fail), schema, fail)
}

/** Each division: whole years covered, events strictly in date order (so no date twice), all within the range, none missing a year. */
function checkBankHolidays(file: BankHolidaysFile): void {
  const f = BANK_HOLIDAYS_FILE
  for (const division of DIVISIONS) {
    const { coveredFrom, coveredTo, events } = file.divisions[division]
    const at = `/divisions/${division}`
    // Whole years, because GOV.UK lists whole years: a partial year would claim days it cannot vouch for.
    if (!coveredFrom.endsWith('-01-01')) fail(f, `${at}/coveredFrom`, `${coveredFrom} is not 1 January (the data covers whole years)`)
    if (!coveredTo.endsWith('-12-31')) fail(f, `${at}/coveredTo`, `${coveredTo} is not 31 December (the data covers whole years)`)
    if (coveredTo < coveredFrom) fail(f, `${at}/coveredTo`, `${coveredTo} is before coveredFrom ${coveredFrom}`)
    const years = new Set<string>()
    events.forEach(({ date }, i) => {
      if (date < coveredFrom || date > coveredTo) fail(f, `${at}/events/${i}/date`, `${date} is outside ${coveredFrom}..${coveredTo}`)
      const previous = events[i - 1]
      if (previous && previous.date === date) fail(f, `${at}/events/${i}/date`, `${date} is listed twice`)
      if (previous && previous.date > date) {
        fail(f, `${at}/events/${i}/date`, `${date} comes after ${previous.date}: events are in date order`)
      }
      years.add(date.slice(0, 4))
    })
    // A covered year with no holiday at all means the range claims a year the source did not list.
    for (let year = Number(coveredFrom.slice(0, 4)); year <= Number(coveredTo.slice(0, 4)); year++) {
      if (!years.has(String(year))) fail(f, `${at}/coveredTo`, `${year} is covered but has no bank holiday listed`)
    }
  }
}

/** The days a regime names in a year (PSR reg 12(12)): computed by rule, since the regulation defines them by date. */
function namedDaysOf(year: number): Record<NamedDay, IsoDate> {
  return { 'christmas-day': `${year}-12-25`, 'good-friday': goodFriday(year), 'first-monday-in-may': firstMonday(year, 5) }
}

const NAMED_DAY_TITLES: Record<NamedDay, string> = {
  'christmas-day': 'Christmas Day',
  'good-friday': 'Good Friday',
  'first-monday-in-may': 'First Monday in May'
}

interface RegimeDays {
  basis: RegimeBasis
  from: number
  to: number
  byDay: Map<number, NonWorkingDay>
  list: readonly NonWorkingDay[]
}

function buildRegime(file: BankHolidaysFile, basis: RegimeBasis): RegimeDays {
  const divisions = basis.divisions.map((d) => file.divisions[d])
  const coveredFrom = divisions.map((d) => d.coveredFrom).reduce((a, b) => (a > b ? a : b))
  const coveredTo = divisions.map((d) => d.coveredTo).reduce((a, b) => (a < b ? a : b))
  const byDay = new Map<number, NonWorkingDay>()
  for (const division of basis.divisions) {
    for (const { date, title } of file.divisions[division].events) {
      if (date < coveredFrom || date > coveredTo) continue
      const day = dayNumber(date)
      const seen = byDay.get(day)
      if (seen) seen.divisions.push(division)
      else byDay.set(day, { date, title, divisions: [division] })
    }
  }
  for (let year = Number(coveredFrom.slice(0, 4)); year <= Number(coveredTo.slice(0, 4)); year++) {
    for (const [namedDay, date] of Object.entries(namedDaysOf(year)) as [NamedDay, IsoDate][]) {
      const day = dayNumber(date)
      if (!basis.namedDays.includes(namedDay) || byDay.has(day)) continue
      byDay.set(day, { date, title: NAMED_DAY_TITLES[namedDay], divisions: [], namedDay })
    }
  }
  const list = [...byDay.entries()].sort(([a], [b]) => a - b).map(([, d]) => d)
  return { basis, from: dayNumber(coveredFrom), to: dayNumber(coveredTo), byDay, list }
}

export function loadCalendar(dir: string = CALENDAR_DIR): Calendar {
  const holidays = readJson<BankHolidaysFile>(dir, BANK_HOLIDAYS_FILE, BankHolidaysFileSchema)
  checkBankHolidays(holidays)
  // GOV.UK lists Good Friday for England and Wales every year; the computus must agree with it,
  // or the PSR's named Good Friday would be a different day from the one GOV.UK lists.
  const england = holidays.divisions['england-and-wales']
  for (let year = Number(england.coveredFrom.slice(0, 4)); year <= Number(england.coveredTo.slice(0, 4)); year++) {
    const date = goodFriday(year)
    if (!england.events.some((e) => e.date === date)) {
      fail(BANK_HOLIDAYS_FILE, '/divisions/england-and-wales/events', `Good Friday ${date} (${year}) is not listed`)
    }
  }
  const regimes = readJson<CalendarRegimesFile>(dir, REGIMES_FILE, CalendarRegimesFileSchema)
  const days = Object.fromEntries(CALENDAR_REGIMES.map((r) => [r, buildRegime(holidays, regimes.regimes[r])])) as Record<
    CalendarRegime,
    RegimeDays
  >

  function regimeDays(regime: CalendarRegime): RegimeDays {
    const found = (CALENDAR_REGIMES as readonly string[]).includes(regime) ? days[regime] : undefined
    if (!found) throw new RangeError(`no working-day calendar for "${regime}": only ${CALENDAR_REGIMES.join(' and ')} count working days`)
    return found
  }

  /** Whether a day number is a working day; throws BeyondCalendar outside the covered range. */
  function working(regime: CalendarRegime, r: RegimeDays, day: number): boolean {
    if (day < r.from || day > r.to) throw new BeyondCalendar(regime, fromDayNumber(day), fromDayNumber(r.from), fromDayNumber(r.to))
    return !isWeekend(fromDayNumber(day)) && !r.byDay.has(day)
  }

  function addWorkingDays(regime: CalendarRegime, date: IsoDate, n: number, options: CountOptions): IsoDate {
    const r = regimeDays(regime)
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a count of working days is a whole number from 1, not ${n}`)
    // The loop ends: each step moves one day on, and working() throws past the covered range.
    let day = dayNumber(date) + (options.countStartDay ? 0 : 1)
    let counted = 0
    for (;;) {
      if (working(regime, r, day) && ++counted === n) return fromDayNumber(day)
      day++
    }
  }

  return {
    source: holidays.source,
    basis: (regime) => regimeDays(regime).basis,
    coveredFrom: (regime) => fromDayNumber(regimeDays(regime).from),
    coveredTo: (regime) => fromDayNumber(regimeDays(regime).to),
    nonWorkingDays: (regime) => regimeDays(regime).list,
    isWorkingDay: (regime, date) => working(regime, regimeDays(regime), dayNumber(date)),
    nextWorkingDay: (regime, date) => addWorkingDays(regime, date, 1, { countStartDay: false }),
    addWorkingDays
  }
}
