// GET /v1/procedures, /v1/procedures/{id}, /v1/thresholds and the health routes.
import t from 'tap'
import { testApp } from './helpers/app.js'

t.test('catalogue endpoints', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())

  await t.test('GET /v1/procedures lists the 13 procedures in the contract order', async (t) => {
    const res = await app.inject('/v1/procedures')
    t.equal(res.statusCode, 200)
    const body = res.json()
    // The ids of api-contract.md, written out: renaming one in the code must fail here.
    t.same(
      body.procedures.map((p: { id: string }) => p.id),
      [
        'open-tender',
        'restricted-tender',
        'competitive-negotiation',
        'competitive-dialogue',
        'innovation-partnership',
        'design-contest',
        'light-touch',
        'framework-call-off',
        'dynamic-market',
        'direct-award',
        'pre-commercial-procurement',
        'below-threshold',
        'provider-selection-regime'
      ]
    )
    t.equal(body.rulesetVersion, app.catalogue.rulesetVersion)
  })

  await t.test('a procedure names its legal route under each regime that has one', async (t) => {
    const dialogue = (await app.inject('/v1/procedures/competitive-dialogue')).json().procedure
    t.equal(dialogue.routes.pa2023.name, 'Competitive flexible procedure')
    t.match(dialogue.routes.pa2023.legalBasis, /Procurement Act 2023, s\.20\(2\)\(b\)/)
    t.equal(dialogue.routes.pcr2015.legalBasis, 'Public Contracts Regulations 2015, regs 26(4) and 30')
    t.equal(dialogue.routes.psr2023, undefined)
    const psr = (await app.inject('/v1/procedures/provider-selection-regime')).json().procedure
    t.same(Object.keys(psr.routes), ['psr2023'])
    const open = (await app.inject('/v1/procedures/open-tender')).json().procedure
    t.match(open.routes.pa2023.legalBasis, /s\.20\(2\)\(a\)/)
    t.ok(open.whenToUse.length > 0 && open.whenNotToUse.length > 0)
  })

  await t.test("every procedure's RACI follows the guidance for choosing the procedure", async (t) => {
    const { procedures } = (await app.inject('/v1/procedures')).json()
    for (const p of procedures) {
      const choose = p.raci.activities.find((a: { id: string }) => a.id === 'choose-procedure')
      t.equal(choose.assignments['procurement-team'], 'R', `${p.id}: procurement team R`)
      t.equal(choose.assignments['cio-cdo'], 'A', `${p.id}: CIO/CDO A`)
      t.equal(choose.assignments['service-team'], 'C', `${p.id}: service team C`)
      for (const a of p.raci.activities) {
        const values = Object.values(a.assignments)
        t.equal(values.filter((v) => v === 'A').length, 1, `${p.id} ${a.id}: one A`)
        t.ok(values.includes('R'), `${p.id} ${a.id}: an R`)
      }
    }
  })

  await t.test('GET /v1/thresholds gives the values in force on the date', async (t) => {
    const amount = (
      body: { thresholds: { kind: string; authorityType: string; amount: number }[] },
      kind: string,
      authorityType = 'sub-central'
    ) => body.thresholds.find((x) => x.kind === kind && x.authorityType === authorityType)?.amount
    const cases: [string, string, string, number][] = [
      ['2026-01-01', 'goods-services', 'sub-central', 207720],
      ['2026-01-01', 'goods-services', 'central', 135018],
      ['2026-01-01', 'works', 'sub-central', 5193000],
      ['2026-01-01', 'light-touch', 'sub-central', 663540],
      ['2026-01-01', 'notifiable-below-threshold', 'sub-central', 30000],
      ['2025-12-31', 'goods-services', 'sub-central', 214904],
      ['2025-12-31', 'works', 'sub-central', 5372609],
      ['2024-06-01', 'goods-services', 'sub-central', 214904],
      ['2023-12-31', 'goods-services', 'sub-central', 213477],
      ['2022-01-01', 'works', 'central', 5336937],
      ['2022-12-20', 'notifiable-below-threshold', 'sub-central', 25000],
      ['2022-12-21', 'notifiable-below-threshold', 'sub-central', 30000]
    ]
    for (const [date, kind, authority, expected] of cases) {
      const res = await app.inject(`/v1/thresholds?date=${date}`)
      t.equal(res.statusCode, 200)
      const body = res.json()
      t.equal(body.date, date)
      t.equal(amount(body, kind, authority), expected, `${kind} ${authority} on ${date}`)
    }
  })

  await t.test('each threshold has its dates and legal source', async (t) => {
    const body = (await app.inject('/v1/thresholds?date=2026-03-01')).json()
    const row = body.thresholds.find((x: { id: string }) => x.id === '2026-sub-central-goods-services')
    t.equal(row.effectiveFrom, '2026-01-01')
    t.equal(row.effectiveTo, null)
    t.same(row.regimes, ['pa2023'])
    t.match(row.legalBasis, /Sch 1/)
    t.ok(['confirmed', 'secondary', 'unconfirmed'].includes(row.source.confidence))
  })

  await t.test('without a date, thresholds are those in force today', async (t) => {
    const body = (await app.inject('/v1/thresholds')).json()
    t.equal(body.date, '2026-11-25')
    t.equal(body.thresholds.find((x: { id: string }) => x.id === '2026-sub-central-goods-services')?.amount, 207720)
  })

  await t.test('a date before the earliest set is a 400 problem, not a guess', async (t) => {
    const res = await app.inject('/v1/thresholds?date=2021-12-31')
    t.equal(res.statusCode, 400)
    t.same(res.json().errors, [
      { pointer: '/date', in: 'querystring', message: 'The date 2021-12-31 is before the earliest thresholds on record (2022-01-01)' }
    ])
  })

  await t.test('health routes', async (t) => {
    t.same((await app.inject('/health/live')).json(), { status: 'ok' })
    t.same((await app.inject('/health/ready')).json(), { status: 'ok', rulesetVersion: app.catalogue.rulesetVersion, checks: {} })
  })
})
