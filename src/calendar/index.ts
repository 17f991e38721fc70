// Working-day calendars as dated, sourced data: GOV.UK's bank holidays per division
// (bank-holidays.json) and which of them each regime counts (regimes.json). Load once at start with
// loadCalendar(); a count that needs a day outside the data throws BeyondCalendar, which the plan
// endpoint answers with a 400 problem.
export {
  BANK_HOLIDAYS_FILE,
  BeyondCalendar,
  CALENDAR_DIR,
  CalendarDataError,
  REGIMES_FILE,
  loadCalendar,
  type Calendar,
  type CountOptions,
  type NonWorkingDay,
  type RegimeBasis
} from './calendar.js'
export { addDays, dayOfWeek, daysBeginningAfter, daysBeginningWith, isIsoDate, isWeekend, type IsoDate } from './dates.js'
export {
  CALENDAR_REGIMES,
  DIVISIONS,
  NAMED_DAYS,
  type BankHolidaysFile,
  type BankHolidaysSource,
  type CalendarRegime,
  type Division,
  type NamedDay
} from './schema.js'
