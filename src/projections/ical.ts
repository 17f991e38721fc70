// The plan as an iCalendar file (RFC 5545), for Accept: text/calendar on POST /v1/plans: one
// all-day event per milestone, its rule as the description, and one for the award deadline when
// the plan has one. Pure: the plan in, the text out. Titles and the file name carry the reference,
// so an officer who imports several plans can tell their events apart.
//
// Re-importing a recomputed plan updates the events already imported rather than adding new ones:
// the UIDs are stable for the same reference, procedure and milestone, and SEQUENCE rises with
// each recomputation (it is counted from the plan's generatedAt), which is what a calendar
// compares to decide that an event with a known UID is a newer version (RFC 5545 s.3.8.7.4).
//
// Every TEXT value must be escaped (RFC 5545 s.3.3.11: backslash, semicolon, comma, line breaks),
// or a reference holding a line break would start properties and events of its own.
// ical-generator escapes the event properties (SUMMARY, DESCRIPTION, CATEGORIES) but writes the
// calendar's name into NAME and X-WR-CALNAME as given, so the name goes through its own escape().
// The UID needs none: it is built from [A-Za-z0-9-] and ids of fixed lists.
import ical, { escape } from 'ical-generator'
import type { Plan } from '../../schemas/plan.js'

/** SEQUENCE counts seconds from here: a 32-bit integer (what calendars store) until 2093. */
const SEQUENCE_EPOCH = Date.UTC(2025, 0, 1)

/** The SEQUENCE of every event of a plan generated at `generatedAt`: later plans, higher numbers. */
export function sequenceOf(generatedAt: string): number {
  return Math.max(0, Math.floor((Date.parse(generatedAt) - SEQUENCE_EPOCH) / 1000))
}

/** The reference reduced to letters, digits and hyphens (for UIDs and the file name). */
const slug = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')

/** The name of the calendar file: from the reference ("LBX/2026/031" gives LBX-2026-031.ics). */
export function calendarFileName(plan: Plan): string {
  const name = plan.reference ? slug(plan.reference).slice(0, 100) : ''
  return `${name || 'procurement-plan'}.ics`
}

/** What the award deadline event says: where the date comes from, and whether the plan meets it. */
function awardDeadlineText(award: NonNullable<Plan['awardBy']>): string {
  const source =
    award.from === 'awardBy'
      ? 'The date the contract is to be awarded by.'
      : 'The start date plus the weeks available to award the contract.'
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`
  const outcome = award.met
    ? `The earliest contract entry, ${award.milestoneDate}, meets it with ${days(award.marginDays)} to spare.`
    : `The earliest contract entry, ${award.milestoneDate}, misses it by ${days(-award.marginDays)}.`
  return `${source}\n${outcome}`
}

export function projectICalendar(plan: Plan): string {
  const name = `${plan.reference ?? 'Procurement plan'}: ${plan.legalRoute.name}`
  const cal = ical({ name: escape(name, false), prodId: { company: 'Procurement Route Advisor', product: 'plans', language: 'EN' } })
  const key = (plan.reference ?? plan.startDate).replace(/[^A-Za-z0-9-]/g, '-')
  const title = (text: string) => (plan.reference ? `${plan.reference}: ${text}` : text)
  const event = (id: string, date: string, summary: string, description: string, category: string) =>
    cal.createEvent({
      id: `${key}-${plan.procedureId}-${id}@procurement-route-advisor`,
      sequence: sequenceOf(plan.generatedAt),
      start: new Date(`${date}T00:00:00.000Z`),
      allDay: true,
      stamp: new Date(plan.generatedAt),
      summary: title(summary),
      description,
      categories: [{ name: category }]
    })
  for (const m of plan.milestones) {
    const code = m.noticeCode ? ` (${m.noticeCode})` : ''
    const description = [`Basis: ${m.basis}.`, m.rule, m.legalBasis ? `Legal basis: ${m.legalBasis}.` : ''].filter(Boolean).join('\n')
    event(m.id, m.date, `${m.name}${code}`, description, m.basis)
  }
  if (plan.awardBy) event('award-deadline', plan.awardBy.date, 'Award deadline', awardDeadlineText(plan.awardBy), 'deadline')
  return cal.toString()
}

/** Whether the Accept header prefers text/calendar to JSON (highest q, then the order given). */
export function prefersICalendar(accept: string | undefined): boolean {
  if (!accept) return false
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, i }
    })
    .filter(
      (r) => r.q > 0 && (r.type === 'text/calendar' || r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*')
    )
    .sort((a, b) => b.q - a.q || a.i - b.i)
  return ranked[0]?.type === 'text/calendar'
}
