import t from 'tap'
import { Writable } from 'node:stream'
import { readFileSync } from 'node:fs'
import { ConfigError, ConfigSchema, loadConfig } from '../src/config.js'
import { testApp } from './helpers/app.js'

t.test('configuration comes from the environment with defaults', async (t) => {
  const config = loadConfig({})
  t.equal(config.PORT, 3000)
  t.equal(config.HOST, '0.0.0.0')
  t.equal(config.LOG_LEVEL, 'info')
  t.same(loadConfig({ PORT: '8080', LOG_LEVEL: 'warn' }).PORT, 8080)
  t.equal(config.MAX_CONNECTIONS, 1024)
  t.equal(config.MAX_RSS_BYTES, 512 * 1024 * 1024, 'load shedding on memory is on by default')
  t.equal(loadConfig({ MAX_RSS_BYTES: '0' }).MAX_RSS_BYTES, 0, 'and can be turned off')
})

t.test('a bad value stops the start with a message naming the variable', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), new ConfigError('Invalid configuration: PORT must be integer'))
  t.throws(() => loadConfig({ PORT: '70000' }), { name: 'ConfigError', message: /PORT must be <= 65535/ })
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), {
    name: 'ConfigError',
    message: /LOG_LEVEL must be equal to one of the allowed values/
  })
  t.throws(() => loadConfig({ PROBLEM_TYPE_BASE: 'not a uri' }), { name: 'ConfigError', message: /PROBLEM_TYPE_BASE/ })
  t.throws(() => loadConfig({ MAX_CONNECTIONS: '0' }), { name: 'ConfigError', message: /MAX_CONNECTIONS must be >= 1/ })
  t.throws(() => loadConfig({ REDIS_URL: 'localhost:6379' }), { name: 'ConfigError', message: /REDIS_URL must match pattern/ })
  t.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), { name: 'ConfigError', message: /METRICS_TOKEN must match pattern/ })
  t.equal(loadConfig({ REDIS_URL: 'rediss://user:pw@redis.internal:6380/2' }).REDIS_URL, 'rediss://user:pw@redis.internal:6380/2')
})

t.test('with PostgreSQL, the store deadline leaves a request time for its 503 before the idle socket closes', async (t) => {
  const url = 'postgres://advisor@db.internal:5432/advisor'
  t.equal(loadConfig({ DATABASE_URL: url }).DATABASE_TIMEOUT_MS, 5000)
  t.equal(loadConfig({ DATABASE_URL: url, DATABASE_TIMEOUT_MS: '14000' }).DATABASE_TIMEOUT_MS, 14000)
  t.throws(
    () => loadConfig({ DATABASE_URL: url, DATABASE_TIMEOUT_MS: '14001' }),
    new ConfigError(
      'Invalid configuration: DATABASE_TIMEOUT_MS (14001) must be at least 1000 below CONNECTION_TIMEOUT_MS (15000), so that ' +
        'a request PostgreSQL does not answer gets its 503 before its connection is closed'
    )
  )
  t.throws(() => loadConfig({ DATABASE_URL: url, CONNECTION_TIMEOUT_MS: '5000' }), {
    name: 'ConfigError',
    message: /DATABASE_TIMEOUT_MS \(5000\)/
  })
  t.equal(loadConfig({ CONNECTION_TIMEOUT_MS: '2000' }).CONNECTION_TIMEOUT_MS, 2000, 'without PostgreSQL the deadline does not apply')
})

t.test('every variable is in the configuration guide, and only those', async (t) => {
  const guide = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8')
  const rows = [...guide.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1])
  t.same([...rows].sort(), Object.keys(ConfigSchema.properties).sort())
})

t.test('JSON logs carry the request id, which the response returns', async (t) => {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line))
      cb()
    }
  })
  const app = await testApp({ LOG_LEVEL: 'info' }, { logStream: stream })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/v1/procedures/open-tender', headers: { authorization: 'Bearer secret-key' } })
  const id = res.headers['x-request-id']
  const mine = lines.filter((l) => l.reqId === id)
  t.equal(mine.length, 1, 'one line per request, with its id')
  t.same(mine[0]?.res, { statusCode: 200 })
  t.equal((mine[0]?.req as { url: string }).url, '/v1/procedures/open-tender')
  t.ok(
    lines.filter((l) => l.req || l.res).every((l) => l.reqId === id),
    'every request log line has the request id'
  )
  t.notMatch(JSON.stringify(lines), /secret-key/, 'the Authorization header never reaches the logs')
})
