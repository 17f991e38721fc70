// POST /v1/plans: the golden scenarios of test/plan-scenarios/*.json (each expected date with its
// arithmetic written out), the refusals, and properties of the plan over random profiles.
import t from 'tap'
import fc from 'fast-check'
import ICAL from 'ical.js'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadCalendar } from '../src/calendar/index.js'
import { projectICalendar } from '../src/projections/ical.js'
import type { Plan } from '../schemas/plan.js'
import { testApp } from './helpers/app.js'

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'plan-scenarios')

interface Scenario {
  name: string
  request: Record<string, unknown>
  expect: {
    status?: number
    regime?: string
    milestones?: Record<string, { date: string; basis: string; arithmetic: string }>
    absent?: string[]
    pointers?: string[]
    messageIncludes?: string
  }
}

interface PlanBody {
  regime: { id: string }
  startDate: string
  milestones: { id: string; date: string; basis: string; rule: string }[]
  awardBy?: { date: string; met: boolean; marginDays: number; milestoneDate: string; from: string }
}

t.test('POST /v1/plans', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/plans', payload: payload as object })

  await t.test('golden scenarios', async (t) => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'))
    t.ok(files.length >= 14, 'the scenarios are there')
    for (const file of files) {
      const s = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Scenario
      await t.test(`${file}: ${s.name}`, async (t) => {
        const res = await post(s.request)
        const status = s.expect.status ?? 200
        t.equal(res.statusCode, status, res.body)
        if (status !== 200) {
          const problem = res.json() as { errors: { pointer: string; message: string }[]; detail: string }
          t.same(problem.errors.map((e) => e.pointer).sort(), [...(s.expect.pointers ?? [])].sort())
          if (s.expect.messageIncludes) t.match(problem.errors.map((e) => e.message).join(' '), s.expect.messageIncludes)
          return
        }
        const plan = res.json() as PlanBody
        if (s.expect.regime) t.equal(plan.regime.id, s.expect.regime)
        for (const [id, want] of Object.entries(s.expect.milestones ?? {})) {
          const got = plan.milestones.find((m) => m.id === id)
          t.ok(got, `${id} is planned`)
          t.equal(got?.date, want.date, `${id}: ${want.arithmetic}`)
          t.equal(got?.basis, want.basis, `${id} basis`)
        }
        for (const id of s.expect.absent ?? []) {
          t.notOk(
            plan.milestones.some((m) => m.id === id),
            `${id} is absent`
          )
        }
        const dates = plan.milestones.map((m) => m.date)
        t.same(dates, [...dates].sort(), 'milestones in date order')
      })
    }
  })

  await t.test('awardBy wins over weeksToAward and says by what margin', async (t) => {
    const profile = {
      contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
      constraints: { startDate: '2026-12-01', weeksToAward: 4, awardBy: '2027-04-30' }
    }
    const plan = (await post({ profile, procedureId: 'open-tender' })).json() as PlanBody
    const entry = plan.milestones.find((m) => m.id === 'contract-entry')!
    t.equal(plan.awardBy?.from, 'awardBy')
    t.equal(plan.awardBy?.milestoneDate, entry.date)
    t.equal(plan.awardBy?.met, true)
    t.equal(plan.awardBy?.marginDays, (Date.parse('2027-04-30') - Date.parse(entry.date)) / 86_400_000)
    const tight = (
      await post({ profile: { ...profile, constraints: { startDate: '2026-12-01', weeksToAward: 4 } }, procedureId: 'open-tender' })
    ).json() as PlanBody
    t.equal(tight.awardBy?.from, 'weeksToAward')
    t.equal(tight.awardBy?.date, '2026-12-29')
    t.equal(tight.awardBy?.met, false)
    t.ok((tight.awardBy?.marginDays ?? 0) < 0)
  })

  await t.test('the PSR plan says which process it plans and why', async (t) => {
    const res = await post({
      profile: {
        contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85121000-3'] },
        constraints: { startDate: '2026-12-01' }
      }
    })
    t.equal(res.statusCode, 200)
    const plan = res.json() as PlanBody & { process: { id: string; chosenBy: string }; assumptions: string[] }
    t.equal(plan.regime.id, 'psr2023')
    t.equal(plan.process.id, 'competitive-process')
    t.equal(plan.process.chosenBy, 'default')
    t.match(plan.assumptions.join(' '), 'Competitive Process is planned')
  })

  await t.test('Accept: text/calendar gives the same milestones as an iCalendar file', async (t) => {
    const payload = {
      profile: {
        reference: 'LBX-2026-031',
        contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
        constraints: { startDate: '2026-12-01' }
      },
      procedureId: 'open-tender'
    }
    const json = (await post(payload)).json() as PlanBody
    const res = await app.inject({ method: 'POST', url: '/v1/plans', payload, headers: { accept: 'text/calendar' } })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/calendar/)
    const calendar = new ICAL.Component(ICAL.parse(res.body) as unknown[])
    const events = calendar.getAllSubcomponents('vevent')
    t.same(
      events.map((e) => [String(e.getFirstPropertyValue('dtstart')), e.getFirstPropertyValue('uid')]),
      json.milestones.map((m) => [m.date, `LBX-2026-031-open-tender-${m.id}@procurement-route-advisor`])
    )
    const prefersJson = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload,
      headers: { accept: 'application/json, text/calendar;q=0.5' }
    })
    t.match(prefersJson.headers['content-type'], /^application\/json/)
  })

  await t.test(
    'a calendar an officer can live with: named and titled by the reference, the award deadline, re-import updates',
    async (t) => {
      // A clock the test moves: a plan recomputed a day later.
      let clock = new Date('2026-11-25T10:00:00.000Z')
      const timed = await testApp({}, { now: () => clock })
      t.teardown(() => timed.close())
      const payload = {
        profile: {
          reference: 'LBX/2026/031',
          contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
          constraints: { startDate: '2026-12-01', awardBy: '2027-06-30' }
        },
        procedureId: 'open-tender'
      }
      const ask = () => timed.inject({ method: 'POST', url: '/v1/plans', payload, headers: { accept: 'text/calendar' } })
      const first = await ask()
      t.equal(first.statusCode, 200)
      t.equal(first.headers['content-disposition'], 'attachment; filename="LBX-2026-031.ics"', 'the file is named after the reference')
      // An independent parser (ical.js) reads what an officer's calendar would.
      const events = (body: string) =>
        new ICAL.Component(ICAL.parse(body) as unknown[]).getAllSubcomponents('vevent').map((e) => ({
          uid: String(e.getFirstPropertyValue('uid')),
          summary: String(e.getFirstPropertyValue('summary')),
          start: String(e.getFirstPropertyValue('dtstart')),
          sequence: Number(e.getFirstPropertyValue('sequence')),
          description: String(e.getFirstPropertyValue('description'))
        }))
      const before = events(first.body)
      const plan = (await timed.inject({ method: 'POST', url: '/v1/plans', payload })).json() as PlanBody
      t.equal(before.length, plan.milestones.length + 1, 'one event per milestone, and the award deadline')
      t.ok(
        before.every((e) => e.summary.startsWith('LBX/2026/031: ')),
        'every title starts with the reference',
        { summaries: before.map((e) => e.summary) }
      )
      t.same(
        before.find((e) => e.summary === 'LBX/2026/031: Tender notice (UK4)')?.uid,
        'LBX-2026-031-open-tender-tender-notice@procurement-route-advisor'
      )
      const deadline = before.find((e) => e.uid === 'LBX-2026-031-open-tender-award-deadline@procurement-route-advisor')
      t.equal(deadline?.summary, 'LBX/2026/031: Award deadline')
      t.equal(deadline?.start, '2027-06-30')
      t.equal(plan.awardBy?.met, true)
      t.equal(
        deadline?.description,
        `The date the contract is to be awarded by.\nThe earliest contract entry, ${plan.awardBy?.milestoneDate}, meets it with ${plan.awardBy?.marginDays} days to spare.`
      )
      // SEQUENCE: seconds from 2025-01-01T00:00:00Z to generatedAt, 2026-11-25T10:00:00Z.
      t.same([...new Set(before.map((e) => e.sequence))], [59911200])

      clock = new Date('2026-11-26T10:00:00.000Z')
      const after = events((await ask()).body)
      t.same(
        after.map((e) => e.uid),
        before.map((e) => e.uid),
        'the same UIDs: a re-import finds the events it imported'
      )
      t.same([...new Set(after.map((e) => e.sequence))], [59911200 + 86400], 'a higher SEQUENCE: the calendar takes them as updates')

      // Without a reference: a plain file name and plain titles.
      const plain = await timed.inject({
        method: 'POST',
        url: '/v1/plans',
        payload: { ...payload, profile: { ...payload.profile, reference: undefined } },
        headers: { accept: 'text/calendar' }
      })
      t.equal(plain.headers['content-disposition'], 'attachment; filename="procurement-plan.ics"')
      t.ok(events(plain.body).some((e) => e.summary === 'Tender notice (UK4)'))
    }
  )

  await t.test('the iCalendar file escapes the calendar name: a reference cannot add events or properties', async (t) => {
    // The schema refuses line breaks in a reference (test/text-input.e2e.test.ts); the projection
    // must not rely on it. ical.js does not know NAME / X-WR-CALNAME as TEXT (RFC 7986), so it is told.
    ICAL.design.icalendar.property.name = { defaultType: 'text' }
    ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' }
    const profile = {
      contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
      constraints: { startDate: '2026-12-01' }
    }
    const plan = (await post({ profile, procedureId: 'open-tender' })).json() as Plan
    t.ok(plan.milestones.length > 0)
    const injected = 'END:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:Forged\r\nEND:VEVENT'
    for (const reference of [`LBX-1\r\n${injected}`, `LBX-1\nX-FORGED:lf`, `LBX-1\rX-FORGED:cr`, 'LBX;1,a\\nb\\']) {
      const calendar = new ICAL.Component(ICAL.parse(projectICalendar({ ...plan, reference })) as unknown[])
      // TEXT has one escape for a line break (\n): CRLF and CR come back as LF.
      const name = `${reference.replace(/\r\n?/g, '\n')}: ${plan.legalRoute.name}`
      t.equal(calendar.getFirstPropertyValue('name'), name, `NAME round-trips ${JSON.stringify(reference)}`)
      t.equal(calendar.getFirstPropertyValue('x-wr-calname'), name)
      t.equal(calendar.getFirstProperty('x-forged'), null, 'no property of its own')
      t.same(
        calendar.getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('summary'))),
        plan.milestones.map((m) => `${reference.replace(/\r\n?/g, '\n')}: ${m.name}${m.noticeCode ? ` (${m.noticeCode})` : ''}`),
        'exactly one event per milestone, titled with the reference as text'
      )
    }
  })

  await t.test('unknown fields in the request are rejected', async (t) => {
    const res = await post({ profile: { contract: { type: 'goods', estimatedValue: 100000 } }, knwon: {} })
    t.equal(res.statusCode, 400)
  })

  await t.test('properties', async (t) => {
    const calendar = loadCalendar()
    const procedure = fc.constantFrom('open-tender', 'competitive-negotiation', 'restricted-tender', undefined)
    const start = fc
      .integer({ min: 0, max: 600 })
      .map((n) => new Date(Date.parse('2025-03-03') + n * 86_400_000).toISOString().slice(0, 10))
    const profile = fc.record({
      value: fc.integer({ min: 200000, max: 5000000 }),
      psr: fc.boolean(),
      urgency: fc.constantFrom('standard', 'urgent'),
      start
    })
    const toBody = (p: { value: number; psr: boolean; urgency: string; start: string }, procedureId: string | undefined) => ({
      profile: {
        contract: p.psr
          ? { type: 'services', estimatedValue: p.value, cpvCodes: ['85121000-3'] }
          : { type: 'services', estimatedValue: p.value, categories: ['technology'] },
        constraints: { startDate: p.start, urgency: p.urgency }
      },
      ...(p.psr || procedureId === undefined ? {} : { procedureId })
    })
    await fc.assert(
      fc.asyncProperty(profile, procedure, async (p, procedureId) => {
        const res = await post(toBody(p, procedureId))
        if (res.statusCode !== 200) return true // an excluded procedure for this profile
        const plan = res.json() as PlanBody
        const cal = plan.regime.id === 'psr2023' ? 'psr2023' : 'pa2023'
        for (const m of plan.milestones) {
          // No computed milestone precedes the start date.
          if (m.date < plan.startDate) return false
          // standstill-end is always a working day of the regime.
          if (m.id === 'standstill-end' && !calendar.isWorkingDay(cal, m.date)) return false
        }
        return true
      }),
      { numRuns: 60 }
    )
    // Adding a known date never moves an earlier milestone.
    await fc.assert(
      fc.asyncProperty(profile, procedure, fc.integer({ min: 0, max: 30 }), fc.nat(), async (p, procedureId, delay, pick) => {
        const body = toBody(p, procedureId)
        const res = await post(body)
        if (res.statusCode !== 200) return true
        const plan = res.json() as PlanBody
        const target = plan.milestones[pick % plan.milestones.length]!
        const moved = new Date(Date.parse(target.date) + delay * 86_400_000).toISOString().slice(0, 10)
        const again = await post({ ...body, known: { [target.id]: moved } })
        if (again.statusCode !== 200) return false
        const after = (again.json() as PlanBody).milestones
        for (const m of plan.milestones) {
          if (m.date >= target.date || m.id === target.id) continue
          if (after.find((a) => a.id === m.id)?.date !== m.date) return false
        }
        return after.find((a) => a.id === target.id)?.date === moved
      }),
      { numRuns: 60 }
    )
    t.pass('properties hold')
  })
})
