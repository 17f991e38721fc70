// The committed OpenAPI document is what the app generates; it documents every operation for
// an integrator; /docs serves the Swagger UI from the package.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { generateOpenApi } from '../src/openapi.js'
import type { FastifyInstance } from 'fastify'
import { testApp } from './helpers/app.js'

const committedPath = new URL('../openapi/openapi.json', import.meta.url)

/** Where a relative externalValue resolves from the served document, /openapi.json. */
const served = (externalValue: string): string => new URL(externalValue, 'http://localhost/openapi.json').pathname

/** The documented answer of a media type object: its fixture, as the service serves it (externalValue). */
async function documentedAnswer(app: FastifyInstance, media: { examples: Record<string, { externalValue: string }> }): Promise<any> {
  const res = await app.inject(served(Object.values(media.examples)[0]!.externalValue))
  return String(res.headers['content-type']).startsWith('text/calendar') ? res.body : res.json()
}

t.test('the committed openapi/openapi.json is what the app generates (run npm run openapi)', async (t) => {
  const generated = await generateOpenApi()
  t.equal(readFileSync(committedPath, 'utf8'), generated, 'openapi/openapi.json is stale: run `npm run openapi` and commit it')
})

t.test('one contract version: the document, the changelog and the client package', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  const changelog = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8')
  const client = JSON.parse(readFileSync(new URL('../clients/typescript/package.json', import.meta.url), 'utf8'))
  const released = /^## (\d+\.\d+\.\d+)$/m.exec(changelog)?.[1]
  t.equal(doc.info.version, released, "info.version is the changelog's newest release")
  t.equal(client.version, doc.info.version, 'the client package carries the contract version')
  t.match(changelog, /^\*\*Breaking\*\*/m, 'the changelog says what counts as breaking')
  t.match(changelog, /`Deprecation` header \(RFC 9745\)/, 'and how a deprecated field is announced')
  t.match(doc.info.description, /Deprecation header \(RFC 9745\)/)
})

t.test('the document is OpenAPI 3.1 and documents every operation fully', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  t.equal(doc.openapi, '3.1.0')
  // The one versioned OCDS mapping, published whole; every OcdsFields object names its version.
  const mapping = JSON.parse(readFileSync(new URL('../src/catalogue/ocds.json', import.meta.url), 'utf8'))
  t.same(doc['x-ocds-mapping'], mapping, 'x-ocds-mapping is src/catalogue/ocds.json')
  t.match(doc.components.schemas.OcdsFields.description, /x-ocds-mapping/)
  t.same(
    Object.keys(doc.components.schemas).sort(),
    [
      'AlternativeReading',
      'AssumedInput',
      'BatchRequest',
      'BatchResponse',
      'ChainVerification',
      'DecisionList',
      'DecisionRecord',
      'DecisionRequest',
      'DecisionSummary',
      'DirectAwardGround',
      'EntryFault',
      'AgreementSetUp',
      'Concession',
      'LegalRoute',
      'LegalRouteRef',
      'NotRecommended',
      'Milestone',
      'OcdsFields',
      'Plan',
      'PlanOptions',
      'PlanRequest',
      'Problem',
      'PsrProcess',
      'ProcedureDetail',
      'ProcedureList',
      'Procedure',
      'ProcurementProfile',
      'Question',
      'RaciMatrix',
      'Reason',
      'Receipt',
      'Recommendation',
      'RecommendationReport',
      'RuleNote',
      'Threshold',
      'ThresholdList',
      'ToConfirm',
      'Warning'
    ].sort()
  )
  const operations: string[] = []
  for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const name = `${method.toUpperCase()} ${path}`
      operations.push(op.operationId)
      t.ok(op.operationId, `${name}: operationId`)
      t.ok(op.tags?.length, `${name}: tags`)
      t.ok(op.summary && op.description, `${name}: summary and description`)
      for (const p of op.parameters ?? []) t.ok(p.description, `${name}: parameter ${p.name} described`)
      if (op.requestBody) {
        const media = op.requestBody.content['application/json']
        t.ok(media.example ?? Object.values(media.examples ?? {})[0], `${name}: request example`)
      }
      for (const [status, response] of Object.entries<any>(op.responses)) {
        for (const [type, media] of Object.entries<any>(response.content ?? {})) {
          t.ok(media.schema, `${name} ${status} ${type}: schema`)
          const external = Object.values<{ externalValue?: string }>(media.examples ?? {})[0]?.externalValue
          t.ok(media.example !== undefined || external?.startsWith('examples/'), `${name} ${status} ${type}: example`)
          if (Number(status) >= 400) t.equal(type, 'application/problem+json', `${name} ${status} is a problem`)
        }
      }
    }
  }
  t.same(
    operations.sort(),
    [
      'getLiveness',
      'getProcedure',
      'getReadiness',
      'listProcedures',
      'listThresholds',
      'recommendProcedures',
      'recommendProceduresBatch',
      'recordDecision',
      'listDecisions',
      'getDecision',
      'verifyDecisionChain',
      'planProcurement'
    ].sort()
  )
})

t.test('the documented examples are valid against the live service', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  const single = doc.paths['/v1/recommendations'].post
  const examples: Record<string, { summary: string; value: unknown }> = single.requestBody.content['application/json'].examples
  t.same(
    Object.keys(examples),
    [
      'digital-platform',
      'framework-several-boroughs',
      'open-framework',
      'dynamic-market',
      'leisure-concession',
      'failed-competition',
      'direct-award-ground',
      'psr-process',
      'utilities-not-covered'
    ],
    'the default profile first, then one for each new input'
  )
  const res = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: examples['digital-platform']!.value as object })
  t.equal(res.statusCode, 200)
  const report = res.json()
  const documented = await documentedAnswer(app, single.responses['200'].content['application/json'])
  t.same(
    { ...report, generatedAt: undefined },
    { ...documented, generatedAt: undefined },
    'the documented report is what the service answers for the documented profile'
  )
  const documented422 = await documentedAnswer(app, single.responses['422'].content['application/problem+json'])
  const answers: Record<string, [number, string | undefined]> = {}
  const tops: Record<string, string> = {}
  for (const [name, { value }] of Object.entries(examples)) {
    const r = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: value as object })
    const body = r.json()
    answers[name] = [r.statusCode, body.agreement?.establishes ?? (body.concession ? 'concession' : body.code)]
    if (r.statusCode === 200) tops[name] = body.recommendations[0].legalRoute.process?.id ?? body.recommendations[0].procedureId
    if (r.statusCode === 422) {
      t.same(
        { ...body, instance: undefined },
        { ...documented422, instance: undefined },
        'the documented 422 is what the service answers for the utilities example'
      )
    }
  }
  t.same(answers, {
    'digital-platform': [200, undefined],
    'framework-several-boroughs': [200, 'framework'],
    'open-framework': [200, 'open-framework'],
    'dynamic-market': [200, 'dynamic-market'],
    'leisure-concession': [200, 'concession'],
    'failed-competition': [200, undefined],
    'direct-award-ground': [200, undefined],
    'psr-process': [200, undefined],
    'utilities-not-covered': [422, 'PRA_ERR_NOT_COVERED']
  })
  t.match(
    tops,
    { 'failed-competition': 'direct-award', 'direct-award-ground': 'direct-award', 'psr-process': 'direct-award-c' },
    'the direct award examples are awarded directly; the PSR example names its process'
  )
  const batch = doc.paths['/v1/recommendations/batch'].post
  const batchRes = await app.inject({
    method: 'POST',
    url: '/v1/recommendations/batch',
    payload: batch.requestBody.content['application/json'].example
  })
  t.equal(batchRes.statusCode, 200)
  t.same(
    batchRes
      .json()
      .results.map((r: { status: number; report?: { recommendations: { procedureId: string }[] } }) => [
        r.status,
        r.report?.recommendations[0]?.procedureId
      ]),
    [
      [200, 'competitive-dialogue'],
      [200, 'below-threshold'],
      [200, 'light-touch'],
      [422, undefined]
    ]
  )
  // The third documented profile files a public-health contract under the broad code 85000000.
  const documentedBroad = (await documentedAnswer(app, batch.responses['200'].content['application/json'])).results[2].report
  t.same(
    documentedBroad.alternatives.map((a: { line: string; regime: { id: string } }) => [a.line, a.regime.id]),
    [['health-care', 'psr2023']]
  )
  t.ok(documentedBroad.warnings.some((w: { code: string }) => w.code === 'broad-cpv-code'))
  t.same(batchRes.json().results[2].report.alternatives, documentedBroad.alternatives, 'documented as answered')
})

t.test('/docs serves the Swagger UI and /openapi.json the live document', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
  t.match(docs.body, /swagger-ui/i)
  const live = await app.inject('/openapi.json')
  t.equal(live.statusCode, 200)
  t.same(live.json(), JSON.parse(readFileSync(committedPath, 'utf8')))
})

t.test('problem examples in the document use the configured PROBLEM_TYPE_BASE', async (t) => {
  const app = await testApp({ PROBLEM_TYPE_BASE: 'https://errors.lbx.gov.uk/problems/' })
  t.teardown(() => app.close())
  const text = (await app.inject('/openapi.json')).body
  t.notMatch(text, /procurement-route-advisor\.example\/problems/, 'no example keeps the default base')
  const doc = JSON.parse(text)
  const example = doc.paths['/v1/recommendations'].post.responses['401'].content['application/problem+json'].example
  t.equal(example.type, 'https://errors.lbx.gov.uk/problems/unauthorized')
  const batch = (await app.inject('/examples/recommendProceduresBatch.200.json')).json()
  t.equal(batch.results[3].problem.type, 'https://errors.lbx.gov.uk/problems/not-covered', 'the served fixtures, nested problems too')
})

t.test('shared shapes are named components, referenced rather than repeated', async (t) => {
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  for (const name of ['Reason', 'Recommendation', 'NotRecommended', 'Warning', 'LegalRoute', 'LegalRouteRef', 'RaciMatrix']) {
    t.ok(doc.components.schemas[name], `components.schemas.${name}`)
  }
  t.same(doc.components.schemas.Procedure.properties.routes.properties.pa2023, { $ref: '#/components/schemas/LegalRoute' })
  t.same(doc.components.schemas.Recommendation.properties.reasons.items, { $ref: '#/components/schemas/Reason' })
})

t.test('the documented plan examples are what the service answers', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  const op = doc.paths['/v1/plans'].post
  const examples: Record<string, { value: unknown }> = op.requestBody.content['application/json'].examples
  t.same(Object.keys(examples), ['default', 'known', 'psr'])
  const res = await app.inject({ method: 'POST', url: '/v1/plans', payload: examples.default!.value as object })
  t.equal(res.statusCode, 200)
  const documented = await documentedAnswer(app, op.responses['200'].content['application/json'])
  t.same({ ...res.json(), generatedAt: undefined }, { ...documented, generatedAt: undefined })
  for (const name of ['known', 'psr']) {
    const r = await app.inject({ method: 'POST', url: '/v1/plans', payload: examples[name]!.value as object })
    t.equal(r.statusCode, 200, name)
  }
  const bad = await documentedAnswer(app, op.responses['400'].content['application/problem+json'])
  t.equal(bad.errors[0].pointer, '/procedureId')
  // The calendar is asked for with Accept, not listed under content (a generated client types the
  // 200 as the plan): its documented answer is linked from the description.
  t.same(Object.keys(op.responses['200'].content), ['application/json'])
  t.match(
    op.responses['200'].description,
    'What the service answers as text/calendar: [planProcurement.200.ics](examples/planProcurement.200.ics).'
  )
  const calendar = (await app.inject(served('examples/planProcurement.200.ics'))).body
  t.match(calendar, /^BEGIN:VCALENDAR\r\n/)
  t.match(calendar, /SUMMARY:LBX-2026-031: Tender notice \(UK4\)/)
})

t.test('the documented answers are served read-only where externalValue resolves, public like /openapi.json', async (t) => {
  const app = await testApp({ API_KEYS: `lb-hackney:sha256:${'a'.repeat(64)}` })
  t.teardown(() => app.close())
  const doc = JSON.parse(readFileSync(committedPath, 'utf8'))
  const external: string[] = []
  for (const methods of Object.values<Record<string, any>>(doc.paths)) {
    for (const op of Object.values<any>(methods)) {
      for (const response of Object.values<any>(op.responses)) {
        for (const media of Object.values<any>(response.content ?? {})) {
          for (const ex of Object.values<any>(media.examples ?? {})) if (ex.externalValue) external.push(ex.externalValue)
        }
      }
    }
  }
  // The calendar's answer is linked from its description (the representation is not under content).
  external.push('examples/planProcurement.200.ics')
  t.equal(external.length, 15, 'every answer that depends on the law is an externalValue, or linked')
  for (const ref of external) {
    const file = readFileSync(new URL(ref, committedPath), 'utf8')
    // From /openapi.json, and from /docs/json, the copy Swagger UI reads.
    for (const base of ['http://localhost/openapi.json', 'http://localhost/docs/json']) {
      const res = await app.inject(new URL(ref, base).pathname)
      t.equal(res.statusCode, 200, `${ref} from ${base} is served without an API key`)
      t.equal(res.body, file, `${ref} from ${base} is the committed file`)
    }
  }
  const report = await app.inject('/examples/recommendProcedures.200.json')
  t.equal(report.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(report.json().recommendations[0].procedureId, 'competitive-dialogue')
  const problem = await app.inject('/docs/examples/recommendProcedures.422.json')
  t.equal(problem.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(problem.json().code, 'PRA_ERR_NOT_COVERED')
  t.equal((await app.inject('/examples/planProcurement.200.ics')).headers['content-type'], 'text/calendar; charset=utf-8')
  t.equal((await app.inject('/examples/nothing.200.json')).statusCode, 404, 'only the fixtures')
  t.equal((await app.inject('/examples/..%2F..%2Fpackage.json')).statusCode, 404, 'no other file')
  t.equal((await app.inject({ method: 'DELETE', url: '/examples/recommendProcedures.200.json' })).statusCode, 405, 'read-only')
})

t.test('the document holds no answer of the law: no ruleset version, no threshold amount', async (t) => {
  const text = readFileSync(committedPath, 'utf8')
  const thresholds = JSON.parse(readFileSync(new URL('../openapi/examples/listThresholds.200.json', import.meta.url), 'utf8'))
  t.notMatch(text, thresholds.rulesetVersion, 'the ruleset version of the catalogue')
  t.notMatch(text, /"amount": 207720\b/, 'the goods and services threshold of 2026')
})
