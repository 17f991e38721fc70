// Rate limits shared through Redis (REDIS_URL), with real server processes: two replicas on the
// shared Redis hold one client to the configured total; a replica whose private Redis hangs,
// dies and comes back keeps answering at once, holds the limits on its own meanwhile, and goes
// back to the shared counts by itself.
import t from 'tap'
import { createHash } from 'node:crypto'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { privateRedis, sharedRedis } from './helpers/redis.js'
import { parseMetrics } from './helpers/metrics.js'

const KEY_A = 'shared-limits-key-a-0123456789abcdef'
const KEY_B = 'shared-limits-key-b-0123456789abcdef'
const sha = (k: string) => createHash('sha256').update(k).digest('hex')
const API_KEYS = `lb-hackney:sha256:${sha(KEY_A)},lb-camden:sha256:${sha(KEY_B)}`
const METRICS_TOKEN = 'shared-limits-scrape-token-0123'

/** GET /v1/procedures/open-tender with a key; the status and how long the answer took. */
async function call(server: ServerProcess, key: string): Promise<{ status: number; ms: number }> {
  const started = performance.now()
  const res = await fetch(`${server.url}/v1/procedures/open-tender`, { headers: { authorization: `Bearer ${key}` } })
  await res.arrayBuffer()
  return { status: res.status, ms: performance.now() - started }
}

async function statuses(servers: ServerProcess[], key: string, count: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push((await call(servers[i % servers.length] as ServerProcess, key)).status)
  return out
}

async function readiness(server: ServerProcess): Promise<{ code: number; rateLimits?: string }> {
  const res = await fetch(`${server.url}/health/ready`)
  const { rateLimits } = (await res.json()) as { rateLimits?: string }
  return { code: res.status, rateLimits }
}

/** Polls until a condition holds (generous: the machine may be busy). */
async function poll(condition: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

/** Polls readiness until it reports where the limits are counted. */
const until = (server: ServerProcess, state: string) => poll(async () => (await readiness(server)).rateLimits === state)

const repeat = (status: number, n: number): number[] => Array<number>(n).fill(status)

t.test('two replicas on one Redis hold a client to the configured total', async (t) => {
  const redis = await sharedRedis(t)
  if (!redis) return
  const env = {
    API_KEYS,
    RATE_LIMIT_MAX: '10',
    AUTH_FAILURE_LIMIT: '4',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix
  }
  const replicas = [await startServer(env), await startServer(env)]
  t.teardown(() => replicas.forEach((r) => r.child.kill('SIGKILL')))
  for (const replica of replicas) t.same(await readiness(replica), { code: 200, rateLimits: 'redis' })

  t.same(await statuses(replicas, KEY_A, 14), [...repeat(200, 10), ...repeat(429, 4)], 'one client: 10 in all, not 10 per replica')
  t.same(await statuses(replicas, KEY_B, 3), repeat(200, 3), 'another client has its own allowance')
  t.same(await statuses(replicas, 'not-a-key', 6), [...repeat(401, 4), ...repeat(429, 2)], 'failed key checks: 4 in all')
})

t.test('a replica whose Redis hangs or dies keeps answering, limits on its own, and recovers by itself', async (t) => {
  const redis = await privateRedis(t)
  if (!redis) return
  const server = await startServer({
    API_KEYS,
    RATE_LIMIT_MAX: '5',
    AUTH_FAILURE_LIMIT: '3',
    REDIS_URL: redis.url,
    REDIS_TIMEOUT_MS: '200',
    METRICS_TOKEN
  })
  t.teardown(() => server.child.kill('SIGKILL'))
  t.same(await readiness(server), { code: 200, rateLimits: 'redis' })
  t.same(await statuses([server], KEY_A, 2), [200, 200])

  // A Redis that accepts connections but never answers: a check waits REDIS_TIMEOUT_MS, no more.
  redis.signal('SIGSTOP')
  const hung = await call(server, KEY_B)
  redis.signal('SIGCONT')
  t.equal(hung.status, 200)
  t.ok(hung.ms >= 150, `the check waited for Redis (${Math.round(hung.ms)} ms)`)
  t.ok(hung.ms < 3000, `but not longer than its timeout, give or take a busy machine (${Math.round(hung.ms)} ms)`)

  await redis.stop()
  t.ok(await until(server, 'redis-unavailable'), 'readiness reports Redis unavailable, and stays 200')
  t.equal((await readiness(server)).code, 200)
  const answers = []
  for (let i = 0; i < 7; i++) answers.push(await call(server, KEY_A))
  t.same(
    answers.map((a) => a.status),
    [...repeat(200, 5), 429, 429],
    'the client limit holds in the process (its count starts again there)'
  )
  const slowest = Math.max(...answers.map((a) => a.ms))
  t.ok(slowest < 3000, `every answer came at once (slowest ${Math.round(slowest)} ms)`)
  t.same(await statuses([server], 'not-a-key', 4), [401, 401, 401, 429], 'so does the failed-key limit')
  t.ok(await poll(() => server.output().includes('rate-limit store unavailable')), 'the outage is logged')

  await redis.start()
  t.ok(await until(server, 'redis'), 'readiness reports Redis again, without a restart')
  // The new Redis is empty: the client's shared count starts again.
  t.same(await statuses([server], KEY_A, 6), [...repeat(200, 5), 429])

  const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  const samples = parseMetrics(await scrape.text())
  t.equal(samples.get('pra_rate_limit_fallbacks_total{limit="client"}'), 8, 'the hung check and the 7 while Redis was down')
  t.equal(samples.get('pra_rate_limit_fallbacks_total{limit="auth-failure"}'), 4)
  t.equal(samples.get('pra_rate_limited_total'), 4)
})

t.test('readiness reports a Redis that hangs as unavailable, and up again when it answers', async (t) => {
  const redis = await privateRedis(t)
  if (!redis) return
  const server = await startServer({ REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200' })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = async () => {
    const res = await fetch(`${server.url}/health/ready`)
    const body = (await res.json()) as { rateLimits?: string; checks?: { redis?: unknown } }
    return { code: res.status, rateLimits: body.rateLimits, redis: body.checks?.redis }
  }
  t.same(await ready(), { code: 200, rateLimits: 'redis', redis: { status: 'up' } })

  // Stopped, it keeps its connection open: only an unanswered command shows it is gone.
  redis.signal('SIGSTOP')
  t.same(
    await ready(),
    { code: 200, rateLimits: 'redis-unavailable', redis: { status: 'unavailable', detail: 'did not answer within 200 ms' } },
    'unavailable, with no host name, and readiness stays 200'
  )
  redis.signal('SIGCONT')
  t.ok(await poll(async () => (await ready()).rateLimits === 'redis'), 'up again once Redis answers')
  t.same(await ready(), { code: 200, rateLimits: 'redis', redis: { status: 'up' } })
})
