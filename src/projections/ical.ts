// The plan as an iCalendar file (RFC 5545), for Accept: text/calendar on POST /v1/plans: one
// all-day event per milestone, its rule as the description. Pure: the plan in, the text out. The
// UIDs are stable for the same reference, procedure and milestone, so a calendar that imports a
// revised plan updates its events rather than adding new ones.
//
// Every TEXT value must be escaped (RFC 5545 s.3.3.11: backslash, semicolon, comma, line breaks),
// or a reference holding a line break would start properties and events of its own.
// ical-generator escapes the event properties (SUMMARY, DESCRIPTION, CATEGORIES) but writes the
// calendar's name into NAME and X-WR-CALNAME as given, so the name goes through its own escape().
// The UID needs none: it is built from [A-Za-z0-9-] and ids of fixed lists.
import ical, { escape } from 'ical-generator'
import type { Plan } from '../../schemas/plan.js'

export function projectICalendar(plan: Plan): string {
  const name = `${plan.reference ?? 'Procurement plan'}: ${plan.legalRoute.name}`
  const cal = ical({ name: escape(name, false), prodId: { company: 'Procurement Route Advisor', product: 'plans', language: 'EN' } })
  const key = (plan.reference ?? plan.startDate).replace(/[^A-Za-z0-9-]/g, '-')
  for (const m of plan.milestones) {
    const code = m.noticeCode ? ` (${m.noticeCode})` : ''
    cal.createEvent({
      id: `${key}-${plan.procedureId}-${m.id}@procurement-route-advisor`,
      start: new Date(`${m.date}T00:00:00.000Z`),
      allDay: true,
      stamp: new Date(plan.generatedAt),
      summary: `${m.name}${code}`,
      description: [`Basis: ${m.basis}.`, m.rule, m.legalBasis ? `Legal basis: ${m.legalBasis}.` : ''].filter(Boolean).join('\n'),
      categories: [{ name: m.basis }]
    })
  }
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
