// POST /v1/recommendations and /v1/recommendations/batch through the real app.
import t from 'tap'
import { PROCEDURE_IDS } from '../schemas/common.js'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { PROBLEM_BASE, testApp } from './helpers/app.js'

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
    // The index is zero-based, as in the pointer: the words say index, not "profile 2" (the third).
    t.equal(results[1].problem.detail, '2 fields at fault in the profile at index 1; see errors.')
    t.equal(results[2].problem.detail, '1 field at fault in the profile at index 2; see errors.')
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

  await t.test('a utilities contract is a 422 problem naming the field and saying what is not covered', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: {
        reference: 'LBX-U1',
        contract: { type: 'works', estimatedValue: 6000000, utilities: true },
        constraints: { startDate: '2026-12-01' }
      }
    })
    t.equal(res.statusCode, 422)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(res.headers['cache-control'], 'no-store')
    const problem = res.json()
    t.equal(problem.type, `${PROBLEM_BASE}not-covered`)
    t.equal(problem.code, 'PRA_ERR_NOT_COVERED')
    t.equal(problem.title, 'Profile not covered by this service')
    t.equal(problem.status, 422)
    t.match(problem.detail, /does not cover utilities contracts/)
    t.match(problem.detail, /Utilities Contracts Regulations 2016/)
    t.same(
      problem.errors.map((e: { pointer: string; in: string }) => [e.pointer, e.in]),
      [['/contract/utilities', 'body']]
    )
    t.notOk(problem.recommendations, 'never a recommendation')
  })

  await t.test('a concession commenced before 24 Feb 2025 is a 422; on that day it gets a report', async (t) => {
    const concession = (startDate: string) => ({
      contract: { type: 'services', estimatedValue: 8000000, concession: true, categories: ['facilities'] },
      constraints: { startDate }
    })
    const before = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: concession('2025-02-23') })
    t.equal(before.statusCode, 422)
    t.equal(before.json().code, 'PRA_ERR_NOT_COVERED')
    t.match(before.json().detail, /Concession Contracts Regulations 2016/)
    t.same(before.json().errors[0].pointer, '/contract/concession')
    const on = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: concession('2025-02-24') })
    t.equal(on.statusCode, 200)
    t.same(on.json().value.threshold, {
      amount: 5372609,
      kind: 'concession',
      authorityType: 'sub-central',
      effectiveFrom: '2025-02-24',
      effectiveTo: '2025-12-31',
      legalBasis: 'Procurement Act 2023, Sch 1 para 1, row 9 (concession contract), as amended by SI 2025/163 before go-live'
    })
    t.ok(on.json().concession.rules.some((r: { ruleId: string }) => r.ruleId === 'concession-valuation'))
  })

  await t.test('batch: a profile the service does not cover is a 422 problem for that profile alone', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch',
      payload: {
        profiles: [
          { contract: { type: 'works', estimatedValue: 1, utilities: true } },
          PROFILE_EXAMPLE,
          { contract: { type: 'services', estimatedValue: 900000, concession: true }, constraints: { startDate: '2024-06-01' } },
          { contract: { type: 'goods', estimatedValue: 900000, concession: true }, constraints: { startDate: '2026-06-01' } }
        ]
      }
    })
    t.equal(res.statusCode, 200)
    const { results } = res.json()
    t.same(
      results.map((r: { index: number; status: number; problem?: { code: string; status: number } }) => [
        r.index,
        r.status,
        r.problem?.code,
        r.problem?.status
      ]),
      [
        [0, 422, 'PRA_ERR_NOT_COVERED', 422],
        [1, 200, undefined, undefined],
        [2, 422, 'PRA_ERR_NOT_COVERED', 422],
        [3, 400, 'PRA_ERR_VALIDATION', 400]
      ]
    )
    t.same(results[0].problem.errors[0].pointer, '/profiles/0/contract/utilities')
    t.same(results[2].problem.errors[0].pointer, '/profiles/2/contract/concession')
    t.same(results[3].problem.errors, [
      {
        pointer: '/profiles/3/contract/type',
        in: 'body',
        message:
          'must be works or services for a concession contract: a concession is a contract for the supply of works or services (Procurement Act 2023, s.8(1))'
      }
    ])
  })

  await t.test('an open framework under the PCR 2015 is a 400 naming agreement.establishes', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: {
        contract: { type: 'services', estimatedValue: 900000 },
        agreement: { establishes: 'open-framework' },
        constraints: { startDate: '2024-06-01' }
      }
    })
    t.equal(res.statusCode, 400)
    t.equal(res.json().errors[0].pointer, '/agreement/establishes')
    t.match(res.json().errors[0].message, /no route under the Public Contracts Regulations 2015/)
  })

  await t.test('setting up a framework for several boroughs adds the agreement section', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: {
        contract: { type: 'works', estimatedValue: 24000000, cpvCodes: ['45453000-7'] },
        agreement: { establishes: 'framework', otherAuthorities: 4, termMonths: 60 },
        constraints: { startDate: '2026-12-01' }
      }
    })
    t.equal(res.statusCode, 200)
    const { agreement } = res.json()
    t.same(
      { establishes: agreement.establishes, name: agreement.name, legalBasis: agreement.legalBasis, others: agreement.otherAuthorities },
      { establishes: 'framework', name: 'Framework', legalBasis: 'Procurement Act 2023, ss.45-48', others: 4 }
    )
    const over = agreement.rules.find((r: { ruleId: string }) => r.ruleId === 'framework-term-over-limit')
    t.equal(over.effect, 'needs-action')
    t.equal(over.legalBasis, 'Procurement Act 2023, s.47(1)(b), (2)-(3)')
    t.match(over.text, /60 months is over the four-year maximum/)
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

  await t.test('batch: other requests are answered while a batch of 100 is evaluated, not after it', async (t) => {
    const order: string[] = []
    const batch = app
      .inject({
        method: 'POST',
        url: '/v1/recommendations/batch',
        payload: { profiles: Array.from({ length: 100 }, () => PROFILE_EXAMPLE) }
      })
      .then((res) => {
        order.push(`batch ${res.statusCode}`)
        return res
      })
    const live = app.inject({ method: 'GET', url: '/health/live' }).then((res) => order.push(`live ${res.statusCode}`))
    const single = app
      .inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })
      .then((res) => order.push(`single ${res.statusCode}`))
    const [res] = await Promise.all([batch, live, single])
    t.same(order, ['live 200', 'single 200', 'batch 200'])
    t.equal(res.json().results.length, 100, 'and the batch is whole')
    t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)), 'with its length')
  })

  await t.test('batch: batches are evaluated one after another, in order, while single requests still pass', async (t) => {
    const order: string[] = []
    const send = (name: string, count: number) =>
      app
        .inject({
          method: 'POST',
          url: '/v1/recommendations/batch',
          payload: { profiles: Array.from({ length: count }, () => PROFILE_EXAMPLE) }
        })
        .then((res) => {
          order.push(`${name} ${res.statusCode}`)
          return res
        })
    // The first is the largest: interleaved, the two small ones would finish before it.
    const first = send('first', 100)
    const second = send('second', 20)
    const third = send('third', 20)
    const single = app
      .inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })
      .then((res) => order.push(`single ${res.statusCode}`))
    const [a, b, c] = await Promise.all([first, second, third, single])
    t.same(order, ['single 200', 'first 200', 'second 200', 'third 200'])
    t.same(
      [a, b, c].map((res) => res.json().results.length),
      [100, 20, 20],
      'each batch whole'
    )
    // A refused batch and the next one are answered as usual.
    const bad = await app.inject({ method: 'POST', url: '/v1/recommendations/batch', payload: { profiles: 'none' } })
    t.equal(bad.statusCode, 400)
    t.equal((await send('after', 1)).statusCode, 200)
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

  await t.test(
    '?view=compact: the same decision without considerations, summaries, what assumptions change, or the reasons for the procedures not recommended',
    async (t) => {
      const full = (await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })).json()
      const res = await app.inject({ method: 'POST', url: '/v1/recommendations?view=compact', payload: PROFILE_EXAMPLE })
      t.equal(res.statusCode, 200)
      const compact = res.json()
      t.equal(compact.view, 'compact')
      t.equal(full.view, undefined, 'the full report carries no view')
      t.same(
        compact.recommendations.map((r: { procedureId: string; considerations?: string[]; summary?: string }) => [
          r.procedureId,
          r.considerations,
          r.summary
        ]),
        [
          ['competitive-dialogue', undefined, undefined],
          ['competitive-negotiation', undefined, undefined],
          ['design-contest', undefined, undefined]
        ]
      )
      // The procedures not recommended keep the reasons against them: open tender's three weakening ones
      // (not its supporting "above threshold"), light touch its one excluding reason.
      const reasonsOf = (r: { notRecommended: { procedureId: string; reasons: { ruleId: string }[] }[] }, id: string) =>
        r.notRecommended.find((n) => n.procedureId === id)!.reasons.map((x) => x.ruleId)
      t.same(reasonsOf(full, 'open-tender'), ['above-threshold', 'tender-unclear', 'tender-no-negotiation', 'below-minimum-score'])
      t.same(reasonsOf(compact, 'open-tender'), ['tender-unclear', 'tender-no-negotiation', 'below-minimum-score'])
      t.same(reasonsOf(compact, 'light-touch'), ['light-touch-service'])
      const { view: _view, recommendations, notRecommended, assumedInputs, questions, ...rest } = compact
      const { recommendations: fullRecs, notRecommended: _n, assumedInputs: fullAssumed, questions: fullQuestions, ...fullRest } = full
      t.same({ ...rest, generatedAt: 0 }, { ...fullRest, generatedAt: 0 }, 'everything else is the full report')
      // The inputs assumed and the questions, without what they change.
      t.same(
        assumedInputs,
        fullAssumed.map(({ effect: _e, ...a }: { effect: string }) => a)
      )
      t.ok(assumedInputs.length > 0 && assumedInputs.every((a: object) => !('effect' in a)), 'the assumed inputs, without their effect')
      t.same(
        questions,
        fullQuestions.map(({ why: _w, ...q }: { why: string }) => q)
      )
      t.same(
        recommendations,
        fullRecs.map(({ considerations: _c, summary: _s, ...r }: { considerations: string[]; summary: string }) => r)
      )
      // Design contest is recommended as a possible fit: the pitch not asked for lowers its score (a
      // preference), it no longer rules it out.
      t.equal(notRecommended.length, 10)
      const fullBytes = JSON.stringify(full).length
      t.ok(res.body.length < fullBytes * 0.75, `a quarter fewer bytes at least: ${res.body.length} against ${fullBytes}`)
    }
  )

  await t.test('?view=compact on a batch: every report compact; a bad or unknown query parameter is a 400 problem', async (t) => {
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/recommendations/batch?view=compact',
      payload: { profiles: [PROFILE_EXAMPLE, PROFILE_EXAMPLE] }
    })
    t.equal(batch.statusCode, 200)
    t.same(
      batch.json().results.map((r: { report: { view?: string } }) => r.report.view),
      ['compact', 'compact']
    )
    const bad = await app.inject({ method: 'POST', url: '/v1/recommendations?view=short', payload: PROFILE_EXAMPLE })
    t.equal(bad.statusCode, 400)
    t.equal(bad.json().code, 'PRA_ERR_VALIDATION')
    t.same(
      bad.json().errors.map((e: { pointer: string; in: string }) => [e.in, e.pointer]),
      [['querystring', '/view']]
    )
    const unknown = await app.inject({ method: 'POST', url: '/v1/recommendations?verbose=1', payload: PROFILE_EXAMPLE })
    t.equal(unknown.statusCode, 400)
    t.same(
      unknown.json().errors.map((e: { pointer: string; in: string }) => [e.in, e.pointer]),
      [['querystring', '/verbose']]
    )
  })
})
