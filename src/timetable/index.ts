// The dated timetable of one procedure: a narrow input (regime, procedure, start date, threshold
// side, light touch, urgency, PSR process, known dates, options) in, milestones out. The timing law
// (periods, their counting, exemptions and citations) and the estimates for untimed stages come
// from timetables.json; the working days from src/calendar/. Nothing here is a period of its own: a
// date is either the earliest the law allows (basis "law"), an estimate from the data (basis
// "estimate"), or a date the input gives (basis "known"). Pure; below the engine, which calls it.
import { MILESTONE_IDS, type Milestone, type MilestoneId } from '../../schemas/plan.js'
import { planAct, type ActShape } from './act.js'
import { planPsr } from './psr.js'
import { Refusal, Schedule, START, beyondCalendar, knownAt, refuse } from './schedule.js'
import type { PlannedNotice, Timetable, TimetableData, TimetableFault, TimetableInput, TimetableResult } from './types.js'

export type { PlannedNotice, PsrProcessChoice, Timetable, TimetableData, TimetableFault, TimetableInput, TimetableResult } from './types.js'

export function timetable(data: TimetableData, input: TimetableInput): TimetableResult {
  try {
    return { ok: true, timetable: build(data, input) }
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, faults: e.faults }
    throw e
  }
}

/** The fault of a start date the working-day calendar does not cover, if it does not. */
export function startFault(data: TimetableData, regime: TimetableInput['regime'], startDate: string): TimetableFault | undefined {
  const from = data.calendar.coveredFrom(regime)
  const to = data.calendar.coveredTo(regime)
  if (startDate >= from && startDate <= to) return undefined
  return { field: 'startDate', message: beyondCalendar(from, to, 'the start date', startDate) }
}

/**
 * Everything a timetable with no `known` dates and default `options` reads, besides the data: two
 * inputs with the same key get the same milestones. The engine memoises the dates it takes from
 * such timetables by this key; a change that reads another input must add it here
 * (test/engine-properties.test.ts compares the engine's dates with fresh plans).
 */
export function timetableKey(input: TimetableInput): string {
  return [
    input.regime,
    input.startDate,
    input.procedure.id,
    input.aboveThreshold,
    input.lightTouch,
    input.authorityType,
    input.urgency,
    input.regime === 'psr2023' ? (input.psrProcess?.id ?? '') : '',
    input.lawOnly ?? false
  ].join('|')
}

/** The notices among milestones, in their order. */
export function noticesOf(milestones: { id: string; noticeCode?: string }[]): PlannedNotice[] {
  return milestones
    .filter((m) => m.id.endsWith('-notice'))
    .map((m) => (m.noticeCode === undefined ? { milestoneId: m.id } : { milestoneId: m.id, noticeCode: m.noticeCode }))
}

function build(data: TimetableData, input: TimetableInput): Timetable {
  const { regime, procedure, startDate } = input
  const s = new Schedule(data, input, regime)
  if (s.outside(startDate)) s.beyond(startDate, 'the start date', START)
  let shape = data.timetables.shapes[procedure.id]?.[regime]
  if (!shape) refuse({ field: 'procedureId' }, `No timetable is on record for ${procedure.name} (${procedure.id}) under ${regime}.`)
  const below = regime === 'pa2023' && !input.aboveThreshold
  if (below && shape !== 'direct-award') shape = 'below-threshold'
  if (regime === 'pa2023') {
    planAct(s, shape as ActShape, below)
  } else {
    if (input.psrProcess === undefined) throw new Error('timetable: a PSR timetable needs the award process (input.psrProcess)')
    planPsr(s, input.psrProcess)
  }
  checkKnown(s)
  const milestones: Milestone[] = s.ms
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq))
    .map(({ seq: _seq, ...m }) => m)
  const out: Timetable = {
    milestones,
    notices: noticesOf(milestones),
    assumptions: s.assumptions,
    calendar: { regime, coveredTo: s.coveredTo, workingDay: data.calendar.basis(regime).source.citation }
  }
  if (regime === 'psr2023') out.process = { id: input.psrProcess!.id, chosenBy: input.psrProcess!.chosenBy }
  return out
}

/** Every date given in `known` must name a milestone of this timetable. */
function checkKnown(s: Schedule): void {
  const { procedure, regime } = s.input
  const faults: TimetableFault[] = []
  for (const id of Object.keys(s.known)) {
    if (s.applicable.has(id as MilestoneId)) continue
    const knownId = (MILESTONE_IDS as readonly string[]).includes(id)
    faults.push({
      ...knownAt(id),
      message: knownId
        ? `${id} is not a milestone of this plan (${procedure.name} under ${regime}); its milestones are ${[...s.applicable].join(', ')}.`
        : `${id} is not a milestone id; the ids are ${MILESTONE_IDS.join(', ')}.`
    })
  }
  if (faults.length > 0) throw new Refusal(faults)
}
