// One refusal (issue 26 item 3): a profile the engine refuses gets the same problem from every
// route that evaluates one, POST /v1/recommendations, /v1/plans and /v1/decisions: the same
// status, code, detail and errors, the pointer under /profile where the profile is nested.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { PROBLEM_BASE, testApp } from './helpers/app.js'

const UTILITIES_DETAIL =
  "This service does not cover utilities contracts: it does not model the Procurement Act 2023's rules for utilities " +
  'contracts (s.6 and Sch 4) or the Utilities Contracts Regulations 2016, which still govern utilities procurements ' +
  'commenced before 2025-02-24, so it gives no recommendation for this profile.'
const CONCESSION_DETAIL =
  'A concession contract whose procurement commenced before 2025-02-24 (the start date is 2025-02-23) is governed by the ' +
  'Concession Contracts Regulations 2016, which continue to apply where the concession notice or prior information notice ' +
  'was submitted, or the contract awarded, before that date. This service does not cover those Regulations, so it gives ' +
  'no recommendation for this profile.'
const GOODS_CONCESSION_MESSAGE =
  'must be works or services for a concession contract: a concession is a contract for the supply of works or services ' +
  '(Procurement Act 2023, s.8(1))'

const cases = [
  {
    name: 'a utilities contract',
    profile: { contract: { type: 'works', estimatedValue: 6000000, utilities: true }, constraints: { startDate: '2026-12-01' } },
    status: 422,
    code: 'PRA_ERR_NOT_COVERED',
    type: 'not-covered',
    title: 'Profile not covered by this service',
    detail: UTILITIES_DETAIL,
    pointer: '/contract/utilities',
    message: UTILITIES_DETAIL
  },
  {
    name: 'a concession commenced the day before 24 Feb 2025',
    profile: { contract: { type: 'services', estimatedValue: 6000000, concession: true }, constraints: { startDate: '2025-02-23' } },
    status: 422,
    code: 'PRA_ERR_NOT_COVERED',
    type: 'not-covered',
    title: 'Profile not covered by this service',
    detail: CONCESSION_DETAIL,
    pointer: '/contract/concession',
    message: CONCESSION_DETAIL
  },
  {
    name: 'a goods concession (valid to the schema, refused by the law)',
    profile: { contract: { type: 'goods', estimatedValue: 6000000, concession: true }, constraints: { startDate: '2026-12-01' } },
    status: 400,
    code: 'PRA_ERR_VALIDATION',
    type: 'validation',
    title: 'Invalid request',
    detail: 'The profile cannot be evaluated; see errors.',
    pointer: '/contract/type',
    message: GOODS_CONCESSION_MESSAGE
  }
]

/** Each route with the body that carries the profile, and where the profile sits in that body. */
const routes = (profile: object) => [
  { url: '/v1/recommendations', payload: profile, at: '' },
  { url: '/v1/plans', payload: { profile, procedureId: 'open-tender' }, at: '/profile' },
  {
    url: '/v1/decisions',
    payload: { profile, procedureId: 'open-tender', rationale: 'Open competition.', decidedBy: { name: 'CDO', role: 'cio-cdo' } },
    at: '/profile'
  }
]

t.test('the three routes refuse the same profile with the same problem', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  for (const c of cases) {
    for (const { url, payload, at } of routes(c.profile)) {
      const res = await app.inject({ method: 'POST', url, payload })
      t.equal(res.statusCode, c.status, `${c.name}, ${url}: status`)
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${c.name}, ${url}: a problem`)
      const { instance, ...body } = res.json()
      t.match(instance, /^urn:uuid:[0-9a-f-]{36}$/)
      t.same(
        body,
        {
          type: `${PROBLEM_BASE}${c.type}`,
          title: c.title,
          status: c.status,
          detail: c.detail,
          code: c.code,
          errors: [{ pointer: `${at}${c.pointer}`, in: 'body', message: c.message }]
        },
        `${c.name}, ${url}: body`
      )
    }
  }
})

t.test('the documented 422 of each route is what it answers for the utilities example', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const doc = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'))
  const utilities = doc.paths['/v1/recommendations'].post.requestBody.content['application/json'].examples['utilities-not-covered'].value
  for (const { url, payload } of routes(utilities)) {
    // The documented answer is an externalValue: the fixture, as the service serves it.
    const media = doc.paths[url].post.responses['422'].content['application/problem+json']
    const documented = (await app.inject(`/${Object.values<{ externalValue: string }>(media.examples)[0]!.externalValue}`)).json()
    const res = await app.inject({ method: 'POST', url, payload })
    t.equal(res.statusCode, 422, url)
    t.same({ ...res.json(), instance: undefined }, { ...documented, instance: undefined }, `${url}: as documented`)
  }
})
