// Working-day calendars (src/calendar): GOV.UK's bank holidays as dated data, counted per regime
// (PA 2023 s.123(1): any part of the UK; PSR reg 12(12): England plus three named days), and a
// refusal, never a guess, for a day the data does not cover. Expected dates are written out by hand.
import t, { type Test } from 'tap'
import fc from 'fast-check'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BeyondCalendar,
  CALENDAR_DIR,
  CALENDAR_REGIMES,
  CalendarDataError,
  addDays,
  dayOfWeek,
  daysBeginningAfter,
  daysBeginningWith,
  loadCalendar,
  type BankHolidaysFile,
  type CalendarRegime
} from '../src/calendar/index.js'
import { dayNumber, firstMonday, fromDayNumber, goodFriday } from '../src/calendar/dates.js'
import { convertBankHolidays, renderBankHolidaysFile } from '../src/scripts/refresh-bank-holidays.js'

const calendar = loadCalendar()
const file = JSON.parse(readFileSync(join(CALENDAR_DIR, 'bank-holidays.json'), 'utf8')) as BankHolidaysFile
const start = { countStartDay: true }
const after = { countStartDay: false }

t.test('the data: GOV.UK bank holidays 2019-2028 per division, with its source', async (t) => {
  t.same(calendar.source, file.source)
  t.equal(calendar.source.url, 'https://www.gov.uk/bank-holidays.json')
  t.equal(calendar.source.retrievedFrom, 'Ombudsdan/WorkLeaveTracker@cb799c03b70d9e9209083e6209e3902e09658e94:data/bank-holidays.json')
  t.equal(calendar.source.retrieved, '2026-11-26')
  t.equal(calendar.source.confidence, 'secondary', 'a copy of GOV.UK’s file committed by a scheduled job, not a download made here')
  for (const division of ['england-and-wales', 'scotland', 'northern-ireland'] as const) {
    const d = file.divisions[division]
    t.equal(d.coveredFrom, '2019-01-01', division)
    t.equal(d.coveredTo, '2028-12-31', division)
    const dates = d.events.map((e) => e.date)
    // The one-off days of 2022 and 2023 are UK-wide.
    for (const special of ['2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) t.ok(dates.includes(special), `${division} ${special}`)
  }
  t.same(
    file.divisions['england-and-wales'].events.filter((e) => e.date.startsWith('2026')),
    [
      { date: '2026-01-01', title: 'New Year’s Day' },
      { date: '2026-04-03', title: 'Good Friday' },
      { date: '2026-04-06', title: 'Easter Monday' },
      { date: '2026-05-04', title: 'Early May bank holiday' },
      { date: '2026-05-25', title: 'Spring bank holiday' },
      { date: '2026-08-31', title: 'Summer bank holiday' },
      { date: '2026-12-25', title: 'Christmas Day' },
      { date: '2026-12-28', title: 'Boxing Day' }
    ]
  )
  const scotland = file.divisions.scotland.events.map((e) => e.date)
  for (const d of ['2026-01-02', '2026-06-15', '2026-08-03', '2026-11-30', '2025-12-01', '2027-01-04']) {
    t.ok(scotland.includes(d), `Scotland ${d}`)
  }
  const ni = file.divisions['northern-ireland'].events.map((e) => e.date)
  for (const d of ['2026-03-17', '2024-03-18', '2026-07-13', '2025-07-14', '2027-07-12']) t.ok(ni.includes(d), `Northern Ireland ${d}`)
  t.same(calendar.basis('pa2023').divisions, ['england-and-wales', 'scotland', 'northern-ireland'])
  t.match(calendar.basis('pa2023').source.citation, /s\.123\(1\)/)
  t.same(calendar.basis('psr2023').divisions, ['england-and-wales'])
  t.same(calendar.basis('psr2023').namedDays, ['christmas-day', 'good-friday', 'first-monday-in-may'])
  t.match(calendar.basis('psr2023').source.citation, /reg 12\(12\)/)
})

t.test('the contract’s worked examples', async (t) => {
  // s.51(2): 8 working days beginning with Thu 2 Apr 2026: 2 Apr (1); Good Friday 3 Apr, the
  // weekend and Easter Monday 6 Apr skipped; 7 (2), 8 (3), 9 (4), 10 (5), 13 (6), 14 (7), 15 (8).
  t.equal(calendar.addWorkingDays('pa2023', '2026-04-02', 8, start), '2026-04-15')
  // s.53(1): 30 (120) days beginning with the day the contract is entered into, 1 Jul 2026.
  t.equal(daysBeginningWith('2026-07-01', 30), '2026-07-30')
  t.equal(daysBeginningWith('2026-07-01', 120), '2026-10-28')
  // s.54(5): a 25-day tendering period runs from the day after a tender notice of 2 Mar 2027.
  t.equal(daysBeginningAfter('2027-03-02', 25), '2027-03-27')
})

t.test('s.123 skips every part’s bank holidays; the PSR only England’s', async (t) => {
  const days: [string, string, boolean, boolean][] = [
    // [date, why, pa2023 working, psr2023 working]
    ['2026-01-02', 'Fri: Scotland’s 2nd January', false, true],
    ['2027-01-04', 'Mon: Scotland’s 2nd January (2 Jan 2027 is a Saturday)', false, true],
    ['2026-11-30', 'Mon: St Andrew’s Day', false, true],
    ['2025-12-01', 'Mon: St Andrew’s Day substitute (30 Nov 2025 is a Sunday)', false, true],
    ['2026-08-03', 'Mon: Scotland’s summer bank holiday', false, true],
    ['2026-06-15', 'Mon: Scotland’s World Cup bank holiday', false, true],
    ['2026-03-17', 'Tue: St Patrick’s Day', false, true],
    ['2024-03-18', 'Mon: St Patrick’s Day substitute (17 Mar 2024 is a Sunday)', false, true],
    ['2027-07-12', 'Mon: Battle of the Boyne', false, true],
    ['2026-07-13', 'Mon: Battle of the Boyne substitute (12 Jul 2026 is a Sunday)', false, true],
    ['2026-04-06', 'Mon: Easter Monday (England, Wales, Northern Ireland)', false, false],
    ['2026-08-31', 'Mon: England’s summer bank holiday', false, false],
    ['2026-04-03', 'Fri: Good Friday', false, false],
    ['2026-04-02', 'Thu: an ordinary weekday', true, true],
    ['2026-04-04', 'Sat', false, false],
    ['2026-04-05', 'Sun', false, false]
  ]
  for (const [date, why, pa, psr] of days) {
    t.equal(calendar.isWorkingDay('pa2023', date), pa, `pa2023 ${date} ${why}`)
    t.equal(calendar.isWorkingDay('psr2023', date), psr, `psr2023 ${date} ${why}`)
  }
  // 8 working days beginning with Mon 30 Nov 2026 (St Andrew's Day):
  // pa2023: 30 Nov skipped; 1 (1), 2, 3, 4, 7, 8, 9, 10 Dec (8).
  // psr2023: 30 Nov (1), 1, 2, 3, 4, 7, 8, 9 Dec (8).
  t.equal(calendar.addWorkingDays('pa2023', '2026-11-30', 8, start), '2026-12-10')
  t.equal(calendar.addWorkingDays('psr2023', '2026-11-30', 8, start), '2026-12-09')
  // 8 working days beginning with Mon 16 Mar 2026:
  // pa2023: 16 (1), 17 skipped (St Patrick's Day), 18, 19, 20, 23, 24, 25, 26 (8).
  // psr2023: 16 (1), 17, 18, 19, 20, 23, 24, 25 (8).
  t.equal(calendar.addWorkingDays('pa2023', '2026-03-16', 8, start), '2026-03-26')
  t.equal(calendar.addWorkingDays('psr2023', '2026-03-16', 8, start), '2026-03-25')
})

t.test('the PSR’s named days count even where GOV.UK lists none (reg 12(12))', async (t) => {
  // In 2020 the early May bank holiday moved to Fri 8 May (VE Day); Mon 4 May, the first Monday
  // in May, stayed a PSR public holiday but was a working day under s.123.
  t.equal(calendar.isWorkingDay('psr2023', '2020-05-04'), false)
  t.equal(calendar.isWorkingDay('pa2023', '2020-05-04'), true)
  t.equal(calendar.isWorkingDay('psr2023', '2020-05-08'), false)
  t.same(
    calendar.nonWorkingDays('psr2023').find((d) => d.date === '2020-05-04'),
    { date: '2020-05-04', title: 'First Monday in May', divisions: [], namedDay: 'first-monday-in-may' }
  )
  t.equal(firstMonday(2026, 5), '2026-05-04')
  t.equal(firstMonday(2028, 5), '2028-05-01')
  // The computus agrees with every Good Friday GOV.UK lists (the loader checks this too).
  const listed = file.divisions['england-and-wales'].events.filter((e) => e.title === 'Good Friday').map((e) => e.date)
  t.same(
    listed,
    [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028].map((y) => goodFriday(y))
  )
  t.equal(goodFriday(2026), '2026-04-03')
})

t.test('Christmas and New Year 2026-27, counted by hand', async (t) => {
  // Non-working: Fri 25 Dec (Christmas), Sat 26, Sun 27, Mon 28 Dec (Boxing Day substitute),
  // Fri 1 Jan 2027, Sat 2, Sun 3, and, under s.123 only, Mon 4 Jan (Scotland's 2nd January substitute).
  //
  // 8 working days beginning with Tue 22 Dec 2026:
  // pa2023:  22 (1), 23 (2), 24 (3), 29 (4), 30 (5), 31 (6), 5 Jan (7), 6 Jan (8) -> 2027-01-06
  // psr2023: 22 (1), 23 (2), 24 (3), 29 (4), 30 (5), 31 (6), 4 Jan (7), 5 Jan (8) -> 2027-01-05
  t.equal(calendar.addWorkingDays('pa2023', '2026-12-22', 8, start), '2027-01-06')
  t.equal(calendar.addWorkingDays('psr2023', '2026-12-22', 8, start), '2027-01-05')
  // Counting from the day after Tue 22 Dec (as the PSR standstill begins the day after the notice):
  // pa2023:  23 (1), 24 (2), 29 (3), 30 (4), 31 (5), 5 Jan (6), 6 Jan (7), 7 Jan (8) -> 2027-01-07
  // psr2023: 23 (1), 24 (2), 29 (3), 30 (4), 31 (5), 4 Jan (6), 5 Jan (7), 6 Jan (8) -> 2027-01-06
  t.equal(calendar.addWorkingDays('pa2023', '2026-12-22', 8, after), '2027-01-07')
  t.equal(calendar.addWorkingDays('psr2023', '2026-12-22', 8, after), '2027-01-06')
  // The next working day after Thu 24 Dec is Tue 29 Dec under both; after Thu 31 Dec it differs.
  t.equal(calendar.nextWorkingDay('pa2023', '2026-12-24'), '2026-12-29')
  t.equal(calendar.nextWorkingDay('psr2023', '2026-12-24'), '2026-12-29')
  t.equal(calendar.nextWorkingDay('pa2023', '2026-12-31'), '2027-01-05')
  t.equal(calendar.nextWorkingDay('psr2023', '2026-12-31'), '2027-01-04')
  // A start day that is not a working day: day 1 is the next working day (Sat 26 Dec -> Tue 29 Dec).
  t.equal(calendar.addWorkingDays('pa2023', '2026-12-26', 1, start), '2026-12-29')
})

function expectBeyond(t: Test, run: () => unknown, regime: CalendarRegime, date: string) {
  try {
    run()
    t.fail(`expected ${date} to be refused`)
  } catch (err) {
    t.type(err, BeyondCalendar)
    const e = err as BeyondCalendar
    t.same(
      { regime: e.regime, date: e.date, coveredFrom: e.coveredFrom, coveredTo: e.coveredTo, code: e.code },
      {
        regime,
        date,
        coveredFrom: '2019-01-01',
        coveredTo: '2028-12-31',
        code: 'beyond-calendar'
      }
    )
    t.match(e.message, /outside that range/)
  }
}

t.test('a day past the data is refused, never guessed', async (t) => {
  for (const regime of CALENDAR_REGIMES) {
    t.equal(calendar.coveredTo(regime), '2028-12-31')
    t.equal(calendar.coveredFrom(regime), '2019-01-01')
  }
  expectBeyond(t, () => calendar.isWorkingDay('pa2023', '2029-01-02'), 'pa2023', '2029-01-02')
  expectBeyond(t, () => calendar.isWorkingDay('psr2023', '2018-12-31'), 'psr2023', '2018-12-31')
  // Fri 22 Dec 2028 (1), Wed 27 (2), Thu 28 (3), Fri 29 (4); the 5th would be in 2029.
  t.equal(calendar.addWorkingDays('pa2023', '2028-12-22', 4, start), '2028-12-29')
  expectBeyond(t, () => calendar.addWorkingDays('pa2023', '2028-12-22', 8, start), 'pa2023', '2029-01-01')
  // The last working day needs nothing beyond it; the next one does.
  expectBeyond(t, () => calendar.nextWorkingDay('psr2023', '2028-12-29'), 'psr2023', '2029-01-01')
  // Calendar-day arithmetic needs no bank holidays, so it is not limited.
  t.equal(daysBeginningWith('2028-12-01', 120), '2029-03-30')
})

t.test('bad arguments are programming errors, not calendar gaps', async (t) => {
  t.throws(() => calendar.isWorkingDay('pcr2015' as CalendarRegime, '2026-04-02'), RangeError)
  t.throws(() => calendar.isWorkingDay('pa2023', '2026-02-30'), RangeError)
  t.throws(() => calendar.isWorkingDay('pa2023', '2026-4-2'), RangeError)
  t.throws(() => calendar.addWorkingDays('pa2023', '2026-04-02', 0, start), RangeError)
  t.throws(() => calendar.addWorkingDays('pa2023', '2026-04-02', 1.5, start), RangeError)
  t.throws(() => daysBeginningWith('2026-04-02', 0), RangeError)
  t.throws(() => addDays('2026-04-02', 0.5), RangeError)
})

t.test('calendar days: UTC day numbers, whatever the process time zone', async (t) => {
  const zone = process.env.TZ
  t.teardown(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })
  for (const tz of ['UTC', 'Europe/London', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
    process.env.TZ = tz
    t.equal(addDays('2026-03-28', 2), '2026-03-30', `${tz}: across the spring clock change`)
    t.equal(addDays('2026-10-24', 2), '2026-10-26', `${tz}: across the autumn clock change`)
    t.equal(addDays('2028-02-28', 1), '2028-02-29', `${tz}: leap day`)
    t.equal(addDays('2027-02-28', 1), '2027-03-01', tz)
    t.equal(addDays('2027-01-01', -1), '2026-12-31', tz)
    t.equal(dayOfWeek('2026-04-02'), 4, `${tz}: Thursday`)
    t.equal(calendar.isWorkingDay('pa2023', '2026-04-02'), true, tz)
  }
})

const regimes = fc.constantFrom(...CALENDAR_REGIMES)
// Start days that leave room for 40 working days before the end of the data.
const days = fc.integer({ min: dayNumber('2019-01-01'), max: dayNumber('2028-10-31') }).map(fromDayNumber)

t.test('properties of the working-day count', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(regimes, days, fc.integer({ min: 1, max: 40 }), fc.boolean(), (regime, date, n, countStartDay) => {
        const end = calendar.addWorkingDays(regime, date, n, { countStartDay })
        if (!calendar.isWorkingDay(regime, end)) throw new Error(`${end} is not a working day`)
        // Exactly n working days from the first counted day to the end, both included.
        let counted = 0
        for (let d = countStartDay ? date : addDays(date, 1); d <= end; d = addDays(d, 1)) if (calendar.isWorkingDay(regime, d)) counted++
        if (counted !== n) throw new Error(`${counted} working days, not ${n}`)
      }),
      { numRuns: 300 }
    )
  )
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(regimes, days, fc.integer({ min: 1, max: 39 }), fc.boolean(), (regime, date, n, countStartDay) => {
        const a = calendar.addWorkingDays(regime, date, n, { countStartDay })
        const b = calendar.addWorkingDays(regime, date, n + 1, { countStartDay })
        if (!(a < b)) throw new Error(`not increasing in n: ${a} then ${b}`)
        if (b !== calendar.nextWorkingDay(regime, a)) throw new Error(`${b} is not the next working day after ${a}`)
      }),
      { numRuns: 300 }
    )
  )
  // Near the end of the data the count either ends within it or is refused: it never returns a later day.
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        regimes,
        fc.integer({ min: dayNumber('2028-11-01'), max: dayNumber('2028-12-31') }),
        fc.integer({ min: 1, max: 60 }),
        (regime, day, n) => {
          try {
            if (calendar.addWorkingDays(regime, fromDayNumber(day), n, start) > '2028-12-31') throw new Error('past the data')
          } catch (err) {
            if (!(err instanceof BeyondCalendar)) throw err
          }
        }
      )
    )
  )
  t.doesNotThrow(() =>
    fc.assert(fc.property(days, fc.integer({ min: -400, max: 400 }), (date, n) => addDays(addDays(date, n), -n) === date))
  )
})

t.test('no listed holiday of a regime’s divisions is a working day', async (t) => {
  for (const regime of CALENDAR_REGIMES) {
    const listed = calendar.basis(regime).divisions.flatMap((d) => file.divisions[d].events)
    t.ok(
      listed.every((e) => !calendar.isWorkingDay(regime, e.date)),
      `${regime}: ${listed.length} listed days`
    )
    t.doesNotThrow(() =>
      fc.assert(
        fc.property(fc.constantFrom(...listed), (e) => !calendar.isWorkingDay(regime, e.date)),
        { numRuns: 200 }
      )
    )
    t.ok(
      calendar.nonWorkingDays(regime).every((d) => !calendar.isWorkingDay(regime, d.date)),
      `${regime}: every non-working day`
    )
  }
  // The PSR excludes no Scottish- or NI-only day: Fri 2 Jan 2026 is a Scottish holiday only.
  t.notOk(
    calendar.nonWorkingDays('psr2023').some((d) => d.date === '2026-01-02'),
    'Scotland’s 2nd January is not a PSR holiday'
  )
})

/** A copy of the calendar folder's data files with one file edited. */
function brokenCopy(name: string, edit: (data: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'calendar-'))
  cpSync(CALENDAR_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') })
  const data = JSON.parse(readFileSync(join(dir, name), 'utf8'))
  edit(data)
  writeFileSync(join(dir, name), JSON.stringify(data))
  return dir
}

function expectFault(t: Test, dir: string, name: string, pointer: string, message: RegExp) {
  try {
    loadCalendar(dir)
    t.fail(`expected ${name} to be rejected`)
  } catch (err) {
    t.type(err, CalendarDataError)
    t.equal((err as CalendarDataError).file, name)
    t.equal((err as CalendarDataError).pointer, pointer)
    t.match((err as Error).message, message)
  }
}

t.test('a faulty data file stops the load, naming the file and the JSON pointer', async (t) => {
  const bh = 'bank-holidays.json'
  expectFault(
    t,
    brokenCopy(bh, (d) => d.divisions.scotland.events.reverse()),
    bh,
    '/divisions/scotland/events/1/date',
    /comes after 2028-12-26: events are in date order/
  )
  expectFault(
    t,
    brokenCopy(bh, (d) => d.divisions['northern-ireland'].events.splice(1, 0, { date: '2019-01-01', title: 'Again' })),
    bh,
    '/divisions/northern-ireland/events/1/date',
    /2019-01-01 is listed twice/
  )
  expectFault(
    t,
    brokenCopy(bh, (d) => d.divisions['england-and-wales'].events.push({ date: '2029-01-01', title: 'New Year’s Day' })),
    bh,
    '/divisions/england-and-wales/events/83/date',
    /2029-01-01 is outside 2019-01-01\.\.2028-12-31/
  )
  expectFault(
    t,
    brokenCopy(bh, (d) => (d.divisions.scotland.coveredTo = '2029-12-31')),
    bh,
    '/divisions/scotland/coveredTo',
    /2029 is covered but has no bank holiday listed/
  )
  expectFault(
    t,
    brokenCopy(bh, (d) => (d.divisions.scotland.coveredTo = '2028-06-30')),
    bh,
    '/divisions/scotland/coveredTo',
    /not 31 December/
  )
  expectFault(
    t,
    brokenCopy(bh, (d) => delete d.divisions.scotland.events[3].title),
    bh,
    '/divisions/scotland/events/3/title',
    /is required/
  )
  expectFault(
    t,
    brokenCopy(
      bh,
      (d) => (d.divisions['england-and-wales'].events = d.divisions['england-and-wales'].events.filter((e: any) => e.date !== '2026-04-03'))
    ),
    bh,
    '/divisions/england-and-wales/events',
    /Good Friday 2026-04-03 \(2026\) is not listed/
  )
  expectFault(
    t,
    brokenCopy('regimes.json', (d) => (d.regimes.psr2023.divisions = ['england'])),
    'regimes.json',
    '/regimes/psr2023/divisions/0',
    /./
  )
  const dir = brokenCopy(bh, () => {})
  writeFileSync(join(dir, bh), '{')
  expectFault(t, dir, bh, '', /is not valid JSON/)
})

t.test('the refresh script: GOV.UK’s file to ours', async (t) => {
  const govUk = {
    'england-and-wales': {
      division: 'england-and-wales',
      events: [
        { title: 'Boxing Day', date: '2027-12-28', notes: 'Substitute day', bunting: true },
        { title: 'New Year’s Day', date: '2027-01-01', notes: '', bunting: true }
      ]
    },
    scotland: { division: 'scotland', events: [{ title: '2nd January', date: '2027-01-04', notes: 'Substitute day', bunting: true }] },
    'northern-ireland': {
      division: 'northern-ireland',
      events: [{ title: 'St Patrick’s Day', date: '2027-03-17', notes: '', bunting: true }]
    }
  }
  const divisions = convertBankHolidays(govUk)
  t.same(divisions['england-and-wales'], {
    coveredFrom: '2027-01-01',
    coveredTo: '2027-12-31',
    events: [
      { date: '2027-01-01', title: 'New Year’s Day' },
      { date: '2027-12-28', title: 'Boxing Day' }
    ]
  })
  t.same(divisions.scotland.events, [{ date: '2027-01-04', title: '2nd January' }])
  t.throws(
    () => convertBankHolidays({ 'england-and-wales': govUk['england-and-wales'], scotland: govUk.scotland }),
    /no events for northern-ireland/
  )
  t.throws(() => convertBankHolidays({ ...govUk, scotland: [{ date: '2027-1-4', title: 'x' }] }), /not a date/)
  t.throws(
    () =>
      convertBankHolidays({
        ...govUk,
        scotland: [
          { date: '2027-01-04', title: 'a' },
          { date: '2027-01-04', title: 'b' }
        ]
      }),
    /2027-01-04 is listed twice/
  )

  // The committed file is the script's output from its source form (date and title per division).
  const reduced = Object.fromEntries(Object.entries(file.divisions).map(([k, d]) => [k, d.events]))
  t.equal(
    renderBankHolidaysFile({ source: file.source, divisions: convertBankHolidays(reduced) }),
    readFileSync(join(CALENDAR_DIR, 'bank-holidays.json'), 'utf8')
  )
})
