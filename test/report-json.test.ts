// serializeReport / serializeBatch (src/projections/report-json.ts) write the same bytes as the
// schema serializer Fastify builds for the routes' response schemas (fast-json-stringify, through
// @fastify/fast-json-stringify-compiler, with the service's shared schemas), on thousands of
// generated profiles that reach every optional part of a report; and the routes answer with them.
import t from 'tap'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import Type from 'typebox'
import type { BatchResponse } from '../schemas/batch.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import type { RecommendationReport } from '../schemas/report.js'
import { SHARED_SCHEMAS } from '../src/app.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import { batchJson, serializeBatch, serializeReport } from '../src/projections/report-json.js'
import { compactReport } from '../src/projections/report.js'
import { testApp } from './helpers/app.js'
import { healthCareFacts, nowInRange, validProfile, validProfileWithArrangements } from './helpers/arbitraries.js'

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000)
const engine = createRecommender(loadCatalogue())

// The serializers Fastify compiles for the routes' 200 responses (routes/v1/recommendations.ts).
const externalSchemas = Object.fromEntries(SHARED_SCHEMAS.map((s) => [(s as unknown as { $id: string }).$id, s]))
const compile = SerializerSelector()(externalSchemas, {})
const schemaSerializer = {
  report: compile({ schema: Type.Ref('RecommendationReport'), method: 'POST', url: '/v1/recommendations', httpStatus: '200' }),
  batch: compile({ schema: Type.Ref('BatchResponse'), method: 'POST', url: '/v1/recommendations/batch', httpStatus: '200' })
} as Record<'report' | 'batch', (value: unknown) => string>

/** Profiles put in the Provider Selection Regime's reach (a Sch 1 code, healthCare given): every PSR process. */
const inPsrReach = fc.tuple(validProfileWithArrangements, healthCareFacts).map(([profile, healthCare]): ProcurementProfile => {
  const { categories: _c, concession: _k, utilities: _u, ...contract } = profile.contract
  const start = profile.constraints?.startDate
  return {
    ...profile,
    authorityType: 'sub-central',
    contract: { ...contract, type: 'services', cpvCodes: ['85100000-0'] },
    constraints: { ...profile.constraints, startDate: start !== undefined && start >= '2024-01-01' ? start : '2026-03-02' },
    healthCare
  }
})

/** Profiles with a broad main code no category settles: the report carries `alternatives`. */
const broadCode = fc
  .tuple(validProfileWithArrangements, fc.constantFrom('85000000-9', '85000000'))
  .map(([profile, code]): ProcurementProfile => {
    const { categories: _c, ...contract } = profile.contract
    return { ...profile, contract: { ...contract, type: 'services', cpvCodes: [code] } }
  })

const anyProfile = fc.oneof(
  { weight: 3, arbitrary: validProfile },
  { weight: 3, arbitrary: validProfileWithArrangements },
  { weight: 1, arbitrary: inPsrReach },
  { weight: 1, arbitrary: broadCode }
)

t.test('a report: the same bytes as the schema serializer, every optional part reached', async (t) => {
  const seen = { reports: 0, refused: 0, reference: 0, alternatives: 0, agreement: 0, concession: 0, processes: 0, openEnded: 0 }
  const mismatches: string[] = []
  fc.assert(
    fc.property(anyProfile, nowInRange, (profile, now) => {
      const result = engine.recommend(profile, now)
      if (!result.ok) {
        seen.refused++
        return
      }
      const r: RecommendationReport = result.report
      seen.reports++
      if (r.reference !== undefined) seen.reference++
      if (r.alternatives) seen.alternatives++
      if (r.agreement) seen.agreement++
      if (r.concession) seen.concession++
      if (r.recommendations.some((x) => x.processes)) seen.processes++
      if (r.value.threshold.effectiveTo === null) seen.openEnded++
      // The full report and its compact view (?view=compact) alike.
      for (const view of [r, compactReport(r)]) {
        const expected = schemaSerializer.report(view)
        const actual = serializeReport(view)
        if (actual !== expected && mismatches.length < 3) {
          mismatches.push(`${JSON.stringify(profile)}\n  expected ${expected}\n  actual   ${actual}`)
        }
      }
    }),
    { numRuns: RUNS * 4 }
  )
  t.same(mismatches, [], 'no report serialized differently')
  t.ok(seen.reports >= RUNS * 2, `${seen.reports} reports compared (${seen.refused} profiles refused)`)
  for (const part of ['reference', 'alternatives', 'agreement', 'concession', 'processes', 'openEnded'] as const) {
    t.ok(seen[part] > 0, `${seen[part]} reports with ${part}`)
  }
})

t.test('a batch, with problems among the reports: the same bytes as the schema serializer', async (t) => {
  const mismatches: string[] = []
  fc.assert(
    fc.property(fc.array(anyProfile, { minLength: 1, maxLength: 8 }), nowInRange, (profiles, now) => {
      const batch: BatchResponse = {
        results: profiles.map((profile, index) => {
          const result = engine.recommend(profile, now)
          if (result.ok) return { index, status: 200, report: result.report }
          const { pointer, message } = result.error
          return {
            index,
            status: 422,
            problem: {
              type: 'https://example.test/problems/not-covered',
              title: 'Not covered',
              status: 422,
              detail: message,
              instance: 'urn:uuid:00000000-0000-4000-8000-000000000000',
              code: 'PRA_ERR_NOT_COVERED',
              errors: [{ pointer: `/profiles/${index}${pointer}`, in: 'body', message }]
            }
          }
        })
      }
      const expected = schemaSerializer.batch(batch)
      if (serializeBatch(batch) !== expected && mismatches.length < 3) mismatches.push(expected)
    }),
    { numRuns: RUNS / 4 }
  )
  t.same(mismatches, [])
})

t.test('a batch is written one chunk a result, the envelope with the first and the last', async (t) => {
  const results: BatchResponse['results'] = [0, 1, 2].map((index) => ({
    index,
    status: 422,
    problem: { type: 'https://example.test/p', title: 'Not covered £', status: 422, detail: `profile ${index}`, instance: 'urn:x' }
  }))
  const text = (r: (typeof results)[number]) => JSON.stringify(r)
  const chunks = [...batchJson(results[Symbol.iterator](), 3)].map((c) => c.toString('utf8'))
  t.same(chunks, [`{"results":[${text(results[0]!)}`, `,${text(results[1]!)}`, `,${text(results[2]!)}]}`])
  t.same(
    [...batchJson(results.slice(0, 1)[Symbol.iterator](), 1)].map((c) => c.toString('utf8')),
    [`{"results":[${text(results[0]!)}]}`],
    'one result: one chunk'
  )
  t.equal(serializeBatch({ results }), JSON.stringify({ results }), 'the chunks joined are the whole text')
  t.equal(
    Buffer.concat([...batchJson(results[Symbol.iterator](), 3)]).length,
    Buffer.byteLength(JSON.stringify({ results })),
    'UTF-8 bytes'
  )
  t.throws(() => [...batchJson(results.slice(0, 2)[Symbol.iterator](), 3)], /2 results of 3/, 'fewer results than announced')
})

t.test('the routes answer with those bytes: re-serializing the parsed answer with the schema changes nothing', async (t) => {
  const key = 'report-json-test-key-0123456789'
  const app = await testApp({ API_KEYS: `test:sha256:${createHash('sha256').update(key).digest('hex')}` })
  t.teardown(() => app.close())
  const headers = { authorization: `Bearer ${key}` }
  const profiles = fc.sample(anyProfile, { numRuns: 200, seed: 18 })
  let reports = 0
  for (const profile of profiles) {
    const res = await app.inject({ method: 'POST', url: '/v1/recommendations', headers, payload: profile })
    if (res.statusCode !== 200) continue
    reports++
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    if (res.body !== schemaSerializer.report(JSON.parse(res.body))) t.fail(`report of ${JSON.stringify(profile)}`)
  }
  t.ok(reports > 100, `${reports} reports over HTTP`)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/recommendations/batch',
    headers,
    payload: { profiles: [...profiles.slice(0, 30), { contract: { type: 'goods', estimatedValue: -1 } }] }
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().results.at(-1).status, 400, 'an invalid profile in the batch')
  t.equal(res.body, schemaSerializer.batch(JSON.parse(res.body)), 'the batch')
})
