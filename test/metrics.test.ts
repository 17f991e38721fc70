// Prometheus metrics: a known set of requests over real sockets, and exactly those counts in the
// service's own series; the Node and HTTP series; never public by default.
import { testSigner } from './helpers/chain-signer.js'
import t from 'tap'
import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { openDecisionStore } from '../src/store/records.js'
import { openSqlite } from '../src/store/sqlite.js'
import { testApp, untilShedding } from './helpers/app.js'
import { freePort, ownSamples, parseMetrics } from './helpers/metrics.js'

const KEY_A = 'metrics-test-key-a-0123456789abcdef'
const KEY_B = 'metrics-test-key-b-0123456789abcdef'
const sha = (k: string) => createHash('sha256').update(k).digest('hex')
const API_KEYS = `lb-hackney:sha256:${sha(KEY_A)},lb-camden:sha256:${sha(KEY_B)}`
const TOKEN = 'scrape-token-0123456789abcdef'

// One profile per regime, with the rank-1 procedure the scenarios pin (test/scenarios/).
const PA2023 = {
  title: 'Laptops for social workers',
  contract: { type: 'goods', estimatedValue: 450000, cpvCodes: ['30213100-6'] },
  constraints: { startDate: '2026-12-01' }
}
const PCR2015 = {
  title: 'Library management system support',
  contract: { type: 'services', estimatedValue: 300000, cpvCodes: ['72267000-4'] },
  constraints: { startDate: '2025-02-23' }
}
const PSR2023 = {
  title: 'Sexual health clinic services',
  contract: { type: 'services', estimatedValue: 2400000, cpvCodes: ['85100000-0'], durationMonths: 60 },
  constraints: { startDate: '2026-04-01' }
}
const UTILITIES = { contract: { type: 'goods', estimatedValue: 450000, utilities: true } }

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

async function send(url: string, key: string | undefined, body?: unknown): Promise<number> {
  const headers: Record<string, string> = {}
  if (key !== undefined) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  await res.arrayBuffer()
  return res.status
}

t.test('the service counts exactly the requests it was sent', async (t) => {
  const port = await freePort()
  const store = await openDecisionStore(openSqlite(mkdtempSync(join(tmpdir(), 'metrics-'))), { signer: testSigner() })
  const app = await testApp({ API_KEYS, RATE_LIMIT_MAX: 12, METRICS_PORT: port, HOST: '127.0.0.1' }, { store })
  t.teardown(() => app.close())
  const base = await listen(app)
  const statuses: number[] = []
  const push = async (status: Promise<number>) => statuses.push(await status)

  // lb-hackney: 3 reports under the Act and 1 under the PCR one by one, then a batch with one
  // more under the PCR and one under the PSR; a utilities contract (422, engine run, no report);
  // an invalid profile (400, never reaches the engine); 2 decision records. 9 requests.
  for (let i = 0; i < 3; i++) await push(send(`${base}/v1/recommendations`, KEY_A, PA2023))
  await push(send(`${base}/v1/recommendations`, KEY_A, PCR2015))
  await push(send(`${base}/v1/recommendations/batch`, KEY_A, { profiles: [PCR2015, PSR2023] }))
  await push(send(`${base}/v1/recommendations`, KEY_A, UTILITIES))
  await push(send(`${base}/v1/recommendations`, KEY_A, { contract: { type: 'goods' } }))
  const decision = { profile: PA2023, procedureId: 'open-tender', decidedBy: { name: 'Head of Procurement', role: 'cio-cdo' } }
  for (let i = 0; i < 2; i++) await push(send(`${base}/v1/decisions`, KEY_A, decision))
  // lb-camden: 12 allowed, then 3 refused (429).
  for (let i = 0; i < 15; i++) await push(send(`${base}/v1/procedures`, KEY_B))
  // 4 requests without a valid key (401).
  await push(send(`${base}/v1/procedures`, undefined))
  for (let i = 0; i < 3; i++) await push(send(`${base}/v1/procedures`, 'not-a-key'))

  t.same(statuses, [200, 200, 200, 200, 200, 422, 400, 201, 201, ...Array(12).fill(200), 429, 429, 429, 401, 401, 401, 401])

  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
  const samples = parseMetrics(await res.text())
  t.same(ownSamples(samples), {
    'pra_recommendations_total{regime="pa2023",procedure="open-tender"}': 3,
    'pra_recommendations_total{regime="pcr2015",procedure="open-tender"}': 2,
    'pra_recommendations_total{regime="psr2023",procedure="provider-selection-regime"}': 1,
    // 4 single profiles, 2 in the batch, the utilities contract and 2 decisions.
    pra_engine_duration_seconds_count: 9,
    pra_rate_limited_total: 3,
    pra_shed_total: 0,
    pra_unauthorized_total: 4,
    'pra_decision_writes_total{store="sqlite",outcome="ok"}': 2,
    'pra_decision_write_duration_seconds_count{store="sqlite"}': 2,
    // No record failed its check, and no client was over its quota (a labelled counter with no
    // sample yet is not listed).
    pra_decision_integrity_faults_total: 0,
    // Every answer was read.
    pra_unsent_response_bytes: 0
  })

  t.equal(samples.get('http_request_duration_seconds_count{method="POST",route="/v1/recommendations",status_code="200"}'), 4)
  t.equal(samples.get('http_request_duration_seconds_count{method="POST",route="/v1/recommendations/batch",status_code="200"}'), 1)
  t.equal(samples.get('http_request_duration_seconds_count{method="GET",route="/v1/procedures",status_code="429"}'), 3)
  t.equal(samples.get('http_request_duration_seconds_count{method="GET",route="/v1/procedures",status_code="401"}'), 4)
  t.equal(samples.get('http_requests_in_flight'), 0, 'the scrape itself is not a request of the service')
  for (const name of ['nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'process_resident_memory_bytes']) {
    t.ok((samples.get(name) ?? 0) > 0, `${name} is reported`)
  }

  // An unknown path is one series, whatever the path (no series per scanned URL).
  await send(`${base}/v1/no-such-${Date.now()}`, KEY_A)
  await send(`${base}/wp-admin/${Date.now()}`, undefined)
  const after = parseMetrics(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())
  t.equal(after.get('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}'), 2)
  t.notOk([...after.keys()].some((name) => name.includes('no-such') || name.includes('wp-admin')))
  t.equal((await fetch(`${base}/metrics`)).status, 404, 'with a metrics port, the main port has no /metrics')
  t.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404)
})

t.test('metrics are not served by default', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const base = await listen(app)
  t.equal((await fetch(`${base}/metrics`)).status, 404)
})

t.test('with METRICS_TOKEN alone, /metrics on the main port needs the token and is served while shedding', async (t) => {
  // Every request is shed: heap use is always above 1 byte.
  const app = await testApp({ METRICS_TOKEN: TOKEN, MAX_HEAP_USED_BYTES: 1, LOAD_SAMPLE_INTERVAL_MS: 5 })
  t.teardown(() => app.close())
  const base = await listen(app)
  await untilShedding(app)
  t.equal(await send(`${base}/v1/recommendations`, undefined, PROFILE_EXAMPLE), 503)
  t.equal(await send(`${base}/v1/procedures`, undefined), 503)
  t.equal(await send(`${base}/health/ready`, undefined), 503)

  const anonymous = await fetch(`${base}/metrics`)
  t.equal(anonymous.status, 401)
  t.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="metrics"')
  t.equal((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401)
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(res.status, 200)
  const samples = parseMetrics(await res.text())
  t.equal(samples.get('pra_shed_total'), 3)
  t.equal(samples.get('pra_unauthorized_total'), 2, 'the two scrapes without the right token')
})

t.test('a metrics port with a token needs the token too', async (t) => {
  const port = await freePort()
  const app = await testApp({ METRICS_PORT: port, METRICS_TOKEN: TOKEN, HOST: '127.0.0.1' })
  t.teardown(() => app.close())
  await listen(app)
  t.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401)
  t.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200)
})
