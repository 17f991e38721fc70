// The dated plan of POST /v1/plans: a pure projection of the engine's decision with the working-day
// calendar. Which procedure, its legal route and whether it is available come from the decision; the
// timing law (periods, their counting, exemptions and citations) and the estimates for untimed
// stages come from src/catalogue/timetables.json; the working days from src/calendar/. Nothing here
// is a period of its own: a date is either the earliest the law allows (basis "law"), an estimate
// from the data (basis "estimate"), or a date the request gives (basis "known").
import type { ProcedureId } from '../../schemas/common.js'
import { MILESTONE_IDS, type Milestone, type MilestoneId, type Plan, type PlanOptions } from '../../schemas/plan.js'
import type { TimetablesFile } from '../catalogue/read.js'
import type { PERIOD_CONDITIONS } from '../catalogue/schema.js'
import { BeyondCalendar, addDays, daysBeginningAfter, daysBeginningWith, type Calendar, type CalendarRegime } from '../calendar/index.js'
import { dayNumber } from '../calendar/dates.js'
import type { CompiledCatalogue } from '../engine/compile.js'
import type { Decision } from '../engine/decision.js'
import { legalRouteOf } from './report.js'
import { deadlineOf } from '../engine/timeline.js'
import { noticesOf, ocdsOf } from './ocds.js'

export interface PlanRequestData {
  procedureId?: ProcedureId
  known?: Record<string, string>
  options?: PlanOptions
  /**
   * Internal (never from a request): every estimated stage takes no time, so each date is the
   * earliest the law alone allows. The report uses it to tell "cannot be done" from "tight".
   */
  lawOnly?: boolean
}

/** A fault of the request, as a JSON pointer into the request body and a message. */
export interface PlanFault {
  pointer: string
  message: string
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: PlanFault[] }

type Condition = (typeof PERIOD_CONDITIONS)[number]
type PeriodTable = TimetablesFile['tenderingPeriod']

/** The PSR award processes a decision may name (branch i13: Decision.processes). */
type PsrProcess = 'direct-award-a' | 'direct-award-b' | 'direct-award-c' | 'most-suitable-provider' | 'competitive-process' | 'urgent-award'
interface ProcessLike {
  processId: string
  status: string
  rank: number | null
}

const PSR_PROCESS_NAMES: Record<PsrProcess, string> = {
  'direct-award-a': 'Direct Award Process A',
  'direct-award-b': 'Direct Award Process B',
  'direct-award-c': 'Direct Award Process C',
  'most-suitable-provider': 'Most Suitable Provider Process',
  'competitive-process': 'Competitive Process',
  'urgent-award': 'urgent award (reg 14)'
}

/** JSON pointer escaping of one reference token (RFC 6901). */
const token = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

class Refusal extends Error {
  constructor(readonly faults: PlanFault[]) {
    super(faults.map((f) => f.message).join(' '))
  }
}
const refuse = (pointer: string, message: string): never => {
  throw new Refusal([{ pointer, message }])
}

/** The shortest minimum of the entries that apply ("no minimum" is the shortest), as s.54(3)-(4) say. */
function shortest(table: PeriodTable, holds: (c: Condition) => boolean): PeriodTable['entries'][number] {
  const applicable = table.entries.filter((e) => holds(e.when))
  if (applicable.length === 0) {
    throw new Error('timetables.json: a period table has no entry that applies (it needs an "always" or complete set)')
  }
  return applicable.reduce((a, b) => (a.days === null ? a : b.days === null ? b : b.days < a.days ? b : a))
}

/** The last day of the range `n` months after `date` (string compare is enough: 2026-02-29 sorts where it would fall). */
const monthsAfter = (date: string, months: number): string => {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  return `${String(y + Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}-${date.slice(8)}`
}

function psrProcessOf(d: Decision): { id: PsrProcess; chosenBy: 'decision' | 'default' } {
  // Decision.processes arrives with issue 13; read it structurally so this works before and after.
  const processes = (d as { processes?: ProcessLike[] }).processes
  const chosen = processes?.find((p) => p.status === 'mandatory') ?? processes?.find((p) => p.rank === 1)
  if (chosen && chosen.processId in PSR_PROCESS_NAMES) return { id: chosen.processId as PsrProcess, chosenBy: 'decision' }
  return { id: 'competitive-process', chosenBy: 'default' }
}

/**
 * Everything a plan with no `known` dates and default `options` reads from the decision, besides the
 * catalogue and the calendar: two decisions with the same key get the same milestones. The engine
 * memoises the dates it takes from such plans by this key; a change to build() that reads another
 * input must add it here (test/engine-properties.test.ts compares the engine's dates with fresh plans).
 */
export function defaultPlanKey(d: Decision, procedureId: ProcedureId, lawOnly: boolean): string {
  const p = d.input
  return [
    d.regime,
    d.date,
    procedureId,
    d.facts.aboveThreshold,
    d.facts.lightTouch,
    p.authorityType,
    p.urgency,
    d.regime === 'psr2023' ? psrProcessOf(d).id : '',
    lawOnly
  ].join('|')
}

export function projectPlan(compiled: CompiledCatalogue, calendar: Calendar, d: Decision, request: PlanRequestData): PlanResult {
  try {
    return { ok: true, plan: build(compiled, calendar, d, request) }
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, errors: e.faults }
    throw e
  }
}

function build(compiled: CompiledCatalogue, calendar: Calendar, d: Decision, request: PlanRequestData): Plan {
  const { catalogue } = compiled
  const t = catalogue.timetables
  const p = d.input
  const start = d.date
  const known = request.known ?? {}
  const options = request.options ?? {}

  if (d.regime === 'pcr2015') {
    refuse(
      '/profile/constraints/startDate',
      `This procurement starts on ${start} and falls under the Public Contracts Regulations 2015 (${d.facts.regimeReason}); ` +
        'plans cover procurements under the Procurement Act 2023 and the Provider Selection Regime only.'
    )
  }
  const calRegime: CalendarRegime = d.regime === 'psr2023' ? 'psr2023' : 'pa2023'
  const coveredFrom = calendar.coveredFrom(calRegime)
  const coveredTo = calendar.coveredTo(calRegime)
  const beyond = (date: string, what: string, pointer: string): never =>
    refuse(
      pointer,
      `The working-day calendar (GOV.UK bank holidays) covers ${coveredFrom} to ${coveredTo}; ${what} ${date} is outside it, ` +
        'so the plan cannot date it without guessing.'
    )
  if (start < coveredFrom || start > coveredTo) beyond(start, 'the start date', '/profile/constraints/startDate')

  const procedureId = request.procedureId ?? d.ranking[0]!
  const outcome = d.procedures.find((o) => o.procedureId === procedureId)!
  const procedureName = catalogue.procedureById.get(procedureId)!.name
  if (outcome.rank === null) {
    const reasons = outcome.outcomes.map((o) => o.reason)
    const excluding = reasons.filter((r) => r.effect === 'excludes')
    const quoted = excluding.length > 0 ? excluding : reasons
    throw new Refusal(
      (quoted.length > 0 ? quoted : [{ text: 'it is not recommended for this profile' }]).map((r) => ({
        pointer: '/procedureId',
        message: `${procedureName} (${procedureId}) is excluded for this profile: ${r.text}`
      }))
    )
  }
  let shape = t.shapes[procedureId]?.[d.regime]
  if (!shape) refuse('/procedureId', `No timetable is on record for ${procedureName} (${procedureId}) under ${d.regime}.`)
  const below = d.regime === 'pa2023' && !d.facts.aboveThreshold
  if (below && shape !== 'direct-award') shape = 'below-threshold'
  const lightTouch = d.facts.lightTouch

  const ms: (Milestone & { seq: number })[] = []
  const applicable = new Set<MilestoneId>()
  const assumptions: string[] = []
  let seq = 0
  const est = (key: keyof TimetablesFile['estimates']) => t.estimates[key]

  /**
   * Adds a milestone: the computed date unless `known` gives one, which must not be before the
   * earliest the computation allows (law) or before the milestone it follows (estimate).
   */
  function put(
    id: MilestoneId,
    name: string,
    computed: { date: string; basis: 'law' | 'estimate'; rule: string; legalBasis?: string; confidence?: Milestone['confidence'] },
    extra: { noticeCode?: string; after?: string; afterName?: string } = {}
  ): string {
    applicable.add(id)
    const given = known[id]
    const m: Milestone & { seq: number } = { id, name, date: computed.date, basis: computed.basis, rule: computed.rule, seq: seq++ }
    if (extra.noticeCode) m.noticeCode = extra.noticeCode
    if (computed.legalBasis) m.legalBasis = computed.legalBasis
    if (computed.confidence) m.confidence = computed.confidence
    if (given !== undefined) {
      const pointer = `/known/${token(id)}`
      if (given < coveredFrom || given > coveredTo) beyond(given, `known.${id}`, pointer)
      if (computed.basis === 'law' && given < computed.date) {
        refuse(pointer, `${given} is before ${computed.date}, the earliest date the law allows for ${name}: ${computed.rule}`)
      }
      if (extra.after !== undefined && given < extra.after) {
        refuse(pointer, `${given} is before ${extra.after}, the date of ${extra.afterName}, which comes first.`)
      }
      m.date = given
      m.basis = 'known'
      m.rule = `Given in the request. Computed, it would be ${computed.date}: ${computed.rule}`
    } else if (computed.date < coveredFrom || computed.date > coveredTo) {
      beyond(computed.date, name, '/profile/constraints/startDate')
    }
    ms.push(m)
    return m.date
  }

  const withBeyond = <T>(f: () => T, pointer: string): T => {
    try {
      return f()
    } catch (e) {
      if (e instanceof BeyondCalendar) return beyond(e.date, 'the working day', pointer)
      throw e
    }
  }

  const estimate = (from: string, fromName: string, keys: (keyof TimetablesFile['estimates'])[]) => {
    const days = request.lawOnly ? 0 : keys.reduce((n, k) => n + est(k).days, 0)
    const what = keys.map((k) => `${est(k).what} (${est(k).days} days)`).join(' + ')
    // Never before the start date: a plan cannot schedule work that has not started.
    const raw = addDays(from, days)
    const notBefore = raw < start ? start : raw
    // A planned step falls on a working day of the regime's calendar (never a weekend or bank holiday).
    const date = withBeyond(
      () => (calendar.isWorkingDay(calRegime, notBefore) ? notBefore : calendar.nextWorkingDay(calRegime, notBefore)),
      '/profile/constraints/startDate'
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

  /** standstill-end (the n-th working day from the notice) and contract-entry, the calendar day after it. */
  function standstillThenEntry(x: {
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
    const end = withBeyond(
      () => calendar.addWorkingDays(x.regime, x.countFrom ?? x.notice, x.workingDays, { countStartDay: x.countStartDay }),
      '/profile/constraints/startDate'
    )
    const se = put(
      'standstill-end',
      'End of the standstill period',
      { date: end, basis: 'law', legalBasis: x.source.citation, confidence: x.source.confidence, rule: x.describe(end) },
      { after: x.notice, afterName: x.noticeName }
    )
    return put(
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

  /** A period table counted from `from`; null days: an estimate where the law sets no minimum. */
  function period(table: PeriodTable, holds: (c: Condition) => boolean, from: string, fromName: string) {
    const entry = shortest(table, holds)
    if (entry.days === null) {
      const e = estimate(from, fromName, ['tenderingWithoutMinimum'])
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

  // ---- Procurement Act 2023 ----
  const tenderHolds = (stage: 'first' | 'second') => {
    const electronic = options.electronicSubmission ?? true
    const allDocs = options.allDocumentsWithNotice ?? true
    const subCentral = p.authorityType === 'sub-central'
    const preSelected = options.preSelectedSuppliers ?? stage === 'second'
    return (c: Condition, qualifying: boolean): boolean => {
      switch (c) {
        case 'always':
          return true
        case 'light-touch':
          return lightTouch
        case 'urgency':
          return p.urgency !== 'standard'
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

  let awardDecision: string | undefined
  let psr: { id: PsrProcess; chosenBy: 'decision' | 'default' } | undefined
  const ukTender = shape === 'open' || shape === 'competitive-flexible'

  if (d.regime === 'pa2023') {
    if (options.electronicSubmission === undefined) {
      assumptions.push('Tenders are submitted electronically (options.electronicSubmission default).')
    }
    if (options.allDocumentsWithNotice === undefined && ukTender) {
      assumptions.push('All tender documents are provided with the tender notice (options.allDocumentsWithNotice default).')
    }
    if (known['preliminary-market-engagement-notice'] !== undefined && (ukTender || shape === 'below-threshold')) {
      put(
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
    let ppn: string | undefined
    if (ukTender && !below) {
      const fromOptions = options.plannedProcurementNoticeDate
      const fromKnown = known['planned-procurement-notice']
      if (fromOptions !== undefined && fromKnown !== undefined && fromOptions !== fromKnown) {
        refuse('/options/plannedProcurementNoticeDate', `${fromOptions} contradicts known.planned-procurement-notice ${fromKnown}.`)
      }
      ppn = fromKnown ?? fromOptions
      if (ppn !== undefined) {
        const pointer = fromKnown !== undefined ? '/known/planned-procurement-notice' : '/options/plannedProcurementNoticeDate'
        if (ppn < coveredFrom || ppn > coveredTo) beyond(ppn, 'the planned procurement notice', pointer)
        applicable.add('planned-procurement-notice')
        ms.push({
          id: 'planned-procurement-notice',
          name: 'Planned procurement notice',
          date: ppn,
          basis: 'known',
          noticeCode: 'UK3',
          legalBasis: 'Procurement Act 2023, s.15',
          rule: `Given in the request (${fromKnown !== undefined ? 'known' : 'options.plannedProcurementNoticeDate'}).`,
          seq: seq++
        })
      }
    }
    const q = t.qualifyingPlannedProcurementNotice
    if (ukTender || shape === 'below-threshold') {
      const base = estimate(start, 'the start date', ['preparation'])
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
      const tn = put(
        'tender-notice',
        below ? 'Below-threshold tender notice' : 'Tender notice',
        { ...computed, legalBasis: below ? 'Procurement Act 2023, s.87' : 'Procurement Act 2023, s.21' },
        { noticeCode: below ? undefined : 'UK4', after: ppn, afterName: 'the planned procurement notice' }
      )
      const qualifying = ppn !== undefined && !below && addDays(ppn, q.minDaysBefore) <= tn && tn <= monthsAfter(ppn, q.maxMonthsBefore)
      if (ppn !== undefined && !below) {
        assumptions.push(
          qualifying
            ? `The planned procurement notice of ${ppn} qualifies: at least ${q.minDaysBefore} days and at most ${q.maxMonthsBefore} months before the tender notice (${q.source.citation}).`
            : `The planned procurement notice of ${ppn} does not qualify for the tender notice of ${tn}: it must be at least ${q.minDaysBefore} days and at most ${q.maxMonthsBefore} months before it (${q.source.citation}).`
        )
      }
      let deadline: string
      if (shape === 'below-threshold') {
        const e = estimate(tn, 'the tender notice', ['tenderingWithoutMinimum'])
        deadline = put(
          'tender-deadline',
          'Tender deadline',
          {
            ...e,
            rule: `Below threshold the time limits must be reasonable and the same for each supplier (Procurement Act 2023, s.87(6)); no minimum. ${e.rule}`,
            legalBasis: 'Procurement Act 2023, s.87(6)'
          },
          { after: tn, afterName: 'the tender notice' }
        )
      } else if (shape === 'open') {
        const holds = tenderHolds('first')
        deadline = put(
          'tender-deadline',
          'Tender deadline (end of the minimum tendering period)',
          period(t.tenderingPeriod, (c) => holds(c, qualifying), tn, 'the tender notice'),
          {
            after: tn,
            afterName: 'the tender notice'
          }
        )
      } else {
        const pd = put(
          'participation-deadline',
          'Participation deadline (end of the minimum participation period)',
          period(t.participationPeriod, (c) => tenderHolds('first')(c, qualifying), tn, 'the tender notice'),
          { after: tn, afterName: 'the tender notice' }
        )
        const itt = put(
          'invitation-to-tender',
          'Invitation to tender to the shortlisted suppliers',
          estimate(pd, 'the participation deadline', ['shortlisting']),
          {
            after: pd,
            afterName: 'the participation deadline'
          }
        )
        if (options.preSelectedSuppliers === undefined) {
          assumptions.push(
            'Tenders come only from the shortlisted (pre-selected) suppliers (s.54(5)); options.preSelectedSuppliers: false to plan otherwise.'
          )
        }
        const holds = tenderHolds('second')
        deadline = put(
          'tender-deadline',
          'Tender deadline (end of the minimum tendering period)',
          period(t.tenderingPeriod, (c) => holds(c, qualifying), itt, 'the invitation to tender'),
          { after: itt, afterName: 'the invitation to tender' }
        )
        assumptions.push('One round of tenders is planned; each further round adds its own tendering period.')
      }
      if (below) {
        awardDecision = put(
          'contract-entry',
          'Contract entry (estimate)',
          {
            ...estimate(deadline, 'the tender deadline', ['evaluation', 'governance']),
            legalBasis: 'Procurement Act 2023, s.87'
          },
          { after: deadline, afterName: 'the tender deadline' }
        )
        assumptions.push(
          'Below threshold there is no contract award notice or standstill; the contract details notice is due as soon as reasonably practicable after entry (s.87(3)), with no fixed number of days, so it is not dated.'
        )
      } else {
        awardDecision = put(
          'contract-award-notice',
          'Contract award notice',
          { ...estimate(deadline, 'the tender deadline', ['evaluation', 'governance']), legalBasis: 'Procurement Act 2023, s.50' },
          { noticeCode: 'UK6', after: deadline, afterName: 'the tender deadline' }
        )
      }
    } else if (shape === 'call-off' || shape === 'dynamic-market-award') {
      const itt = put(
        'invitation-to-tender',
        shape === 'call-off' ? 'Invitation to the framework suppliers (call-off)' : 'Invitation to tender to the dynamic market members',
        estimate(start, 'the start date', ['preparation'])
      )
      const deadline =
        shape === 'call-off'
          ? put(
              'tender-deadline',
              'Tender deadline (call-off)',
              (() => {
                const e = estimate(itt, 'the invitation', ['tenderingWithoutMinimum'])
                return {
                  ...e,
                  rule: `A framework's competitive selection process is not a s.20 procedure, so s.54(4) sets no minimum (verified-2.md Q5: interpretation). ${e.rule}`
                }
              })(),
              { after: itt, afterName: 'the invitation' }
            )
          : put(
              'tender-deadline',
              'Tender deadline (end of the minimum tendering period)',
              period(t.tenderingPeriod, (c) => tenderHolds('second')(c, false) || c === 'dynamic-market', itt, 'the invitation to tender'),
              {
                after: itt,
                afterName: 'the invitation to tender'
              }
            )
      awardDecision = put(
        'contract-award-notice',
        'Contract award notice',
        { ...estimate(deadline, 'the tender deadline', ['evaluation', 'governance']), legalBasis: 'Procurement Act 2023, s.50' },
        { noticeCode: 'UK6', after: deadline, afterName: 'the tender deadline' }
      )
    } else if (shape === 'direct-award') {
      if (below) {
        awardDecision = put('contract-entry', 'Contract entry (estimate)', estimate(start, 'the start date', ['directAwardPreparation']))
        assumptions.push(
          "Below threshold a direct award rests on the council's own rules: no transparency notice, award notice or standstill under the Act."
        )
      } else {
        const tr = put(
          'transparency-notice',
          'Transparency notice',
          { ...estimate(start, 'the start date', ['directAwardPreparation']), legalBasis: 'Procurement Act 2023, s.44' },
          { noticeCode: 'UK5' }
        )
        awardDecision = put(
          'contract-award-notice',
          'Contract award notice',
          { ...estimate(tr, 'the transparency notice', ['transparencyToAward']), legalBasis: 'Procurement Act 2023, s.50' },
          { noticeCode: 'UK6', after: tr, afterName: 'the transparency notice' }
        )
      }
    }
    if (!below && awardDecision !== undefined) {
      const s = t.standstill
      const exemption = s.exemptions.find((x) =>
        x.when === 'light-touch'
          ? lightTouch
          : x.when === 'framework-call-off'
            ? shape === 'call-off'
            : x.when === 'dynamic-market'
              ? shape === 'dynamic-market-award'
              : shape === 'direct-award' && p.urgency === 'extreme'
      )
      let entry: string
      if (exemption) {
        entry = put(
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
          assumptions.push('The direct award is assumed to rest on Schedule 5 paragraph 13 (extreme urgency), which has no standstill.')
        }
      } else {
        entry = standstillThenEntry({
          regime: 'pa2023',
          notice: awardDecision,
          noticeName: 'the contract award notice',
          workingDays: s.workingDays,
          countStartDay: true,
          source: s.source,
          entryBasis: 'Procurement Act 2023, s.51(1)',
          describe: (end) =>
            `${s.workingDays} working days beginning with the day the contract award notice is published (${awardDecision}), skipping weekends and bank holidays in any part of the UK, end on ${end} (${s.source.citation}).`
        })
      }
      const c = t.contractDetailsNotice
      // Not the shortest: the light touch entry replaces the 30 days (s.53(1)), so the first entry that applies.
      const entryRow = c.entries.find((e) => e.when === 'always' || (e.when === 'light-touch' && lightTouch))!
      const due = daysBeginningWith(entry, entryRow.days!)
      put(
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
  } else {
    // ---- Provider Selection Regime ----
    psr = psrProcessOf(d)
    const processName = PSR_PROCESS_NAMES[psr.id]
    if (psr.chosenBy === 'default') {
      assumptions.push('The decision names no PSR award process, so the Competitive Process is planned (PSR reg 6(7)-(8), reg 11).')
    }
    let entry: string
    if (psr.id === 'direct-award-a' || psr.id === 'direct-award-b' || psr.id === 'urgent-award') {
      entry = put('contract-entry', 'Contract entry (estimate)', {
        ...estimate(start, 'the start date', [psr.id === 'urgent-award' ? 'urgentAward' : 'directAwardPreparation']),
        legalBasis: psr.id === 'urgent-award' ? 'PSR 2023, reg 14' : psr.id === 'direct-award-a' ? 'PSR 2023, reg 7' : 'PSR 2023, reg 8'
      })
      assumptions.push(`${processName} has no standstill (PSR reg 12(1)).`)
    } else {
      let before: { date: string; name: string }
      if (psr.id === 'direct-award-c') {
        before = { date: start, name: 'the start date' }
      } else {
        const pn = put(
          'psr-process-notice',
          psr.id === 'most-suitable-provider'
            ? 'Notice of intention to follow the Most Suitable Provider Process'
            : 'Notice inviting offers (Competitive Process)',
          {
            ...estimate(start, 'the start date', ['preparation']),
            legalBasis: psr.id === 'most-suitable-provider' ? 'PSR 2023, reg 10, Sch 5' : 'PSR 2023, reg 11, Sch 8'
          }
        )
        if (psr.id === 'most-suitable-provider') {
          const m = t.mspIdentification
          const date = daysBeginningAfter(pn, m.days)
          const idDone = put(
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
          before = { date: idDone, name: 'the identification of providers' }
        } else {
          const e = estimate(pn, 'the notice inviting offers', ['tenderingWithoutMinimum'])
          const od = put(
            'tender-deadline',
            'Deadline for offers',
            { ...e, rule: `The PSR sets no minimum period for offers (verified-2.md Q3). ${e.rule}`, legalBasis: 'PSR 2023, reg 11' },
            {
              after: pn,
              afterName: 'the notice inviting offers'
            }
          )
          before = { date: od, name: 'the deadline for offers' }
        }
      }
      const keys: (keyof TimetablesFile['estimates'])[] =
        psr.id === 'direct-award-c' ? ['directAwardPreparation'] : ['evaluation', 'governance']
      const noi = put(
        'contract-award-notice',
        'Notice of intention to award (PSR)',
        {
          ...estimate(before.date, before.name, keys),
          legalBasis:
            psr.id === 'direct-award-c'
              ? 'PSR 2023, reg 9, Sch 3'
              : psr.id === 'most-suitable-provider'
                ? 'PSR 2023, reg 10, Sch 6'
                : 'PSR 2023, reg 11, Sch 10'
        },
        { after: before.date, afterName: before.name }
      )
      const s = t.psrStandstill
      const begins = addDays(noi, s.beginsDaysAfterNotice)
      entry = standstillThenEntry({
        regime: 'psr2023',
        notice: noi,
        noticeName: 'the notice of intention',
        countFrom: begins,
        workingDays: s.workingDays,
        countStartDay: false,
        source: s.source,
        entryBasis: 'PSR 2023, reg 12(9)',
        describe: (end) =>
          `The standstill begins ${begins}, the day after the notice of intention (${noi}), and ends at midnight at the end of the ${s.workingDays}th working day after that day, England's bank holidays only: ${end} (${s.source.citation}).`
      })
      assumptions.push('No representations are made during the standstill; representations extend it (PSR reg 12(10)).')
    }
    const a = t.psrAwardNotice
    const due = daysBeginningAfter(entry, a.days)
    put(
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

  // Every date given in `known` must name a milestone of this plan.
  const faults: PlanFault[] = []
  for (const id of Object.keys(known)) {
    if (!applicable.has(id as MilestoneId)) {
      const knownId = (MILESTONE_IDS as readonly string[]).includes(id)
      faults.push({
        pointer: `/known/${token(id)}`,
        message: knownId
          ? `${id} is not a milestone of this plan (${procedureName} under ${d.regime}); its milestones are ${[...applicable].join(', ')}.`
          : `${id} is not a milestone id; the ids are ${MILESTONE_IDS.join(', ')}.`
      })
    }
  }
  if (faults.length > 0) throw new Refusal(faults)

  const milestones = ms.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq)).map(({ seq: _seq, ...m }) => m)
  const route = legalRouteOf(compiled, d, procedureId)
  const basis = calendar.basis(calRegime)
  const plan: Plan = {
    generatedAt: d.generatedAt,
    rulesetVersion: d.rulesetVersion,
    startDate: start,
    regime: { id: d.regime, name: catalogue.regimeById.get(d.regime)?.name ?? d.regime },
    procedureId,
    rank: outcome.rank,
    legalRoute: { regime: route.regime, name: route.name, legalBasis: route.legalBasis },
    milestones,
    calendar: { regime: calRegime, coveredTo, workingDay: basis.source.citation },
    assumptions
  }
  if (d.input.reference !== undefined) plan.reference = d.input.reference
  if (psr) plan.process = { id: psr.id, chosenBy: psr.chosenBy }
  const ocds = ocdsOf(compiled, d, procedureId, noticesOf(milestones), psr?.id)
  if (ocds) plan.ocds = ocds

  const entryMilestone = milestones.find((m) => m.id === 'contract-entry')
  const deadline = deadlineOf(p)
  if (deadline !== undefined && entryMilestone) {
    const margin = dayNumber(deadline.date) - dayNumber(entryMilestone.date)
    plan.awardBy = {
      date: deadline.date,
      from: deadline.from,
      milestoneId: 'contract-entry',
      milestoneDate: entryMilestone.date,
      met: margin >= 0,
      marginDays: margin
    }
  }
  return plan
}
