// POST /v1/recommendations and /v1/recommendations/batch through the real app.
import t from 'tap'
import { PROCEDURE_IDS } from '../schemas/common.js'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { testApp } from './helpers/app.js'

t.test('recommendations over HTTP', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())

  await t.test('the documented profile gets a ranked report with every procedure accounted for', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^application\/json/)
    const report = res.json()
    t.equal(report.reference, 'LBX-2026-031')
    t.equal(report.generatedAt, '2026-11-25T10:00:00.000Z')
    t.equal(report.regime.id, 'pa2023')
    // An IT platform for a social care service is not light touch: the main CPV is 72212000.
    t.equal(report.value.lightTouch, false)
    t.equal(report.value.threshold.amount, 207720)
    t.equal(report.value.aboveThreshold, true)
    t.equal(report.recommendations[0].procedureId, 'competitive-dialogue')
    t.same(report.recommendations[0].legalRoute, {
      regime: 'pa2023',
      name: 'Competitive flexible procedure',
      legalBasis: 'Procurement Act 2023, s.20(2)(b)'
    })
    const ids = [...report.recommendations, ...report.notRecommended].map((x: { procedureId: string }) => x.procedureId).sort()
    t.same(ids, [...PROCEDURE_IDS].sort())
    t.same(
      report.recommendations.map((r: { rank: number }) => r.rank),
      report.recommendations.map((_: unknown, i: number) => i + 1)
    )
    t.equal(report.raci.procedureId, 'competitive-dialogue')
  })

  await t.test('the minimal profile works with every default', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: { contract: { type: 'goods', estimatedValue: 50000 } }
    })
    t.equal(res.statusCode, 200)
    const report = res.json()
    t.equal(report.startDate, '2026-11-25', 'the start date defaults to today')
    t.equal(report.recommendations[0].procedureId, 'below-threshold')
    t.equal(report.reference, undefined)
    t.ok(report.warnings.some((w: { code: string }) => w.code === 'no-cpv-code'))
  })

  await t.test('a start date before the earliest thresholds is a 400 with its pointer', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: { contract: { type: 'goods', estimatedValue: 1 }, constraints: { startDate: '2021-06-30' } }
    })
    t.equal(res.statusCode, 400)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.same(res.json().errors, [
      {
        pointer: '/constraints/startDate',
        in: 'body',
        message: 'must be on or after 2022-01-01, the earliest date the thresholds on record cover'
      }
    ])
  })

  await t.test('same profile, same report apart from generatedAt', async (t) => {
    const a = (await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })).body
    const b = (await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })).body
    t.equal(a, b, 'byte-identical with a fixed clock')
  })

  await t.test('batch: one result per profile, in order; an invalid profile never fails the batch', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: {
        profiles: [
          PROFILE_EXAMPLE,
          { contract: { type: 'services', estimatedValue: -5, valu: 1 } },
          42,
          { contract: { type: 'works', estimatedValue: 6000000 } }
        ]
      }
    })
    t.equal(res.statusCode, 200)
    const { results } = res.json()
    t.same(
      results.map((r: { index: number; status: number }) => [r.index, r.status]),
      [
        [0, 200],
        [1, 400],
        [2, 400],
        [3, 200]
      ]
    )
    t.same(results[1].problem.errors.map((e: { pointer: string }) => e.pointer).sort(), [
      '/profiles/1/contract/estimatedValue',
      '/profiles/1/contract/valu'
    ])
    t.same(results[2].problem.errors, [{ pointer: '/profiles/2', in: 'body', message: 'must be object' }])
    t.equal(results[1].problem.status, 400)
    t.match(results[1].problem.instance, /^urn:uuid:/)
    t.equal(results[3].report.value.threshold.kind, 'works')
    const single = (await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })).json()
    t.same(results[0].report, single, 'a profile gets the same report alone or in a batch')
  })

  await t.test('batch: an engine refusal is a problem for that profile alone', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: { profiles: [{ contract: { type: 'goods', estimatedValue: 1 }, constraints: { startDate: '2020-01-01' } }] }
    })
    t.equal(res.statusCode, 200)
    t.same(res.json().results[0].problem.errors, [
      {
        pointer: '/profiles/0/constraints/startDate',
        in: 'body',
        message: 'must be on or after 2022-01-01, the earliest date the thresholds on record cover'
      }
    ])
  })

  await t.test('batch: 0 or more than 100 profiles is a 400 problem', async (t) => {
    const empty = await app.inject({ method: 'POST', url: '/v1/recommendations/batch', payload: { profiles: [] } })
    t.equal(empty.statusCode, 400)
    t.same(empty.json().errors, [{ pointer: '/profiles', in: 'body', message: 'must NOT have fewer than 1 items' }])
    const many = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: { profiles: Array.from({ length: 101 }, () => PROFILE_EXAMPLE) }
    })
    t.equal(many.statusCode, 400)
    t.same(many.json().errors, [{ pointer: '/profiles', in: 'body', message: 'must NOT have more than 100 items' }])
    const hundred = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: { profiles: Array.from({ length: 100 }, () => PROFILE_EXAMPLE) }
    })
    t.equal(hundred.statusCode, 200)
    t.equal(hundred.json().results.length, 100)
  })

  await t.test('batch: unknown top-level fields are rejected', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: { profiles: [PROFILE_EXAMPLE], profile: {} }
    })
    t.equal(res.statusCode, 400)
    t.same(res.json().errors, [
      { pointer: '/profile', in: 'body', message: 'is not a known field (unknown fields are rejected, not ignored)' }
    ])
  })
})
