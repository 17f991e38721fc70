// Access control as an attacker would try it: a real server process with API_KEYS set, raw TCP
// sockets (the request line goes out exactly as written), and every protected path spelled in
// every way a router or proxy might read differently. No spelling may get a 2xx without a key;
// every spelling the router does accept (it answers 2xx with the key) gets 401 without it; and
// every spelling counts against the same rate limits.
import t from 'tap'
import { createHash } from 'node:crypto'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { rawRequest } from './helpers/raw-http.js'

const KEY = 'access-control-test-key-0123456789'
const API_KEYS = `lb-hackney:sha256:${createHash('sha256').update(KEY).digest('hex')}`

interface Endpoint {
  method: 'GET' | 'POST'
  path: string
  query?: string
  body?: string
}

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/v1/procedures' },
  { method: 'GET', path: '/v1/procedures/open-tender' },
  { method: 'GET', path: '/v1/thresholds', query: '?date=2026-01-01' },
  { method: 'POST', path: '/v1/recommendations', body: JSON.stringify(PROFILE_EXAMPLE) },
  { method: 'POST', path: '/v1/recommendations/batch', body: JSON.stringify({ profiles: [PROFILE_EXAMPLE] }) }
]

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`

/** The ways of writing `path` that some component (router, proxy, cache) might read as it. */
function spellings(path: string, port: number): string[] {
  const out = new Set<string>([path])
  const rest = path.slice('/v1'.length) // "/procedures..."
  // Each letter, digit and hyphen percent-encoded on its own, in upper and lower case hex; all at once.
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i)
    if (!/[a-z0-9-]/i.test(c)) continue
    out.add(path.slice(0, i) + hex(c) + path.slice(i + 1))
    out.add(path.slice(0, i) + hex(c).toLowerCase() + path.slice(i + 1))
  }
  out.add(path.replace(/[a-z0-9-]/gi, hex))
  out.add(`/%2576${path.slice(2)}`) // double encoding of the "v"
  // Doubled and trailing slashes.
  out.add(`/${path}`)
  out.add(`${path}/`)
  out.add(`${path}//`)
  for (let i = 1; i < path.length; i++) if (path[i] === '/') out.add(`${path.slice(0, i)}/${path.slice(i)}`)
  // Dot segments, plain and encoded.
  out.add(`/.${path}`)
  out.add(`/v1/.${rest}`)
  out.add(`/v1/x/..${rest}`)
  out.add(`/x/..${path}`)
  out.add(`${path}/.`)
  out.add(`${path}/x/..`)
  out.add(`/v1/%2e${rest}`)
  out.add(`/v1/x/%2e%2e${rest}`)
  out.add(`/%2e%2e${path}`)
  // Case.
  out.add(path.toUpperCase())
  out.add(`/V1${rest}`)
  out.add(`/v1${rest.toUpperCase()}`)
  // Absolute-form request targets (RFC 9112 3.2.2).
  out.add(`http://127.0.0.1:${port}${path}`)
  out.add(`http://localhost${path}`)
  out.add(`HTTP://127.0.0.1${path}`)
  out.add(`https://127.0.0.1${path}`)
  out.add(`http://user:pass@127.0.0.1${path}`)
  out.add(`http://127.0.0.1:${port}/%761${rest}`)
  // Matrix (;) parameters.
  out.add(`${path};`)
  out.add(`${path};x=1`)
  out.add(`/v1;x=1${rest}`)
  out.add(`/v1;${rest}`)
  // Encoded slashes and backslashes.
  out.add(`/v1%2F${rest.slice(1)}`)
  out.add(`/v1%2f${rest.slice(1)}`)
  out.add(path.replace(/\//g, '%2F'))
  out.add(`/v1\\${rest.slice(1)}`)
  out.add(`/v1%5C${rest.slice(1)}`)
  // Query, fragment and odd bytes.
  out.add(`${path}?`)
  out.add(`${path}?x=1`)
  out.add(`${path}#x`)
  out.add(`${path}%3F`)
  out.add(`${path}%23x`)
  out.add(`${path}%00`)
  out.add(`${path}%20`)
  out.add(`/%C0%AFv1${rest}`)
  return [...out]
}

function head(method: string, target: string, key?: string, json = false): string {
  return [
    `${method} ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...(key ? [`Authorization: Bearer ${key}`] : []),
    ...(json ? ['Content-Type: application/json'] : [])
  ].join('\r\n')
}

async function send(server: ServerProcess, endpoint: Endpoint, method: string, target: string, key?: string) {
  const res = await rawRequest(
    server.port,
    head(method, target, key, endpoint.body !== undefined),
    method === 'POST' ? (endpoint.body ?? '') : ''
  )
  return res.status
}

t.test('no spelling of a protected path reaches it without a key', async (t) => {
  const server = await startServer({ API_KEYS, AUTH_FAILURE_LIMIT: '1000000' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })

  let tried = 0
  const reachedWithKey: string[] = []
  const breaches: string[] = []
  const notRefused: string[] = []
  for (const endpoint of ENDPOINTS) {
    const methods = endpoint.method === 'GET' ? ['GET', 'HEAD'] : ['POST']
    for (const spelling of spellings(endpoint.path, server.port)) {
      const target = spelling.includes('?') || spelling.includes('#') ? spelling : `${spelling}${endpoint.query ?? ''}`
      for (const method of methods) {
        tried++
        const withKey = await send(server, endpoint, method, target, KEY)
        const without = await send(server, endpoint, method, target)
        const wrongKey = await send(server, endpoint, method, target, 'not-the-key')
        if (without < 300 || wrongKey < 300) breaches.push(`${method} ${target}: ${without} without a key, ${wrongKey} with a wrong key`)
        if (withKey >= 200 && withKey < 300) {
          reachedWithKey.push(`${method} ${target}`)
          if (without !== 401 || wrongKey !== 401) notRefused.push(`${method} ${target}: ${without} / ${wrongKey}`)
        }
      }
    }
  }
  t.comment(`${tried} spellings and methods tried; ${reachedWithKey.length} reach a route with the key`)
  t.same(breaches, [], 'no 2xx without a valid key, whatever the spelling')
  t.same(notRefused, [], 'every spelling that reaches a route with the key is a 401 without one')
  // The router does decode these (the original bypass), so the check above is not vacuous.
  for (const reached of [
    'GET /v1/procedures',
    'GET /%761/procedures',
    'HEAD /v1/procedures/open-tender',
    'GET /v1/procedures/open%2Dtender',
    `GET http://127.0.0.1:${server.port}/v1/procedures`,
    'POST /v1/recommendations',
    'POST /v1/recommendations/batch',
    'GET /v1/thresholds?date=2026-01-01'
  ]) {
    t.ok(reachedWithKey.includes(reached), `${reached} reaches its route with the key`)
  }
  t.ok(tried > 400, `many spellings tried (${tried})`)
})

t.test('unknown paths and wrong methods under /v1 also need the key', async (t) => {
  const server = await startServer({ API_KEYS, AUTH_FAILURE_LIMIT: '1000000' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const cases: [string, string, number, number][] = [
    ['GET', '/v1/no-such-thing', 401, 404],
    ['GET', '/%761/no-such-thing', 401, 404],
    ['DELETE', '/v1/procedures', 401, 405],
    ['POST', '/v1/procedures', 401, 405]
  ]
  for (const [method, target, without, withKey] of cases) {
    t.equal((await rawRequest(server.port, head(method, target))).status, without, `${method} ${target} without a key`)
    t.equal((await rawRequest(server.port, head(method, target, KEY))).status, withKey, `${method} ${target} with the key`)
  }
  for (const target of ['/health/live', '/health/ready', '/docs/', '/openapi.json']) {
    t.equal((await rawRequest(server.port, head('GET', target))).status, 200, `${target} stays public`)
  }
  const res = await rawRequest(server.port, head('GET', '/%761/procedures'))
  t.equal(res.headers['www-authenticate'], 'Bearer realm="procurement-route-advisor"')
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(JSON.parse(res.body.toString()).code, 'PRA_ERR_UNAUTHORIZED')
})

t.test('every spelling counts against the same per-client limit and the same failed-key limit', async (t) => {
  const server = await startServer({ API_KEYS, RATE_LIMIT_MAX: '4', AUTH_FAILURE_LIMIT: '3' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const targets = [
    '/v1/procedures',
    '/%761/procedures',
    `http://127.0.0.1:${server.port}/v1/procedures`,
    '/v1/%70rocedures',
    '/v1/procedures'
  ]
  const withKey: number[] = []
  for (const target of targets) withKey.push((await rawRequest(server.port, head('GET', target, KEY))).status)
  t.same(withKey, [200, 200, 200, 200, 429], 'the fifth request of the client is limited, whatever the spellings')
  const guesses: number[] = []
  for (const target of targets) guesses.push((await rawRequest(server.port, head('GET', target, 'guess'))).status)
  t.same(guesses, [401, 401, 401, 429, 429], 'the fourth failed key check from the address is limited, whatever the spellings')
})
