// REDIS_URL pointing at a Redis that is not there at start: the service starts at once, says so,
// and holds the limits in the process until Redis answers (test/shared-limits.e2e.test.ts has
// the real outages, with real processes).
import t from 'tap'
import { Writable } from 'node:stream'
import { testApp } from './helpers/app.js'
import { freePort } from './helpers/metrics.js'

t.test('a Redis that is not there at start: the service starts, and limits hold in the process', async (t) => {
  const port = await freePort()
  const lines: { level: number; msg: string; redis?: string }[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line))
      cb()
    }
  })
  const started = Date.now()
  const app = await testApp(
    { REDIS_URL: `redis://:secret-password@127.0.0.1:${port}`, RATE_LIMIT_MAX: 2, AUTH_FAILURE_LIMIT: 1, LOG_LEVEL: 'info' },
    { logStream: stream }
  )
  t.teardown(() => app.close())
  t.ok(Date.now() - started < 10000, 'start is not held up by the missing Redis')

  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().rateLimits, 'redis-unavailable')
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await app.inject('/v1/procedures/open-tender')).statusCode)
  t.same(statuses, [200, 200, 429])

  const outage = lines.find((l) => l.msg.startsWith('rate-limit store unavailable'))
  t.equal(outage?.level, 50)
  t.equal(outage?.redis, `redis://:***@127.0.0.1:${port}`, 'the password never reaches the log')
  t.notMatch(JSON.stringify(lines), /secret-password/)
})

t.test('without REDIS_URL the limits are counted in the process', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  t.equal((await app.inject('/health/ready')).json().rateLimits, 'memory')
})
