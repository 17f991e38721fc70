// The Provider Selection Regime stages of a timetable: the process's notices, the notice of
// intention to award and its standstill (none for Direct Award A or B or an urgent award),
// contract entry and the notice of the award.
import { addDays, daysBeginningAfter } from '../calendar/index.js'
import type { EstimateKey, Schedule } from './schedule.js'
import type { PsrProcessChoice } from './types.js'

export function planPsr(s: Schedule, process: PsrProcessChoice): void {
  if (process.chosenBy === 'default') {
    s.assumptions.push('The decision names no PSR award process, so the Competitive Process is planned (PSR reg 6(7)-(8), reg 11).')
  }
  const entry =
    process.id === 'direct-award-a' || process.id === 'direct-award-b' || process.id === 'urgent-award'
      ? entryWithoutStandstill(s, process)
      : entryAfterStandstill(s, process)
  awardNotice(s, entry)
}

/** Direct Award A or B or an urgent award: contract entry as estimated, no standstill (reg 12(1)). */
function entryWithoutStandstill(s: Schedule, process: PsrProcessChoice): string {
  const urgent = process.id === 'urgent-award'
  const entry = s.put('contract-entry', 'Contract entry (estimate)', {
    ...s.estimate(s.input.startDate, 'the start date', [urgent ? 'urgentAward' : 'directAwardPreparation']),
    legalBasis: urgent ? 'PSR 2023, reg 14' : process.id === 'direct-award-a' ? 'PSR 2023, reg 7' : 'PSR 2023, reg 8'
  })
  s.assumptions.push(`${process.name} has no standstill (PSR reg 12(1)).`)
  return entry
}

/** What the notice of intention to award follows: the start (Direct Award C), the identification of providers, or the offers. */
function beforeIntention(s: Schedule, process: PsrProcessChoice): { date: string; name: string } {
  const start = s.input.startDate
  if (process.id === 'direct-award-c') return { date: start, name: 'the start date' }
  const msp = process.id === 'most-suitable-provider'
  const pn = s.put(
    'psr-process-notice',
    msp ? 'Notice of intention to follow the Most Suitable Provider Process' : 'Notice inviting offers (Competitive Process)',
    { ...s.estimate(start, 'the start date', ['preparation']), legalBasis: msp ? 'PSR 2023, reg 10, Sch 5' : 'PSR 2023, reg 11, Sch 8' }
  )
  if (msp) {
    const m = s.t.mspIdentification
    const date = daysBeginningAfter(pn, m.days)
    const idDone = s.put(
      'psr-identification-complete',
      'Identification of potential providers complete (earliest)',
      {
        date,
        basis: 'law',
        legalBasis: m.source.citation,
        confidence: m.source.confidence,
        rule: `Not completed before ${m.days} days after the notice of ${pn}: ${date} (${m.source.citation}).`
      },
      { after: pn, afterName: 'the notice of intention to follow the process' }
    )
    return { date: idDone, name: 'the identification of providers' }
  }
  const e = s.estimate(pn, 'the notice inviting offers', ['tenderingWithoutMinimum'])
  const od = s.put(
    'tender-deadline',
    'Deadline for offers',
    { ...e, rule: `The PSR sets no minimum period for offers (verified-2.md Q3). ${e.rule}`, legalBasis: 'PSR 2023, reg 11' },
    { after: pn, afterName: 'the notice inviting offers' }
  )
  return { date: od, name: 'the deadline for offers' }
}

/** The notice of intention to award, its standstill (England's bank holidays) and contract entry after it. */
function entryAfterStandstill(s: Schedule, process: PsrProcessChoice): string {
  const before = beforeIntention(s, process)
  const keys: EstimateKey[] = process.id === 'direct-award-c' ? ['directAwardPreparation'] : ['evaluation', 'governance']
  const noi = s.put(
    'contract-award-notice',
    'Notice of intention to award (PSR)',
    {
      ...s.estimate(before.date, before.name, keys),
      legalBasis:
        process.id === 'direct-award-c'
          ? 'PSR 2023, reg 9, Sch 3'
          : process.id === 'most-suitable-provider'
            ? 'PSR 2023, reg 10, Sch 6'
            : 'PSR 2023, reg 11, Sch 10'
    },
    { after: before.date, afterName: before.name }
  )
  const st = s.t.psrStandstill
  const begins = addDays(noi, st.beginsDaysAfterNotice)
  const entry = s.standstillThenEntry({
    regime: 'psr2023',
    notice: noi,
    noticeName: 'the notice of intention',
    countFrom: begins,
    workingDays: st.workingDays,
    countStartDay: false,
    source: st.source,
    entryBasis: 'PSR 2023, reg 12(9)',
    describe: (end) =>
      `The standstill begins ${begins}, the day after the notice of intention (${noi}), and ends at midnight at the end of the ${st.workingDays}th working day after that day, England's bank holidays only: ${end} (${st.source.citation}).`
  })
  s.assumptions.push('No representations are made during the standstill; representations extend it (PSR reg 12(10)).')
  return entry
}

/** The notice of the award's deadline, counted from the day after contract entry. */
function awardNotice(s: Schedule, entry: string): void {
  const a = s.t.psrAwardNotice
  const due = daysBeginningAfter(entry, a.days)
  s.put(
    'psr-award-notice',
    'Notice of the award (PSR, deadline)',
    {
      date: due,
      basis: 'law',
      legalBasis: a.source.citation,
      confidence: a.source.confidence,
      rule: `Within ${a.days} days of the award: ${due}, counted from the day after contract entry (${entry}); the counting convention is unconfirmed (${a.source.citation}).`
    },
    { after: entry, afterName: 'contract entry' }
  )
}
