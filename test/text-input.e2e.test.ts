// Text a client sends, against the real server process over real sockets, on the embedded store
// and on PostgreSQL: a control character, a line break in a one-line field, or an unpaired
// surrogate is a 400 problem naming the field, never a 503 from the store (PostgreSQL refuses a
// NUL in text); nothing refused is stored; a rationale keeps its line breaks and tabs; and a
// reference full of iCalendar syntax comes back from Accept: text/calendar as the literal text.
import t, { type Test } from 'tap'
import ICAL from 'ical.js'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { TEST_CHAIN_KEYS } from './helpers/chain-signer.js'
import { privateSchema, urlWithSchema } from './helpers/postgres.js'
import { rawRequest } from './helpers/raw-http.js'
import { SOCIAL_CARE } from './helpers/decision-suite.js'

const SINGLE_LINE = 'must be a single line of text: no control characters, line breaks or unpaired surrogates'
const MULTI_LINE = 'must not contain control characters other than tab and line breaks, nor unpaired surrogates'
const DECISION = { profile: SOCIAL_CARE, procedureId: 'light-touch', decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' } }
const PLAN_PROFILE = {
  contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
  constraints: { startDate: '2026-12-01' }
}

// RFC 7986 NAME and the de facto X-WR-CALNAME are TEXT; ical.js does not know them, and would
// otherwise hand their values back still escaped.
ICAL.design.icalendar.property.name = { defaultType: 'text' }
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' }

interface Problem {
  status: number
  code: string
  errors: { pointer: string; in: string; message: string }[]
}

/** POSTs `body` as JSON and expects exactly one field error: 400 at `pointer` with `message`. */
async function expectRefused(t: Test, server: ServerProcess, path: string, body: unknown, pointer: string, message: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  const problem = (await res.json()) as Problem
  t.equal(res.status, 400, `${path} ${pointer}: 400`)
  t.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.equal(problem.code, 'PRA_ERR_VALIDATION')
  t.same(problem.errors, [{ pointer, in: 'body', message }], `${path}: the one field at fault is ${pointer}`)
}

async function textSuite(t: Test, env: Record<string, string>) {
  const server = await startServer(env)
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const withProfile = (profile: Record<string, unknown>) => ({ ...DECISION, profile: { ...SOCIAL_CARE, ...profile } })

  await t.test('POST /v1/decisions: a NUL, another control character or a line break is a 400 naming the field', async (t) => {
    await expectRefused(t, server, '/v1/decisions', { ...DECISION, rationale: 'Best value\u0000' }, '/rationale', MULTI_LINE)
    await expectRefused(
      t,
      server,
      '/v1/decisions',
      { ...DECISION, rationale: 'Bell \u0007 and escape \u001b[31m' },
      '/rationale',
      MULTI_LINE
    )
    await expectRefused(t, server, '/v1/decisions', { ...DECISION, rationale: 'DEL \u007f' }, '/rationale', MULTI_LINE)
    await expectRefused(t, server, '/v1/decisions', { ...DECISION, rationale: 'unpaired \ud800' }, '/rationale', MULTI_LINE)
    const decidedBy = (name: string) => ({ ...DECISION, decidedBy: { name, role: 'cio-cdo' } })
    await expectRefused(t, server, '/v1/decisions', decidedBy('CDO\u0000'), '/decidedBy/name', SINGLE_LINE)
    await expectRefused(t, server, '/v1/decisions', decidedBy('CDO\nForged line'), '/decidedBy/name', SINGLE_LINE)
    for (const reference of [
      'LBH\u0000031',
      'LBH\r\nX-FORGED:1',
      'LBH\nX',
      'LBH\rX',
      'LBH\u2028X',
      'LBH\u2029X',
      'LBH\u0085X',
      'LBH\udc00'
    ]) {
      await expectRefused(t, server, '/v1/decisions', withProfile({ reference }), '/profile/reference', SINGLE_LINE)
    }
    await expectRefused(t, server, '/v1/decisions', withProfile({ title: 'Care\u0000home' }), '/profile/title', SINGLE_LINE)
  })

  await t.test('GET /v1/decisions: a control character in reference or cursor is a 400 naming the parameter', async (t) => {
    for (const [query, pointer] of [
      ['reference=%00', '/reference'],
      ['reference=LBH%0D%0A031', '/reference'],
      ['cursor=%00', '/cursor']
    ] as const) {
      const res = await rawRequest(server.port, `GET /v1/decisions?${query} HTTP/1.1\r\nHost: 127.0.0.1`)
      const problem = JSON.parse(res.body.toString('utf8')) as Problem
      t.equal(res.status, 400, `?${query}: 400, not 503`)
      t.same(problem.errors, [{ pointer, in: 'querystring', message: SINGLE_LINE }])
    }
  })

  await t.test('POST /v1/recommendations, its batch and POST /v1/plans refuse the same references', async (t) => {
    const profile = { ...PLAN_PROFILE, reference: 'LBX\r\nBEGIN:VEVENT' }
    await expectRefused(t, server, '/v1/recommendations', profile, '/reference', SINGLE_LINE)
    await expectRefused(t, server, '/v1/plans', { profile, procedureId: 'open-tender' }, '/profile/reference', SINGLE_LINE)
    const res = await fetch(`${server.url}/v1/recommendations/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profiles: [PLAN_PROFILE, { ...PLAN_PROFILE, title: 'Lone CR\r' }] })
    })
    const batch = (await res.json()) as { results: { index: number; status: number; problem?: Problem }[] }
    t.equal(res.status, 200)
    t.same(
      batch.results.map((r) => [r.index, r.status]),
      [
        [0, 200],
        [1, 400]
      ]
    )
    t.same(batch.results[1]!.problem!.errors, [{ pointer: '/profiles/1/title', in: 'body', message: SINGLE_LINE }])
  })

  await t.test('nothing refused was stored; a rationale keeps its line breaks and tabs', async (t) => {
    const rationale = 'Rank 1 of the report.\r\nSecond paragraph:\n\t- the only framework open to us.'
    const res = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...DECISION, rationale })
    })
    t.equal(res.status, 201)
    const created = (await res.json()) as { id: string }
    const stored = (await (await fetch(`${server.url}/v1/decisions/${created.id}`)).json()) as { rationale: string; reference: string }
    t.equal(stored.rationale, rationale, 'read back exactly as sent')
    const list = (await (await fetch(`${server.url}/v1/decisions`)).json()) as { items: { id: string }[] }
    t.same(
      list.items.map((i) => i.id),
      [created.id],
      'the only record is the accepted one'
    )
    const chain = (await (await fetch(`${server.url}/v1/decisions/chain`)).json()) as { records: number; valid: boolean }
    t.same([chain.records, chain.valid], [1, true])
  })

  await t.test('Accept: text/calendar: iCalendar syntax in the reference is text, not events', async (t) => {
    const reference = 'LBX;031,a\\nb\\'
    const body = JSON.stringify({ profile: { ...PLAN_PROFILE, reference }, procedureId: 'open-tender' })
    const headers = { 'content-type': 'application/json' }
    const json = (await (await fetch(`${server.url}/v1/plans`, { method: 'POST', headers, body })).json()) as {
      legalRoute: { name: string }
      milestones: { id: string; date: string }[]
    }
    const res = await fetch(`${server.url}/v1/plans`, { method: 'POST', headers: { ...headers, accept: 'text/calendar' }, body })
    t.equal(res.status, 200)
    const calendar = new ICAL.Component(ICAL.parse(await res.text()) as unknown[])
    const name = `${reference}: ${json.legalRoute.name}`
    t.equal(calendar.getFirstPropertyValue('name'), name, 'NAME is the literal reference')
    t.equal(calendar.getFirstPropertyValue('x-wr-calname'), name, 'X-WR-CALNAME is the literal reference')
    t.same(
      calendar.getAllSubcomponents('vevent').map((e) => [e.getFirstPropertyValue('uid'), String(e.getFirstPropertyValue('dtstart'))]),
      json.milestones.map((m) => [`LBX-031-a-nb--open-tender-${m.id}@procurement-route-advisor`, m.date]),
      'one event per milestone, no other'
    )
  })
}

t.test('embedded store (SQLite)', (t) => textSuite(t, {}))

t.test('PostgreSQL', async (t) => {
  const schema = await privateSchema(t)
  if (schema === undefined) return
  await textSuite(t, { DATABASE_URL: urlWithSchema(schema), CHAIN_KEYS: TEST_CHAIN_KEYS })
})
