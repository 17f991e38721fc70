// Access control, limits, headers and load shedding, through the real app.
import t from 'tap'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { PROFILE_EXAMPLE, ProcurementProfileSchema } from '../schemas/profile.js'
import { DecisionRequestSchema } from '../schemas/decision.js'
import { ConfigError, defaultConfig, loadApiKeys } from '../src/config.js'
import { PROBLEM_BASE, testApp, untilShedding } from './helpers/app.js'

const KEY = 'test-key-for-hackney-0123456789'
const OTHER = 'test-key-for-camden-9876543210'
const sha = (k: string) => createHash('sha256').update(k).digest('hex')
const API_KEYS = `lb-hackney:sha256:${sha(KEY)},lb-camden:sha256:${sha(OTHER)}`

function capture(): { stream: Writable; lines: Record<string, unknown>[]; text: () => string } {
  const lines: Record<string, unknown>[] = []
  let raw = ''
  const stream = new Writable({
    write(chunk, _enc, cb) {
      raw += String(chunk)
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line))
      cb()
    }
  })
  return { stream, lines, text: () => raw }
}

t.test('API keys', async (t) => {
  const logs = capture()
  const app = await testApp({ API_KEYS, LOG_LEVEL: 'info' }, { logStream: logs.stream })
  t.teardown(() => app.close())

  await t.test('a missing key is 401 with WWW-Authenticate', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="procurement-route-advisor"')
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(res.json().type, `${PROBLEM_BASE}unauthorized`)
    t.equal(res.json().code, 'PRA_ERR_UNAUTHORIZED')
  })

  await t.test('an unknown key is 401 with error="invalid_token"', async (t) => {
    const res = await app.inject({ url: '/v1/procedures', headers: { authorization: 'Bearer not-a-key' } })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="procurement-route-advisor", error="invalid_token"')
    const basic = await app.inject({ url: '/v1/procedures', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } })
    t.equal(basic.statusCode, 401)
  })

  await t.test('a known key works as a bearer token or in X-API-Key', async (t) => {
    t.equal((await app.inject({ url: '/v1/procedures', headers: { authorization: `Bearer ${KEY}` } })).statusCode, 200)
    t.equal((await app.inject({ url: '/v1/procedures', headers: { 'x-api-key': OTHER } })).statusCode, 200)
  })

  await t.test('docs, the OpenAPI document and health are public', async (t) => {
    for (const url of ['/docs/', '/openapi.json', '/health/live', '/health/ready']) t.equal((await app.inject(url)).statusCode, 200, url)
  })

  await t.test('the client name is logged, the key and Authorization header never are', async (t) => {
    await app.inject({ url: '/v1/procedures/open-tender', headers: { authorization: `Bearer ${KEY}` } })
    await app.inject({ url: '/v1/procedures/open-tender', headers: { 'x-api-key': OTHER } })
    t.ok(
      logs.lines.some((l) => l.client === 'lb-hackney'),
      'client name in the logs'
    )
    t.ok(logs.lines.some((l) => l.client === 'lb-camden'))
    t.notMatch(logs.text(), new RegExp(KEY))
    t.notMatch(logs.text(), new RegExp(OTHER))
  })
})

t.test('with no keys configured the API is open and a warning says so', async (t) => {
  const logs = capture()
  const app = await testApp({ LOG_LEVEL: 'info' }, { logStream: logs.stream })
  t.teardown(() => app.close())
  t.equal((await app.inject('/v1/procedures')).statusCode, 200)
  const warning = logs.lines.find((l) => l.level === 40)
  t.match(String(warning?.msg), /No API keys are configured .*open/)
})

t.test('key configuration is validated and never holds the key itself', async (t) => {
  t.throws(
    () => loadApiKeys(defaultConfig({ API_KEYS: 'lb-hackney:plain-key' })),
    new ConfigError('Invalid configuration: API_KEYS entry 1 must be client:sha256:<64 hex digits>')
  )
  t.throws(() => loadApiKeys(defaultConfig({ API_KEYS: `a:sha256:${sha('x')},a:sha256:${sha('y')}` })), {
    message: /API_KEYS names client "a" twice/
  })
  const dir = mkdtempSync(join(tmpdir(), 'keys-'))
  const file = join(dir, 'keys')
  writeFileSync(file, `# borough keys\nlb-hackney:sha256:${sha(KEY)}\n\nlb-camden:sha256:${sha(OTHER)}\n`)
  const keys = loadApiKeys(defaultConfig({ API_KEYS_FILE: file }))
  t.same(
    keys.map((k) => [k.client, k.sha256.toString('hex')]),
    [
      ['lb-hackney', sha(KEY)],
      ['lb-camden', sha(OTHER)]
    ]
  )
  t.throws(() => loadApiKeys(defaultConfig({ API_KEYS_FILE: join(dir, 'missing') })), {
    message: /API_KEYS_FILE cannot be read \(ENOENT\)/
  })
})

t.test('rate limiting per client', async (t) => {
  const app = await testApp({ API_KEYS, RATE_LIMIT_MAX: 2, RATE_LIMIT_WINDOW_MS: 60000 })
  t.teardown(() => app.close())
  const hackney = { authorization: `Bearer ${KEY}` }
  t.equal((await app.inject({ url: '/v1/procedures', headers: hackney })).headers['x-ratelimit-remaining'], '1')
  t.equal((await app.inject({ url: '/v1/procedures', headers: hackney })).statusCode, 200)
  const limited = await app.inject({ url: '/v1/procedures', headers: hackney })
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '60')
  t.equal(limited.headers['x-ratelimit-limit'], '2')
  t.match(limited.headers['content-type'], /^application\/problem\+json/)
  t.same(
    { type: limited.json().type, status: limited.json().status, code: limited.json().code },
    { type: `${PROBLEM_BASE}rate-limited`, status: 429, code: 'PRA_ERR_RATE_LIMITED' }
  )
  t.equal(
    (await app.inject({ url: '/v1/procedures', headers: { 'x-api-key': OTHER } })).statusCode,
    200,
    'another client has its own allowance'
  )
  for (let i = 0; i < 5; i++) t.equal((await app.inject('/health/ready')).statusCode, 200, 'health is never rate limited')
})

t.test('body size limits: a profile is small, a batch may be larger', async (t) => {
  const app = await testApp({ BODY_LIMIT_BYTES: 4096, BATCH_BODY_LIMIT_BYTES: 262144 })
  t.teardown(() => app.close())
  const big = { ...PROFILE_EXAMPLE, title: 'x'.repeat(300) }
  const oversized = JSON.stringify({ ...PROFILE_EXAMPLE, reference: 'r', title: 'y'.repeat(5000) })
  const res = await app.inject({
    method: 'POST',
    url: '/v1/recommendations',
    headers: { 'content-type': 'application/json' },
    payload: oversized
  })
  t.equal(res.statusCode, 413)
  t.equal(res.json().type, `${PROBLEM_BASE}body-too-large`)
  t.match(res.json().detail, /4096 bytes/)
  const batch = await app.inject({
    method: 'POST',
    url: '/v1/recommendations/batch',
    payload: { profiles: Array.from({ length: 20 }, () => big) }
  })
  t.equal(batch.statusCode, 200, 'a 20-profile batch over the single-profile limit is accepted')
})

/** The security headers of every response, exactly: helmet 8's defaults without upgrade-insecure-requests. */
const EXPECTED_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
    "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0'
}

t.test('security headers on every response, Swagger UI still served', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const requests = [
    { url: '/docs/' },
    { url: '/docs/static/index.css' },
    { url: '/v1/procedures' },
    { url: '/health/live' },
    { url: '/no-such-route' },
    { url: '/v1/recommendations', method: 'POST' as const, payload: PROFILE_EXAMPLE },
    { url: '/v1/recommendations', method: 'POST' as const, payload: { contract: {} } }
  ]
  for (const request of requests) {
    const res = await app.inject(request)
    const label = `${request.method ?? 'GET'} ${request.url} (${res.statusCode})`
    for (const [name, value] of Object.entries(EXPECTED_SECURITY_HEADERS)) t.equal(res.headers[name], value, `${label}: ${name}`)
    t.equal(res.headers['x-powered-by'], undefined, `${label}: no x-powered-by`)
  }
  const js = await app.inject('/docs/static/swagger-ui-bundle.js')
  t.equal(js.statusCode, 200, 'the UI bundle is served locally')
})

t.test('CORS is off by default and follows the allow-list when configured', async (t) => {
  const closed = await testApp()
  t.teardown(() => closed.close())
  const none = await closed.inject({ url: '/v1/procedures', headers: { origin: 'https://evil.example' } })
  t.equal(none.headers['access-control-allow-origin'], undefined)
  const open = await testApp({ CORS_ORIGINS: 'https://procurement.hackney.gov.uk, https://eproc.camden.gov.uk' })
  t.teardown(() => open.close())
  const allowed = await open.inject({ url: '/v1/procedures', headers: { origin: 'https://eproc.camden.gov.uk' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://eproc.camden.gov.uk')
  const refused = await open.inject({ url: '/v1/procedures', headers: { origin: 'https://evil.example' } })
  t.equal(refused.headers['access-control-allow-origin'], undefined)
  const preflight = await open.inject({
    method: 'OPTIONS',
    url: '/v1/recommendations',
    headers: { origin: 'https://eproc.camden.gov.uk', 'access-control-request-method': 'POST' }
  })
  t.equal(preflight.statusCode, 204)
})

t.test('load shedding: 503 with Retry-After, readiness reports not ready, liveness stays up', async (t) => {
  // Heap use is always above 1 byte: every request is shed from the first sample on.
  const app = await testApp({ MAX_HEAP_USED_BYTES: 1, LOAD_SAMPLE_INTERVAL_MS: 5, SHED_RETRY_AFTER_S: 7 })
  t.teardown(() => app.close())
  await untilShedding(app)
  const shed = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE })
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '7')
  t.match(shed.headers['content-type'], /^application\/problem\+json/)
  t.equal(shed.json().type, `${PROBLEM_BASE}overloaded`)
  t.equal((await app.inject('/health/ready')).statusCode, 503)
  t.equal((await app.inject('/health/live')).statusCode, 200)
})

t.test('failed key checks are limited per address, so keys cannot be guessed at full speed', async (t) => {
  const app = await testApp({ API_KEYS, AUTH_FAILURE_LIMIT: 3 })
  t.teardown(() => app.close())
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    statuses.push((await app.inject({ url: '/v1/procedures', headers: { authorization: `Bearer guess-${i}` } })).statusCode)
  }
  t.same(statuses, [401, 401, 401, 429])
  const limited = await app.inject({ url: '/v1/procedures', headers: { authorization: 'Bearer guess-5' } })
  t.equal(limited.json().type, `${PROBLEM_BASE}rate-limited`)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After is set')
  t.equal(
    (await app.inject({ url: '/v1/procedures', headers: { authorization: `Bearer ${KEY}` } })).statusCode,
    200,
    'a valid key is not held back by the failures'
  )
})

t.test('every text and list a decision record stores from the request is bounded', async (t) => {
  // The fields of DecisionRequest (with the ProcurementProfile it refers to) that have no bound:
  // a string with neither enum nor maxLength, an array without maxItems.
  const unbounded: string[] = []
  const walk = (schema: Record<string, unknown>, at: string): void => {
    if (schema.$ref === 'ProcurementProfile') return walk(ProcurementProfileSchema as never, at)
    if (schema.type === 'string' && schema.enum === undefined && schema.maxLength === undefined) unbounded.push(`${at} (maxLength)`)
    if (schema.type === 'array') {
      if (schema.maxItems === undefined) unbounded.push(`${at} (maxItems)`)
      walk(schema.items as never, `${at}/0`)
    }
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      walk(property, `${at}/${name}`)
    }
  }
  walk(DecisionRequestSchema as never, '')
  t.same(unbounded, [])
})
