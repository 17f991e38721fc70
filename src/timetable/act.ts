// The Procurement Act 2023 stages of a timetable, in order: the notices before the tender, the
// participation and tendering periods, the award decision, then the standstill (or its exemption),
// contract entry and the contract details notice. Each stage puts its milestones on the schedule.
import { addDays, daysBeginningWith } from '../calendar/index.js'
import { refuse, type Condition, type Schedule } from './schedule.js'

/** The shape of the procedure's timetable (timetables.json shapes), after the threshold side. */
export type ActShape = 'open' | 'competitive-flexible' | 'call-off' | 'dynamic-market-award' | 'direct-award' | 'below-threshold'

/** The last day of the range `n` months after `date` (string compare is enough: 2026-02-29 sorts where it would fall). */
const monthsAfter = (date: string, months: number): string => {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  return `${String(y + Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}-${date.slice(8)}`
}

const isUkTender = (shape: ActShape): boolean => shape === 'open' || shape === 'competitive-flexible'

/** Which conditions of a period table hold for the first or second (tendering after shortlisting) stage. */
function tenderHolds(s: Schedule, shape: ActShape, stage: 'first' | 'second') {
  const { options = {}, lightTouch, urgency, authorityType } = s.input
  const electronic = options.electronicSubmission ?? true
  const allDocs = options.allDocumentsWithNotice ?? true
  const subCentral = authorityType === 'sub-central'
  const preSelected = options.preSelectedSuppliers ?? stage === 'second'
  return (c: Condition, qualifying: boolean): boolean => {
    switch (c) {
      case 'always':
        return true
      case 'light-touch':
        return lightTouch
      case 'urgency':
        return urgency !== 'standard'
      case 'negotiated-tendering-period':
        return subCentral && preSelected && (options.negotiatedTenderingPeriod ?? false)
      case 'pre-selected-suppliers':
        return subCentral && preSelected
      case 'qualifying-planned-procurement-notice':
        return qualifying
      case 'dynamic-market':
        return shape === 'dynamic-market-award'
      case 'electronic-all-documents':
        return electronic && allDocs
      case 'electronic-only':
        return electronic && !allDocs
      case 'all-documents-only':
        return !electronic && allDocs
      case 'neither':
        return !electronic && !allDocs
    }
  }
}

/** The whole Act timetable for a shape; `below`: a below-threshold contract (no award notice, no standstill). */
export function planAct(s: Schedule, shape: ActShape, below: boolean): void {
  const ppn = noticesBeforeTender(s, shape, below)
  let awardDecision: string | undefined
  if (isUkTender(shape) || shape === 'below-threshold') {
    const { tn, qualifying } = tenderNotice(s, below, ppn)
    const deadline = tenderDeadline(s, shape, tn, qualifying)
    awardDecision = awardAfterTender(s, below, deadline)
  } else if (shape === 'call-off' || shape === 'dynamic-market-award') {
    awardDecision = callOffOrDynamicMarket(s, shape)
  } else if (shape === 'direct-award') {
    awardDecision = directAward(s, below)
  }
  if (!below && awardDecision !== undefined) {
    const entry = entryAfterAward(s, shape, awardDecision)
    contractDetailsNotice(s, entry)
  }
}

/** The defaults assumed, the preliminary market engagement notice (when known) and the planned procurement notice. */
function noticesBeforeTender(s: Schedule, shape: ActShape, below: boolean): string | undefined {
  const { known } = s
  const options = s.input.options ?? {}
  const ukTender = isUkTender(shape)
  if (options.electronicSubmission === undefined) {
    s.assumptions.push('Tenders are submitted electronically (options.electronicSubmission default).')
  }
  if (options.allDocumentsWithNotice === undefined && ukTender) {
    s.assumptions.push('All tender documents are provided with the tender notice (options.allDocumentsWithNotice default).')
  }
  if (known['preliminary-market-engagement-notice'] !== undefined && (ukTender || shape === 'below-threshold')) {
    s.put(
      'preliminary-market-engagement-notice',
      'Preliminary market engagement notice',
      {
        date: known['preliminary-market-engagement-notice'],
        basis: 'estimate',
        rule: 'Given in the request.',
        legalBasis: 'Procurement Act 2023, s.17'
      },
      { noticeCode: 'UK2' }
    )
  }
  if (!ukTender || below) return undefined
  const fromOptions = options.plannedProcurementNoticeDate
  const fromKnown = known['planned-procurement-notice']
  const optionAt = { field: 'options.plannedProcurementNoticeDate' } as const
  if (fromOptions !== undefined && fromKnown !== undefined && fromOptions !== fromKnown) {
    refuse(optionAt, `${fromOptions} contradicts known.planned-procurement-notice ${fromKnown}.`)
  }
  const ppn = fromKnown ?? fromOptions
  if (ppn === undefined) return undefined
  const at = fromKnown !== undefined ? ({ field: 'known', key: 'planned-procurement-notice' } as const) : optionAt
  if (s.outside(ppn)) s.beyond(ppn, 'the planned procurement notice', at)
  s.push({
    id: 'planned-procurement-notice',
    name: 'Planned procurement notice',
    date: ppn,
    basis: 'known',
    noticeCode: 'UK3',
    legalBasis: 'Procurement Act 2023, s.15',
    rule: `Given in the request (${fromKnown !== undefined ? 'known' : 'options.plannedProcurementNoticeDate'}).`
  })
  return ppn
}

/** The tender notice, moved so that a planned procurement notice qualifies where it can; and whether it does. */
function tenderNotice(s: Schedule, below: boolean, ppn: string | undefined): { tn: string; qualifying: boolean } {
  const q = s.t.qualifyingPlannedProcurementNotice
  const base = s.estimate(s.input.startDate, 'the start date', ['preparation'])
  let computed = base
  if (ppn !== undefined && !below) {
    const earliestQualifying = addDays(ppn, q.minDaysBefore)
    if (earliestQualifying > base.date && earliestQualifying <= monthsAfter(ppn, q.maxMonthsBefore)) {
      computed = {
        ...base,
        date: earliestQualifying,
        rule: `${base.rule} Moved to ${earliestQualifying}, ${q.minDaysBefore} days after the planned procurement notice of ${ppn}, so that it qualifies (${q.source.citation}).`
      }
    }
  }
  const tn = s.put(
    'tender-notice',
    below ? 'Below-threshold tender notice' : 'Tender notice',
    { ...computed, legalBasis: below ? 'Procurement Act 2023, s.87' : 'Procurement Act 2023, s.21' },
    { noticeCode: below ? undefined : 'UK4', after: ppn, afterName: 'the planned procurement notice' }
  )
  const qualifying = ppn !== undefined && !below && addDays(ppn, q.minDaysBefore) <= tn && tn <= monthsAfter(ppn, q.maxMonthsBefore)
  if (ppn !== undefined && !below) {
    s.assumptions.push(
      qualifying
        ? `The planned procurement notice of ${ppn} qualifies: at least ${q.minDaysBefore} days and at most ${q.maxMonthsBefore} months before the tender notice (${q.source.citation}).`
        : `The planned procurement notice of ${ppn} does not qualify for the tender notice of ${tn}: it must be at least ${q.minDaysBefore} days and at most ${q.maxMonthsBefore} months before it (${q.source.citation}).`
    )
  }
  return { tn, qualifying }
}

/** The tender deadline after the tender notice: below threshold, open, or after the participation stage. */
function tenderDeadline(s: Schedule, shape: ActShape, tn: string, qualifying: boolean): string {
  const t = s.t
  if (shape === 'below-threshold') {
    const e = s.estimate(tn, 'the tender notice', ['tenderingWithoutMinimum'])
    return s.put(
      'tender-deadline',
      'Tender deadline',
      {
        ...e,
        rule: `Below threshold the time limits must be reasonable and the same for each supplier (Procurement Act 2023, s.87(6)); no minimum. ${e.rule}`,
        legalBasis: 'Procurement Act 2023, s.87(6)'
      },
      { after: tn, afterName: 'the tender notice' }
    )
  }
  if (shape === 'open') {
    const holds = tenderHolds(s, shape, 'first')
    return s.put(
      'tender-deadline',
      'Tender deadline (end of the minimum tendering period)',
      s.period(t.tenderingPeriod, (c) => holds(c, qualifying), tn, 'the tender notice'),
      { after: tn, afterName: 'the tender notice' }
    )
  }
  const pd = s.put(
    'participation-deadline',
    'Participation deadline (end of the minimum participation period)',
    s.period(t.participationPeriod, (c) => tenderHolds(s, shape, 'first')(c, qualifying), tn, 'the tender notice'),
    { after: tn, afterName: 'the tender notice' }
  )
  const itt = s.put(
    'invitation-to-tender',
    'Invitation to tender to the shortlisted suppliers',
    s.estimate(pd, 'the participation deadline', ['shortlisting']),
    {
      after: pd,
      afterName: 'the participation deadline'
    }
  )
  if (s.input.options?.preSelectedSuppliers === undefined) {
    s.assumptions.push(
      'Tenders come only from the shortlisted (pre-selected) suppliers (s.54(5)); options.preSelectedSuppliers: false to plan otherwise.'
    )
  }
  const holds = tenderHolds(s, shape, 'second')
  const deadline = s.put(
    'tender-deadline',
    'Tender deadline (end of the minimum tendering period)',
    s.period(t.tenderingPeriod, (c) => holds(c, qualifying), itt, 'the invitation to tender'),
    { after: itt, afterName: 'the invitation to tender' }
  )
  s.assumptions.push('One round of tenders is planned; each further round adds its own tendering period.')
  return deadline
}

/** After the tender deadline: the contract award notice, or below threshold the contract entry itself. */
function awardAfterTender(s: Schedule, below: boolean, deadline: string): string {
  if (!below) {
    return s.put(
      'contract-award-notice',
      'Contract award notice',
      { ...s.estimate(deadline, 'the tender deadline', ['evaluation', 'governance']), legalBasis: 'Procurement Act 2023, s.50' },
      { noticeCode: 'UK6', after: deadline, afterName: 'the tender deadline' }
    )
  }
  const entry = s.put(
    'contract-entry',
    'Contract entry (estimate)',
    { ...s.estimate(deadline, 'the tender deadline', ['evaluation', 'governance']), legalBasis: 'Procurement Act 2023, s.87' },
    { after: deadline, afterName: 'the tender deadline' }
  )
  s.assumptions.push(
    'Below threshold there is no contract award notice or standstill; the contract details notice is due as soon as reasonably practicable after entry (s.87(3)), with no fixed number of days, so it is not dated.'
  )
  return entry
}

/** A call-off from a framework or an award to dynamic market members: the invitation, the deadline, the award notice. */
function callOffOrDynamicMarket(s: Schedule, shape: 'call-off' | 'dynamic-market-award'): string {
  const itt = s.put(
    'invitation-to-tender',
    shape === 'call-off' ? 'Invitation to the framework suppliers (call-off)' : 'Invitation to tender to the dynamic market members',
    s.estimate(s.input.startDate, 'the start date', ['preparation'])
  )
  let deadline: string
  if (shape === 'call-off') {
    const e = s.estimate(itt, 'the invitation', ['tenderingWithoutMinimum'])
    const computed = {
      ...e,
      rule: `A framework's competitive selection process is not a s.20 procedure, so s.54(4) sets no minimum (verified-2.md Q5: interpretation). ${e.rule}`
    }
    deadline = s.put('tender-deadline', 'Tender deadline (call-off)', computed, { after: itt, afterName: 'the invitation' })
  } else {
    const holds = tenderHolds(s, shape, 'second')
    deadline = s.put(
      'tender-deadline',
      'Tender deadline (end of the minimum tendering period)',
      s.period(s.t.tenderingPeriod, (c) => holds(c, false) || c === 'dynamic-market', itt, 'the invitation to tender'),
      { after: itt, afterName: 'the invitation to tender' }
    )
  }
  return s.put(
    'contract-award-notice',
    'Contract award notice',
    { ...s.estimate(deadline, 'the tender deadline', ['evaluation', 'governance']), legalBasis: 'Procurement Act 2023, s.50' },
    { noticeCode: 'UK6', after: deadline, afterName: 'the tender deadline' }
  )
}

/** A direct award: the transparency notice and the award notice; below threshold, the entry on the council's rules. */
function directAward(s: Schedule, below: boolean): string {
  const start = s.input.startDate
  if (below) {
    const entry = s.put('contract-entry', 'Contract entry (estimate)', s.estimate(start, 'the start date', ['directAwardPreparation']))
    s.assumptions.push(
      "Below threshold a direct award rests on the council's own rules: no transparency notice, award notice or standstill under the Act."
    )
    return entry
  }
  const tr = s.put(
    'transparency-notice',
    'Transparency notice',
    { ...s.estimate(start, 'the start date', ['directAwardPreparation']), legalBasis: 'Procurement Act 2023, s.44' },
    { noticeCode: 'UK5' }
  )
  return s.put(
    'contract-award-notice',
    'Contract award notice',
    { ...s.estimate(tr, 'the transparency notice', ['transparencyToAward']), legalBasis: 'Procurement Act 2023, s.50' },
    { noticeCode: 'UK6', after: tr, afterName: 'the transparency notice' }
  )
}

/** Contract entry after the award decision: the day after it where an exemption applies, else after the standstill. */
function entryAfterAward(s: Schedule, shape: ActShape, awardDecision: string): string {
  const st = s.t.standstill
  const { lightTouch, urgency } = s.input
  const exemption = st.exemptions.find((x) =>
    x.when === 'light-touch'
      ? lightTouch
      : x.when === 'framework-call-off'
        ? shape === 'call-off'
        : x.when === 'dynamic-market'
          ? shape === 'dynamic-market-award'
          : shape === 'direct-award' && urgency === 'extreme'
  )
  if (!exemption) {
    return s.standstillThenEntry({
      regime: 'pa2023',
      notice: awardDecision,
      noticeName: 'the contract award notice',
      workingDays: st.workingDays,
      countStartDay: true,
      source: st.source,
      entryBasis: 'Procurement Act 2023, s.51(1)',
      describe: (end) =>
        `${st.workingDays} working days beginning with the day the contract award notice is published (${awardDecision}), skipping weekends and bank holidays in any part of the UK, end on ${end} (${st.source.citation}).`
    })
  }
  const entry = s.put(
    'contract-entry',
    'Contract entry (earliest)',
    {
      date: addDays(awardDecision, 1),
      basis: 'law',
      legalBasis: exemption.source.citation,
      confidence: exemption.source.confidence,
      rule: `No standstill applies (${exemption.source.citation}); the earliest entry is the day after the award decision of ${awardDecision}.`
    },
    { after: awardDecision, afterName: 'the award decision' }
  )
  if (exemption.when === 'direct-award-urgency') {
    s.assumptions.push('The direct award is assumed to rest on Schedule 5 paragraph 13 (extreme urgency), which has no standstill.')
  }
  return entry
}

/** The contract details notice's deadline, counted from contract entry. */
function contractDetailsNotice(s: Schedule, entry: string): void {
  const c = s.t.contractDetailsNotice
  // Not the shortest: the light touch entry replaces the 30 days (s.53(1)), so the first entry that applies.
  const entryRow = c.entries.find((e) => e.when === 'always' || (e.when === 'light-touch' && s.input.lightTouch))!
  const due = daysBeginningWith(entry, entryRow.days!)
  s.put(
    'contract-details-notice',
    'Contract details notice (deadline)',
    {
      date: due,
      basis: 'law',
      legalBasis: entryRow.source.citation,
      confidence: entryRow.source.confidence,
      rule: `${entryRow.days} days beginning with the day the contract is entered into (${entry}) end on ${due} (${entryRow.source.citation}).`
    },
    { noticeCode: c.noticeCode, after: entry, afterName: 'contract entry' }
  )
}
