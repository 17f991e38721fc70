// What the largest valid requests and the costliest invalid ones get. The batch body limit is
// derived from the largest valid profile; size limits are checked before anything whose cost
// grows with the input; a problem lists at most 20 field errors. The worst bodies go to a real
// server process over raw sockets: each answer is small and /health/live is still answered.
// How long they take is measured by `npm run bench`, not asserted here.
import t from 'tap'
import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { DIRECT_AWARD_GROUND_IDS } from '../schemas/common.js'
import { CATEGORIES, PREVIOUS_PROCEDURES, PRIORITIES } from '../schemas/profile.js'
import { defaultConfig } from '../src/config.js'
import { asciiJson, largestValidBatch, largestValidProfile, worstBodies } from '../bench/worst-bodies.mjs'
import { testApp } from './helpers/app.js'
import { startServer } from './helpers/server-process.js'
import { rawRequest } from './helpers/raw-http.js'

const LISTS = {
  categories: CATEGORIES,
  priorities: PRIORITIES,
  directAwardGrounds: DIRECT_AWARD_GROUND_IDS,
  previousProcedures: PREVIOUS_PROCEDURES
}
const { BODY_LIMIT_BYTES, BATCH_BODY_LIMIT_BYTES } = defaultConfig()
const json = { 'content-type': 'application/json' }

t.test('the default batch limit is the size of 100 of the largest valid profiles', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const one = asciiJson(JSON.stringify(largestValidProfile(LISTS), null, 2))
  const single = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: json, payload: one })
  t.equal(single.statusCode, 200, 'the largest profile is valid')
  const batch = largestValidBatch(LISTS)
  const size = Buffer.byteLength(batch)
  t.equal(size, 866222, 'the largest valid batch, 2-space indented, non-ASCII escaped')
  t.ok(
    size <= BATCH_BODY_LIMIT_BYTES && BATCH_BODY_LIMIT_BYTES - size < 1024,
    `limit ${BATCH_BODY_LIMIT_BYTES} is that size rounded up to a KiB`
  )
  const res = await app.inject({ method: 'POST', url: '/v1/recommendations/batch', headers: json, payload: batch })
  t.equal(res.statusCode, 200)
  t.same(
    res.json().results.map((r: { status: number }) => r.status),
    Array(100).fill(200),
    'every profile of the largest valid batch is answered with a report'
  )
  const over = `${batch}${' '.repeat(BATCH_BODY_LIMIT_BYTES - size + 1)}`
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/recommendations/batch', headers: json, payload: over })).statusCode,
    413,
    'one byte more is 413'
  )
})

t.test('size limits come first; a problem lists 20 errors and counts the rest', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const contract = { type: 'services', estimatedValue: 1 }

  const longArray = await app.inject({
    method: 'POST',
    url: '/v1/recommendations',
    payload: { contract, priorities: [1, 1, 1, 1, 1, 1, 1, 1, 1], title: 7 }
  })
  t.equal(longArray.statusCode, 400)
  t.same(
    longArray.json().errors,
    [{ pointer: '/priorities', in: 'body', message: 'must NOT have more than 8 items' }],
    'an array over its maxItems is reported alone, its items unread'
  )

  const invalidItems = await app.inject({
    method: 'POST',
    url: '/v1/recommendations',
    payload: { contract, priorities: [1, 'speed', 'speed'] }
  })
  t.same(
    invalidItems.json().errors,
    [
      { pointer: '/priorities/0', in: 'body', message: `must be one of: ${PRIORITIES.join(', ')}` },
      { pointer: '/priorities', in: 'body', message: 'must NOT have duplicate items (items ## 2 and 1 are identical)' }
    ],
    'within the limit every item is checked: one message for a wrong item, duplicates named'
  )

  const unknown: Record<string, unknown> = { contract }
  for (let i = 0; i < 25; i++) unknown[`extra${String(i).padStart(2, '0')}`] = i
  const capped = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: unknown })
  t.equal(capped.statusCode, 400)
  t.equal(capped.json().detail, '25 fields at fault in the body; errors lists the first 20, moreErrors counts the other 5.')
  t.equal(capped.json().errors.length, 20)
  t.same(capped.json().errors[0], {
    pointer: '/extra00',
    in: 'body',
    message: 'is not a known field (unknown fields are rejected, not ignored)'
  })
  t.equal(capped.json().moreErrors, 5)

  for (let i = 25; i < 40; i++) unknown[`extra${i}`] = i
  const tooMany = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: unknown })
  t.same(
    tooMany.json().errors,
    [{ pointer: '', in: 'body', message: 'must NOT have more than 30 fields (unknown fields are rejected, not ignored)' }],
    'more unknown fields than a problem lists: one error'
  )
  t.equal(tooMany.json().moreErrors, undefined)

  const batch = await app.inject({
    method: 'POST',
    url: '/v1/recommendations/batch',
    payload: {
      profiles: [
        { ...unknown, extra25: undefined },
        { contract, priorities: Array(9).fill(1) }
      ]
    }
  })
  const [first, second] = batch.json().results
  t.equal(first.problem.moreErrors, undefined)
  t.same(
    second.problem.errors,
    [{ pointer: '/profiles/1/priorities', in: 'body', message: 'must NOT have more than 8 items' }],
    'the same limits for each profile of a batch'
  )
})

t.test('the worst bodies within the limits get small answers and never hold up other requests', async (t) => {
  const key = 'request-limits-test-key-0123456789'
  const server = await startServer({ API_KEYS: `lb-hackney:sha256:${createHash('sha256').update(key).digest('hex')}` })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const bodies = worstBodies({ bodyLimit: BODY_LIMIT_BYTES, batchBodyLimit: BATCH_BODY_LIMIT_BYTES })
  t.equal(bodies.length, 19)
  for (const { name, path, body } of bodies) {
    t.ok(Buffer.byteLength(body) <= (path.endsWith('batch') ? BATCH_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES), `${name}: within the body limit`)
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}`
    const order: string[] = []
    const worst = rawRequest(server.port, head, body).then((res) => {
      order.push('worst')
      return res
    })
    // Sent once the worst body is on its way.
    await new Promise((resolve) => setImmediate(resolve))
    const live = rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1').then((res) => {
      order.push('live')
      return res
    })
    const [res, health] = await Promise.all([worst, live])
    t.equal(health.status, 200, `${name}: /health/live answered`)
    t.comment(`${name}: ${Buffer.byteLength(body)} bytes in, ${res.body.length} out; answered first: ${order[0]}`)
    if (path.endsWith('batch')) {
      t.equal(res.status, 200, `${name}: a batch answers 200`)
      const results = JSON.parse(res.body.toString()).results as { status: number; problem: { errors: unknown[] } }[]
      t.ok(
        results.every((r) => r.status === 400 && r.problem.errors.length <= 20),
        `${name}: every profile a 400 problem with at most 20 errors`
      )
      const perProfile = res.body.length / results.length
      t.ok(perProfile < 4096, `${name}: ${Math.round(perProfile)} bytes of answer per profile`)
    } else {
      t.equal(res.status, 400, `${name}: 400`)
      t.ok(res.body.length < 4096, `${name}: a ${res.body.length}-byte problem`)
      t.ok(JSON.parse(res.body.toString()).errors.length <= 20)
    }
  }
})

t.test('a client still sending a body over the limit reads its 413; an endless body is cut off', async (t) => {
  const { LINGER_MAX_BYTES } = defaultConfig()
  const server = await startServer()
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })

  // 20 fetch (undici) clients at once, each sending 3 MB, 46 times the limit: the server answers
  // 413 after 64 KB and must read the rest rather than reset the connection under the client.
  const body = Buffer.alloc(3 * 1024 * 1024, ' ')
  body[0] = 0x7b
  const outcomes = await Promise.all(
    Array.from({ length: 20 }, () =>
      fetch(`${server.url}/v1/recommendations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        async (res) => `${res.status} ${res.headers.get('content-type')} ${((await res.json()) as { code: string }).code}`,
        (err: Error & { cause?: { code?: string } }) => `failed: ${err.cause?.code ?? err.message}`
      )
    )
  )
  t.same(
    outcomes,
    Array(20).fill('413 application/problem+json; charset=utf-8 FST_ERR_CTP_BODY_TOO_LARGE'),
    'all 20 get the 413 problem, none a reset or a broken pipe'
  )

  // A chunked body that never ends: the 413 comes first, then the server reads at most
  // LINGER_MAX_BYTES more and closes. The client gives up at 64 MiB, so a server that read
  // forever fails here rather than hang.
  const CAP = 64 * 1024 * 1024
  const endless = await new Promise<{ written: number; answer: string; closed: boolean }>((resolve) => {
    // Half-open allowed: the client goes on sending after the server's FIN, as a client busy writing does.
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true })
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, ' '), Buffer.from('\r\n')])
    let written = 0
    let answer = ''
    let closed = false
    const pump = (): void => {
      if (closed) return
      if (written >= CAP) {
        socket.destroy()
        return
      }
      written += chunk.length
      if (socket.write(chunk)) setImmediate(pump)
      else socket.once('drain', pump)
    }
    socket.on('connect', () => {
      socket.write('POST /v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
      pump()
    })
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')))
    // The server cuts the connection off: the client's next write fails (EPIPE or ECONNRESET).
    socket.on('error', () => (closed = true))
    socket.on('close', () => resolve({ written, answer, closed }))
  })
  t.match(endless.answer, /^HTTP\/1\.1 413 /, 'the endless body gets its 413 first')
  t.ok(endless.closed, 'then the server cuts the connection off under the writing client')
  t.ok(
    endless.written < CAP,
    `the client had written ${(endless.written / 1048576).toFixed(1)} MiB (discard bound ${LINGER_MAX_BYTES / 1048576} MiB, plus socket buffers), under 64 MiB`
  )
  t.equal((await rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: x')).status, 200, 'the server still answers')
})
