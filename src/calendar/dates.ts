// Calendar-day arithmetic on "YYYY-MM-DD" strings. A legal date is a whole day with no time of
// day or zone, so every step goes through a day number (days since 1970-01-01, read in UTC):
// local-time Date methods would shift a day across a clock change or in a zone west of UTC.

export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

// Both directions are memoised: a plan counts hundreds of days, and the dates met are few (the
// caches hold real dates only, at most MEMO_LIMIT of each, so no input can grow them without bound).
const MEMO_LIMIT = 100_000
const numberOf = new Map<string, number>()
const dateOf = new Map<number, IsoDate>()

/** The day number of a date, or undefined when the text is not a real YYYY-MM-DD date (2026-02-30 is not). */
function dayNumberOrUndefined(date: string): number | undefined {
  const known = numberOf.get(date)
  if (known !== undefined) return known
  const n = parseDayNumber(date)
  if (n !== undefined && numberOf.size < MEMO_LIMIT) numberOf.set(date, n)
  return n
}

function parseDayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  // Date.UTC rolls 30 February over into March; reading the parts back catches it. Date.UTC
  // also maps years 0-99 onto 1900-1999, which the round trip catches as well.
  const back = new Date(ms)
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined
  return ms / MS_PER_DAY
}

export function isIsoDate(date: unknown): date is IsoDate {
  return typeof date === 'string' && dayNumberOrUndefined(date) !== undefined
}

/** Days since 1970-01-01; throws a RangeError on text that is not a real YYYY-MM-DD date. */
export function dayNumber(date: IsoDate): number {
  const n = dayNumberOrUndefined(date)
  if (n === undefined) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`)
  return n
}

export function fromDayNumber(n: number): IsoDate {
  const known = dateOf.get(n)
  if (known !== undefined) return known
  const date = new Date(n * MS_PER_DAY).toISOString().slice(0, 10)
  if (dateOf.size < MEMO_LIMIT) dateOf.set(n, date)
  return date
}

/** The date n calendar days after date (before it when n is negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`a number of days must be a whole number, not ${n}`)
  return fromDayNumber(dayNumber(date) + n)
}

/** 0 for Sunday to 6 for Saturday, as Date.getUTCDay. */
export function dayOfWeek(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps dates before 1970 in range.
  return (((dayNumber(date) + 4) % 7) + 7) % 7
}

export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date)
  return day === 0 || day === 6
}

/**
 * The last day of "the period of n days beginning with" date: the date itself is day 1, so the
 * period ends on date + n - 1 (a contract entered into on 1 Jul 2026: 30 days -> 30 Jul 2026).
 */
export function daysBeginningWith(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period "beginning with" a day has at least 1 day, not ${n}`)
  return addDays(date, n - 1)
}

/**
 * The last day of a period of n days that runs from the day after date, as the time limits of
 * Procurement Act 2023 s.54(5) do: date + n (a 25-day period after a notice on 2 Mar 2027 ends 27 Mar 2027).
 */
export function daysBeginningAfter(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period has at least 1 day, not ${n}`)
  return addDays(date, n)
}

/** The first Monday of a month (1-12) of a year. */
export function firstMonday(year: number, month: number): IsoDate {
  const first = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`
  return addDays(first, (8 - dayOfWeek(first)) % 7)
}

/**
 * Good Friday of a Gregorian year: Easter Sunday by the anonymous Gregorian computus (Meeus,
 * Astronomical Algorithms, ch. 8), less two days. Exact for every Gregorian year, so it is a
 * rule, not a guess; the loader checks it against the dates GOV.UK lists.
 */
export function goodFriday(year: number): IsoDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  const easter = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  return addDays(easter, -2)
}
