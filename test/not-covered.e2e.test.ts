// The 422 of contract 1.1 over real sockets, from the real server process: a utilities contract and
// a concession commenced before 24 Feb 2025 get a not-covered problem, alone and in a batch, with the
// same headers as every other answer; a concession on 24 Feb 2025 gets its report.
import t from 'tap'
import { startServer } from './helpers/server-process.js'

const PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'

t.test('profiles the service does not cover are 422 problems over HTTP', async (t) => {
  const server = await startServer()
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  const utilities = await post('/v1/recommendations', {
    contract: { type: 'works', estimatedValue: 6000000, utilities: true },
    constraints: { startDate: '2026-12-01' }
  })
  t.equal(utilities.status, 422)
  t.match(utilities.headers.get('content-type'), /^application\/problem\+json/)
  t.equal(utilities.headers.get('cache-control'), 'no-store')
  t.match(utilities.headers.get('x-request-id'), /^[0-9a-f-]{36}$/)
  const problem = await utilities.json()
  t.same(
    { type: problem.type, status: problem.status, code: problem.code, pointer: problem.errors[0].pointer },
    { type: `${PROBLEM_BASE}not-covered`, status: 422, code: 'PRA_ERR_NOT_COVERED', pointer: '/contract/utilities' }
  )
  t.equal(problem.instance, `urn:uuid:${utilities.headers.get('x-server-request-id')}`)
  t.match(problem.detail, /does not cover utilities contracts/)

  const concession = await post('/v1/recommendations', {
    contract: { type: 'services', estimatedValue: 6000000, concession: true },
    constraints: { startDate: '2025-02-23' }
  })
  t.equal(concession.status, 422)
  const concessionProblem = await concession.json()
  t.equal(concessionProblem.errors[0].pointer, '/contract/concession')
  t.match(concessionProblem.detail, /Concession Contracts Regulations 2016/)

  const onTheDay = await post('/v1/recommendations', {
    contract: { type: 'services', estimatedValue: 6000000, concession: true },
    constraints: { startDate: '2025-02-24' }
  })
  t.equal(onTheDay.status, 200)
  t.equal((await onTheDay.json()).value.threshold.kind, 'concession')

  const batch = await post('/v1/recommendations/batch', {
    profiles: [
      { contract: { type: 'services', estimatedValue: 250000 }, constraints: { startDate: '2026-12-01' } },
      { contract: { type: 'services', estimatedValue: 250000, utilities: true } }
    ]
  })
  t.equal(batch.status, 200)
  const { results } = await batch.json()
  t.same(
    results.map((r: { index: number; status: number; problem?: { code: string; errors: { pointer: string }[] } }) => [
      r.index,
      r.status,
      r.problem?.code,
      r.problem?.errors[0]?.pointer
    ]),
    [
      [0, 200, undefined, undefined],
      [1, 422, 'PRA_ERR_NOT_COVERED', '/profiles/1/contract/utilities']
    ]
  )
})
