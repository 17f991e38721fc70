// npm run refresh:bank-holidays -- <bank-holidays.json> [--retrieved-from <owner/repo>@<commit>:<path> | URL] [--retrieved YYYY-MM-DD] [--out FILE]
//
// Rebuilds src/calendar/bank-holidays.json, the bank holidays the working-day calendars count,
// from a copy of GOV.UK's https://www.gov.uk/bank-holidays.json fetched by hand (no network here).
// Two forms are read:
//   - GOV.UK's own: { "england-and-wales": { "division": ..., "events": [{ "title", "date", "notes", "bunting" }] }, "scotland": ..., "northern-ireland": ... };
//   - the same reduced to { "<division>": [{ "date", "title" }] }, as some repositories commit it
//     (the form of the copy the committed file was built from).
// Each division keeps every event's date and title, in date order; it covers from 1 January of
// its first listed year to 31 December of its last (GOV.UK lists whole years). The script refuses a
// source without the three divisions, with a malformed date, an empty title or a date listed twice
// in a division. It prints the events per year: check that the last year is complete before
// committing. retrievedFrom defaults to GOV.UK's URL (a direct download); give --retrieved-from
// for a copy taken elsewhere. The rest of the "source" block of the existing file is kept: revise
// its confidence and note by hand when the source changes. Then run npm test: the calendar loader
// rejects a file whose dates are out of order or outside the covered years, and test/calendar.test.ts
// pins dates and the covered range.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { isIsoDate } from '../calendar/dates.js'
import { DIVISIONS, type BankHolidaysFile, type BankHolidaysSource, type DivisionData, type Division } from '../calendar/schema.js'

export const GOV_UK_URL = 'https://www.gov.uk/bank-holidays.json'

interface SourceEvent {
  date: string
  title: string
}

/** One division of a source file, in either form, checked; in the source's order. */
function sourceEvents(data: Record<string, unknown>, division: Division): SourceEvent[] {
  const entry = data[division]
  const events = Array.isArray(entry) ? entry : (entry as { events?: unknown } | undefined)?.events
  if (!Array.isArray(events)) throw new Error(`the source has no events for ${division}`)
  return events.map((event: unknown, i) => {
    const { date, title } = (event ?? {}) as { date?: unknown; title?: unknown }
    if (!isIsoDate(date)) throw new Error(`${division} event ${i}: ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`)
    if (typeof title !== 'string' || !title.trim()) throw new Error(`${division} ${date}: the title is missing`)
    return { date, title: title.trim() }
  })
}

/** The divisions of our file from a parsed GOV.UK bank-holidays.json (either form). */
export function convertBankHolidays(data: unknown): BankHolidaysFile['divisions'] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('the source is not a JSON object')
  const divisions = {} as Record<Division, DivisionData>
  for (const division of DIVISIONS) {
    const events = sourceEvents(data as Record<string, unknown>, division).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    if (events.length === 0) throw new Error(`the source lists no events for ${division}`)
    events.forEach((e, i) => {
      if (i > 0 && (events[i - 1] as SourceEvent).date === e.date) throw new Error(`${division}: ${e.date} is listed twice`)
    })
    const first = (events[0] as SourceEvent).date
    const last = (events[events.length - 1] as SourceEvent).date
    divisions[division] = { coveredFrom: `${first.slice(0, 4)}-01-01`, coveredTo: `${last.slice(0, 4)}-12-31`, events }
  }
  return divisions
}

/** The file's text: one event per line, so that a refresh is a readable diff (the file is kept out of Prettier). */
export function renderBankHolidaysFile(file: BankHolidaysFile): string {
  const source = JSON.stringify(file.source, null, 2).replace(/\n/g, '\n  ')
  const divisions = DIVISIONS.map((division) => {
    const { coveredFrom, coveredTo, events } = file.divisions[division]
    const lines = events.map((e) => `        { "date": ${JSON.stringify(e.date)}, "title": ${JSON.stringify(e.title)} }`).join(',\n')
    return (
      `    ${JSON.stringify(division)}: {\n      "coveredFrom": ${JSON.stringify(coveredFrom)},\n` +
      `      "coveredTo": ${JSON.stringify(coveredTo)},\n      "events": [\n${lines}\n      ]\n    }`
    )
  })
  return `{\n  "source": ${source},\n  "divisions": {\n${divisions.join(',\n')}\n  }\n}\n`
}

/** Events per year of a division, for the person refreshing to see a short last year. */
export function eventsPerYear(division: DivisionData): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { date } of division.events) counts[date.slice(0, 4)] = (counts[date.slice(0, 4)] ?? 0) + 1
  return counts
}

const NEW_SOURCE: Omit<BankHolidaysSource, 'retrievedFrom' | 'retrieved'> = {
  name: 'GOV.UK bank holidays',
  url: GOV_UK_URL,
  confidence: 'unconfirmed',
  note: 'Write where this copy came from and how it was checked.'
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'retrieved-from': { type: 'string', default: GOV_UK_URL },
      retrieved: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      out: { type: 'string', default: 'src/calendar/bank-holidays.json' }
    }
  })
  const [sourcePath] = positionals
  if (positionals.length !== 1 || !sourcePath || !isIsoDate(values.retrieved)) {
    process.stderr.write(
      'usage: npm run refresh:bank-holidays -- <bank-holidays.json> [--retrieved-from <owner/repo>@<commit>:<path> | URL] [--retrieved YYYY-MM-DD] [--out FILE]\n'
    )
    process.exit(2)
  }
  const previous = existsSync(values.out) ? (JSON.parse(readFileSync(values.out, 'utf8')) as BankHolidaysFile).source : NEW_SOURCE
  const divisions = convertBankHolidays(JSON.parse(readFileSync(sourcePath, 'utf8').replace(/^\uFEFF/, '')))
  const source: BankHolidaysSource = { ...previous, retrievedFrom: values['retrieved-from'], retrieved: values.retrieved }
  writeFileSync(values.out, renderBankHolidaysFile({ source, divisions }))
  process.stdout.write(`${values.out}: from ${source.retrievedFrom}\n`)
  for (const division of DIVISIONS) {
    const d = divisions[division]
    const perYear = Object.entries(eventsPerYear(d))
      .map(([year, n]) => `${year}:${n}`)
      .join(' ')
    process.stdout.write(`  ${division}: ${d.coveredFrom}..${d.coveredTo}, ${d.events.length} events (${perYear})\n`)
  }
  process.stdout.write('Check that the last year of each division is complete, review the "source" block, then run npm test.\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
