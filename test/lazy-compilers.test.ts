// Schemas compile on first use or in the background after listen (src/lazy-compilers.ts): each
// exactly once, whichever comes first, and requests are answered while the rest compile.
import { Writable } from 'node:stream'
import { test } from 'tap'
import { CompileQueue, lazyValidator } from '../src/lazy-compilers.js'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'

test('a queued compilation runs once: on first use, or in the warm-up, not both', async (t) => {
  const queue = new CompileQueue()
  const compiled: string[] = []
  const validator = (name: string) =>
    lazyValidator(queue, () => {
      compiled.push(name)
      const v = ((data: unknown) => data === name) as ReturnType<typeof lazyValidator>
      return v
    })
  const a = validator('a')
  const b = validator('b')
  const c = validator('c')
  t.equal(queue.size, 3)
  t.same(compiled, [], 'nothing compiles when declared')
  t.equal(b('b'), true)
  t.equal(b('x'), false)
  t.same(compiled, ['b'], 'first use compiles it, once')
  t.equal(await queue.warmUp(), 2, 'the warm-up compiles the two left')
  t.same(compiled, ['b', 'a', 'c'])
  t.equal(queue.size, 0)
  t.equal(a('a'), true)
  t.equal(c('c'), true)
  t.same(compiled, ['b', 'a', 'c'], 'nothing compiles twice')
  t.equal(await queue.warmUp(), 0)
})

test('a listening server compiles its schemas in the background and answers meanwhile', async (t) => {
  let compiledInBackground: (line: { count?: number }) => void = () => undefined
  const backgroundDone = new Promise<{ count?: number }>((resolve) => (compiledInBackground = resolve))
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      const line = JSON.parse(String(chunk)) as { msg?: string; count?: number }
      if (line.msg === 'schemas compiled in the background') compiledInBackground(line)
      done()
    }
  })
  // Load shedding off: what is tested is the order of compilation, which a busy machine (an
  // event-loop delay over the default bound) must not turn into a 503.
  const config = defaultConfig({ LOG_LEVEL: 'debug', MAX_EVENT_LOOP_DELAY_MS: 0, MAX_RSS_BYTES: 0 })
  const app = await buildApp(config, { store: null, logStream })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  // Sent at once, while the background compilation runs.
  const res = await fetch(`http://127.0.0.1:${port}/v1/recommendations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(PROFILE_EXAMPLE)
  })
  t.equal(res.status, 200)
  const report = (await res.json()) as { recommendations: { procedureId: string }[] }
  t.ok(report.recommendations.length > 0)
  const bad = await fetch(`http://127.0.0.1:${port}/v1/recommendations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contract: { type: 'goods' } })
  })
  t.equal(bad.status, 400)
  const problem = (await bad.json()) as { errors: { pointer: string }[] }
  t.same(
    problem.errors.map((e) => e.pointer),
    ['/contract/estimatedValue']
  )
  // The background compilation finishes by itself, however long a busy machine makes it take
  // (tap's timeout bounds the wait), and says how much it compiled.
  const done = await backgroundDone
  t.ok((done.count ?? 0) > 50, `it compiled the routes' schemas no request had needed (${done.count})`)
})
