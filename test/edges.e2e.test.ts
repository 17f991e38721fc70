// The edges of the service as a deployer and an integrator meet them, over raw sockets against a
// real server process: behind a proxy, errors before and around routing, logs, caching headers,
// request ids.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { defaultConfig, trustProxy } from '../src/config.js'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { rawRequest, type RawResponse } from './helpers/raw-http.js'

const PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'
const KEY = 'edges-test-key-0123456789abcdef'
const API_KEYS = `lb-hackney:sha256:${createHash('sha256').update(KEY).digest('hex')}`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function get(server: ServerProcess, target: string, headers: string[] = []): Promise<RawResponse> {
  return rawRequest(server.port, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers].join('\r\n'))
}
function post(
  server: ServerProcess,
  target: string,
  body: string | Buffer,
  headers: string[] = ['Content-Type: application/json']
): Promise<RawResponse> {
  return rawRequest(server.port, [`POST ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers].join('\r\n'), body)
}
const json = (res: RawResponse) => JSON.parse(res.body.toString('utf8')) as Record<string, unknown>

/** The log lines of the server so far, parsed. */
function logLines(server: ServerProcess): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** Waits (bounded) until a log line for the request id is written, and returns the lines for it. */
async function linesFor(server: ServerProcess, reqId: string): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const lines = logLines(server).filter((l) => l.reqId === reqId)
    if (lines.length > 0) return lines
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return []
}

/** Asserts an RFC 9457 problem with the security headers and a request id. */
function isProblem(t: Test, res: RawResponse, status: number, type: string, label: string): Record<string, unknown> {
  t.equal(res.status, status, `${label}: status ${status}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${label}: a problem`)
  const body = json(res)
  t.equal(body.type, `${PROBLEM_BASE}${type}`, `${label}: type ${type}`)
  t.equal(body.status, status, `${label}: status member`)
  t.match(res.headers['x-server-request-id'], UUID, `${label}: a request id`)
  t.equal(body.instance, `urn:uuid:${res.headers['x-server-request-id']}`, `${label}: the instance is the request id`)
  t.match(res.headers['content-security-policy'], /default-src 'self'/, `${label}: security headers`)
  t.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`)
  return body
}

t.test('TRUST_PROXY: off by default, a hop count or the proxies\' addresses; never "trust everyone"', async (t) => {
  t.equal(trustProxy(defaultConfig()), false)
  t.same(trustProxy(defaultConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.4' })), ['10.0.0.0/8', '192.168.1.4'])
  const hops = trustProxy(defaultConfig({ TRUST_PROXY: '2' })) as (address: string, hop: number) => boolean
  t.same([hops('10.0.0.1', 0), hops('10.0.0.1', 1), hops('10.0.0.1', 2)], [true, true, false])
  t.throws(() => trustProxy(defaultConfig({ TRUST_PROXY: 'true' })), {
    name: 'ConfigError',
    message: /TRUST_PROXY must be a hop count or the addresses of the proxies/
  })
  t.throws(() => trustProxy(defaultConfig({ TRUST_PROXY: 'proxy.internal' })), { message: /TRUST_PROXY entry "proxy.internal"/ })
})

t.test('behind a proxy, limits and logs see the client address; without TRUST_PROXY a forged header changes nothing', async (t) => {
  const behind = await startServer({ TRUST_PROXY: '1', RATE_LIMIT_MAX: '2' })
  const direct = await startServer({ RATE_LIMIT_MAX: '2' })
  t.teardown(() => {
    behind.child.kill('SIGKILL')
    direct.child.kill('SIGKILL')
  })
  const from = (address: string) => [`X-Forwarded-For: ${address}`]
  const statuses = async (server: ServerProcess, addresses: string[]) => {
    const out: number[] = []
    for (const address of addresses) out.push((await get(server, '/v1/procedures/open-tender', from(address))).status)
    return out
  }
  t.same(
    await statuses(behind, ['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.8']),
    [200, 200, 429, 200],
    'each client behind the proxy has its own allowance'
  )
  t.same(
    await statuses(direct, ['203.0.113.7', '203.0.113.8', '203.0.113.9']),
    [200, 200, 429],
    'without TRUST_PROXY the header is ignored: one allowance for the socket address'
  )

  const seen = await get(behind, '/health/live', from('198.51.100.23'))
  const line = (await linesFor(behind, String(seen.headers['x-server-request-id'])))[0]
  t.same(line?.req, { method: 'GET', url: '/health/live', remoteAddress: '198.51.100.23' }, 'the log line carries the client address')
  const forged = await get(direct, '/health/live', from('198.51.100.23'))
  t.equal(
    ((await linesFor(direct, String(forged.headers['x-server-request-id'])))[0]?.req as { remoteAddress: string }).remoteAddress,
    '127.0.0.1'
  )

  const keyed = await startServer({ API_KEYS, TRUST_PROXY: '127.0.0.1', AUTH_FAILURE_LIMIT: '2' })
  t.teardown(() => keyed.child.kill('SIGKILL'))
  const guesses: number[] = []
  for (const address of ['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.8']) {
    guesses.push((await get(keyed, '/v1/procedures', [...from(address), 'Authorization: Bearer guess'])).status)
  }
  t.same(guesses, [401, 401, 429, 401], 'the failed-key limit counts per client address behind the proxy')
})

t.test('every error is a problem with security headers and a request id, and is logged', async (t) => {
  const server = await startServer({ API_KEYS })
  t.teardown(() => server.child.kill('SIGKILL'))
  const auth = [`Authorization: Bearer ${KEY}`]

  const badUrl = await get(server, '/v1/procedures/%E0%A4%A', auth)
  isProblem(t, badUrl, 400, 'bad-url', 'malformed percent-encoding')
  t.equal(json(badUrl).code, 'PRA_ERR_BAD_URL')
  const logged = await linesFor(server, String(badUrl.headers['x-server-request-id']))
  t.same(
    logged.map((l) => [(l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode]),
    [['/v1/procedures/%E0%A4%A', 400]],
    'logged once, like any request'
  )

  isProblem(t, await get(server, `/v1/procedures?x=${'a'.repeat(9000)}`, auth), 414, 'uri-too-long', 'a 9 KB URL')
  isProblem(
    t,
    await get(server, `/v1/procedures?x=${'a'.repeat(20000)}`, auth),
    414,
    'uri-too-long',
    'a 20 KB URL (over the header limit too)'
  )
  isProblem(
    t,
    await get(server, '/v1/procedures', [...auth, `X-Padding: ${'a'.repeat(20000)}`]),
    431,
    'headers-too-large',
    '20 KB of headers'
  )
  isProblem(t, await get(server, `/v1/procedures/${'a'.repeat(150)}`, auth), 414, 'uri-too-long', 'an over-long path parameter')

  const body = JSON.stringify(PROFILE_EXAMPLE)
  const gz = await post(server, '/v1/recommendations', gzipSync(body), [
    ...auth,
    'Content-Type: application/json',
    'Content-Encoding: gzip'
  ])
  t.equal(isProblem(t, gz, 415, 'unsupported-content-encoding', 'a gzip body').code, 'PRA_ERR_UNSUPPORTED_ENCODING')
  isProblem(
    t,
    await post(server, '/v1/recommendations', body, [...auth, 'Content-Type: application/json; charset=iso-8859-1']),
    415,
    'unsupported-charset',
    'a latin-1 body'
  )
  t.equal(
    (await post(server, '/v1/recommendations', body, [...auth, 'Content-Type: application/json; charset=UTF-8'])).status,
    200,
    'charset=UTF-8 is fine'
  )
  const invalid = Buffer.concat([
    Buffer.from('{"contract":{"type":"goods","estimatedValue":1},"title":"caf'),
    Buffer.from([0xe9]),
    Buffer.from('"}')
  ])
  isProblem(
    t,
    await post(server, '/v1/recommendations', invalid, [...auth, 'Content-Type: application/json']),
    400,
    'invalid-utf8',
    'latin-1 bytes sent as UTF-8'
  )
  const utf8 = Buffer.from('{"contract":{"type":"goods","estimatedValue":1},"title":"café"}')
  t.equal((await post(server, '/v1/recommendations', utf8, [...auth, 'Content-Type: application/json'])).status, 200, 'real UTF-8 is fine')

  const statics: [string, number, string][] = [
    ['/docs/static/no-such-file.js', 404, 'not-found'],
    ['/docs/static/%', 400, 'bad-url'],
    ['/docs/static/%2e%2e/%2e%2e/package.json', 403, 'forbidden']
  ]
  for (const [target, status, type] of statics) {
    const res = await get(server, target)
    isProblem(t, res, status, type, target)
    t.not(json(res).type, `${PROBLEM_BASE}validation`, `${target}: not called a validation error`)
  }
})

t.test('a method a route does not have is 405 with Allow, whatever the Content-Type and body', async (t) => {
  const server = await startServer({ API_KEYS })
  t.teardown(() => server.child.kill('SIGKILL'))
  const auth = `Authorization: Bearer ${KEY}`
  const id = '0190b2f3-5c1e-7a4b-8c2d-3e4f5a6b7c8d'
  // [method, path, what the route allows]; a JSON Content-Type with no body, an empty body,
  // an invalid body, and no Content-Type at all must all get the same 405.
  const cases: [string, string, string][] = [
    ['DELETE', `/v1/decisions/${id}`, 'GET, HEAD'],
    ['PUT', `/v1/decisions/${id}`, 'GET, HEAD'],
    ['PATCH', `/v1/decisions/${id}`, 'GET, HEAD'],
    ['DELETE', '/v1/recommendations', 'POST'],
    ['PUT', '/v1/recommendations', 'POST']
  ]
  const bodies: [string, string[], string | null][] = [
    ['JSON type, no body', ['Content-Type: application/json'], null],
    ['JSON type, Content-Length: 0', ['Content-Type: application/json'], ''],
    ['JSON type, invalid JSON', ['Content-Type: application/json'], '{'],
    ['no Content-Type', [], null]
  ]
  for (const [method, path, allow] of cases) {
    for (const [label, headers, body] of bodies) {
      const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', auth, ...headers].join('\r\n')
      const res = await rawRequest(server.port, head, body)
      const problem = isProblem(t, res, 405, 'method-not-allowed', `${method} ${path}, ${label}`)
      t.equal(problem.code, 'PRA_ERR_METHOD_NOT_ALLOWED')
      t.equal(res.headers.allow, allow, `${method} ${path}, ${label}: Allow: ${allow}`)
    }
  }
  const unknown = await rawRequest(
    server.port,
    ['DELETE /v1/no-such-thing HTTP/1.1', 'Host: 127.0.0.1', auth, 'Content-Type: application/json'].join('\r\n'),
    ''
  )
  isProblem(t, unknown, 404, 'not-found', 'an unknown path with a JSON type and an empty body')
})

t.test('logs: one line per request, with client address and API client; query secrets redacted', async (t) => {
  const server = await startServer({ API_KEYS })
  t.teardown(() => server.child.kill('SIGKILL'))
  const res = await get(server, '/v1/thresholds?date=2026-01-01&key=SECRET-IN-QUERY', [
    `Authorization: Bearer ${KEY}`,
    'X-Request-Id: borough-trace-42'
  ])
  t.equal(res.status, 400, 'an unknown query parameter is still rejected')
  const lines = await linesFor(server, String(res.headers['x-server-request-id']))
  t.equal(lines.length, 1, 'one line for the request')
  t.same(lines[0]?.req, { method: 'GET', url: '/v1/thresholds?date=2026-01-01&key=[redacted]', remoteAddress: '127.0.0.1' })
  t.equal(lines[0]?.client, 'lb-hackney', 'the API client name')
  t.equal(lines[0]?.clientRequestId, 'borough-trace-42', "the caller's request id, for correlation")
  t.notMatch(server.output(), /SECRET-IN-QUERY/, 'the secret never reaches the logs')
  t.notMatch(server.output(), new RegExp(KEY), 'nor does the key')
})

t.test('caching: the catalogue has an ETag and answers 304; recommendations are no-store', async (t) => {
  const server = await startServer({ CORS_ORIGINS: 'https://eproc.hackney.gov.uk' })
  t.teardown(() => server.child.kill('SIGKILL'))
  for (const target of ['/v1/procedures', '/v1/procedures/open-tender', '/v1/thresholds?date=2026-01-01']) {
    const first = await get(server, target)
    t.equal(first.status, 200)
    t.equal(first.headers['cache-control'], 'private, max-age=300', `${target}: Cache-Control`)
    t.match(first.headers.etag, /^"[^"]+"$/, `${target}: ETag`)
    const again = await get(server, target, [`If-None-Match: ${first.headers.etag}`])
    t.equal(again.status, 304, `${target}: 304 to If-None-Match`)
    t.equal(again.body.length, 0, `${target}: no body with the 304`)
    t.equal((await get(server, target, ['If-None-Match: "stale"'])).status, 200, `${target}: another ETag gets the full answer`)
  }
  t.ok(Number((await get(server, '/v1/procedures')).headers['content-length']) > 100000, 'the catalogue is large: worth a 304')
  const rec = await post(server, '/v1/recommendations', JSON.stringify(PROFILE_EXAMPLE))
  t.equal(rec.status, 200)
  t.equal(rec.headers['cache-control'], 'no-store', 'a recommendation is never cached')
  t.equal((await get(server, '/v1/procedures/nope')).headers['cache-control'], 'no-store', 'nor is an error')
  const preflight = await rawRequest(
    server.port,
    [
      'OPTIONS /v1/recommendations HTTP/1.1',
      'Host: 127.0.0.1',
      'Origin: https://eproc.hackney.gov.uk',
      'Access-Control-Request-Method: POST'
    ].join('\r\n')
  )
  t.equal(preflight.status, 204)
  t.equal(preflight.headers['access-control-max-age'], '600', 'browsers may cache the preflight for 10 minutes')
})

t.test("a caller's x-request-id is echoed and logged, never the service's own id", async (t) => {
  const server = await startServer()
  t.teardown(() => server.child.kill('SIGKILL'))
  const a = await get(server, '/v1/procedures/nope', ['X-Request-Id: same-id'])
  const b = await get(server, '/v1/procedures/nope', ['X-Request-Id: same-id'])
  t.same([a.headers['x-request-id'], b.headers['x-request-id']], ['same-id', 'same-id'], 'echoed')
  t.not(json(a).instance, json(b).instance, 'two requests never share an identity')
  t.equal(json(a).instance, `urn:uuid:${a.headers['x-server-request-id']}`)
  const lines = await linesFor(server, String(a.headers['x-server-request-id']))
  t.equal(lines[0]?.clientRequestId, 'same-id')
  t.equal(lines[0]?.reqId, a.headers['x-server-request-id'])
})
