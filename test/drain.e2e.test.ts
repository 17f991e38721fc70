// Graceful drain on SIGTERM, over real connections to the real server process: keep-alive
// clients sending back to back across the signal get every answer and no reset; each is moved
// off by a `Connection: close` response; readiness goes 503 at once while liveness stays 200;
// new connections are still served during the drain; the process exits 0 after it. Clients
// reconnecting in a loop as the drain ends get an answer or a clean refusal, never a reset.
import t from 'tap'
import { connect } from 'node:net'
import { startServer } from './helpers/server-process.js'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { PROBLEM_BASE, testApp } from './helpers/app.js'

interface Answer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** What happened on one keep-alive connection. */
interface ConnectionLog {
  sent: number
  answers: Answer[]
  /** Socket errors (ECONNRESET, EPIPE, …) and answers cut short. */
  errors: string[]
  /** The server ended the connection cleanly (FIN) after its last answer. */
  endedByServer: boolean
}

const BODY = JSON.stringify(PROFILE_EXAMPLE)
const GET_PROCEDURE = 'GET /v1/procedures/open-tender HTTP/1.1\r\nHost: x\r\n\r\n'
const POST_RECOMMENDATION = `POST /v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`

/** Parses one complete response (Content-Length framed) from the front of `data`, or returns undefined. */
function takeAnswer(data: Buffer): { answer: Answer; rest: Buffer } | undefined {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const lines = data.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? '')?.[1])
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  if (headers['transfer-encoding'] !== undefined) throw new Error(`unexpected transfer-encoding: ${headers['transfer-encoding']}`)
  const length = Number(headers['content-length'])
  if (!Number.isInteger(length)) throw new Error(`no content-length in: ${lines.join(' | ')}`)
  if (data.length < end + 4 + length) return undefined
  return { answer: { status, headers, body: data.subarray(end + 4, end + 4 + length) }, rest: data.subarray(end + 4 + length) }
}

/**
 * One keep-alive connection sending `nextRequest(n)` back to back, each after the previous
 * answer, until an answer says `Connection: close` (or `maxRequests` answers); then it waits
 * for the server to close the connection. `onAnswer` sees each answer as it arrives.
 */
function keepAliveClient(
  port: number,
  nextRequest: (n: number) => string,
  onAnswer: () => void = () => undefined,
  maxRequests = Infinity
): Promise<ConnectionLog> {
  const log: ConnectionLog = { sent: 0, answers: [], errors: [], endedByServer: false }
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data: Buffer = Buffer.alloc(0)
    // done: no more requests to send; closing: the last answer said Connection: close.
    let done = false
    let closing = false
    const send = () => {
      socket.write(nextRequest(log.sent))
      log.sent++
    }
    socket.on('connect', send)
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      for (let taken = takeAnswer(data); taken; taken = takeAnswer(data)) {
        data = taken.rest
        log.answers.push(taken.answer)
        onAnswer()
        if (taken.answer.headers.connection?.toLowerCase() === 'close') done = closing = true
        else if (log.answers.length >= maxRequests) {
          done = true
          socket.end()
        } else send()
      }
    })
    socket.on('end', () => {
      if (closing) log.endedByServer = true
      else if (!done) log.errors.push('the server closed the connection with a request unanswered')
      socket.end()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => log.errors.push(err.code ?? err.message))
    socket.on('close', () => {
      if (data.length > 0) log.errors.push(`${data.length} bytes of an incomplete answer`)
      resolve(log)
    })
  })
}

const until = async (condition: () => boolean, what: string, server: { output: () => string }) => {
  for (let i = 0; !condition(); i++) {
    if (i > 1000) throw new Error(`gave up waiting for ${what}; the server's last output: ${server.output().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

t.test('SIGTERM drains: keep-alive clients lose no request, readiness 503, new connections served, exit 0', async (t) => {
  const server = await startServer({ SHUTDOWN_DRAIN_MS: '2000', SHUTDOWN_GRACE_MS: '5000' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })

  const readyBefore = await keepAliveClient(server.port, () => get('/health/ready'), undefined, 1)
  t.equal(readyBefore.answers[0]?.status, 200, 'ready before the signal')

  // 20 keep-alive connections, each alternating a catalogue GET and a recommendation POST.
  const answered = Array.from({ length: 20 }, () => 0)
  const clients = answered.map((_, i) =>
    keepAliveClient(
      server.port,
      (n) => (n % 2 === 0 ? GET_PROCEDURE : POST_RECOMMENDATION),
      () => answered[i]!++
    )
  )
  // The signal comes while every connection is open and busy: each has had answers already.
  await until(() => answered.every((n) => n >= 2), 'two answers on every connection before the signal', server)
  server.child.kill('SIGTERM')
  await until(() => server.output().includes('"msg":"draining'), 'the drain to start', server)

  // Probes on fresh keep-alive connections, during the drain.
  const [ready, live, fresh] = await Promise.all([
    keepAliveClient(server.port, () => get('/health/ready'), undefined, 1),
    keepAliveClient(server.port, () => get('/health/live'), undefined, 1),
    keepAliveClient(server.port, () => GET_PROCEDURE, undefined, 3)
  ])
  const logs = await Promise.all(clients)
  const code = await server.exited

  t.test('the keep-alive connections across the signal', async (t) => {
    const sent = logs.reduce((n, l) => n + l.sent, 0)
    const answers = logs.flatMap((l) => l.answers)
    t.same(
      logs.flatMap((l) => l.errors),
      [],
      'no socket error, reset or answer cut short'
    )
    t.equal(answers.length, sent, `every request sent was answered (${sent})`)
    t.same([...new Set(answers.map((a) => a.status))], [200], 'every answer is 200')
    let complete = 0
    for (const a of answers) {
      const body = JSON.parse(a.body.toString('utf8')) as { procedure?: { id: string }; recommendations?: unknown[] }
      if (body.procedure?.id === 'open-tender' || (Array.isArray(body.recommendations) && body.recommendations.length > 0)) complete++
    }
    t.equal(complete, answers.length, 'every answer body is complete')
    logs.forEach((l, i) => {
      const closes = l.answers.map((a) => a.headers.connection?.toLowerCase() === 'close')
      t.equal(closes.at(-1), true, `connection ${i}: its last answer says Connection: close`)
      t.equal(closes.filter(Boolean).length, 1, `connection ${i}: only the last one (kept alive until the drain)`)
      t.ok(l.answers.length >= 3, `connection ${i}: ${l.answers.length} answers on one connection, before and after the signal`)
      t.ok(l.endedByServer, `connection ${i}: the server then closed it cleanly`)
    })
  })

  t.test('readiness 503 during the drain, liveness 200', async (t) => {
    const r = ready.answers[0]
    t.equal(r?.status, 503, '/health/ready answers 503')
    t.match(r?.headers['content-type'], /^application\/problem\+json/)
    t.ok(Number(r?.headers['retry-after']) > 0, 'with Retry-After')
    const problem = JSON.parse(r?.body.toString('utf8') ?? '{}') as Record<string, unknown>
    t.equal(problem.type, `${PROBLEM_BASE}shutting-down`)
    t.equal(problem.status, 503)
    t.equal(problem.code, 'PRA_ERR_SHUTTING_DOWN')
    t.equal(live.answers[0]?.status, 200, '/health/live answers 200')
    t.same(JSON.parse(live.answers[0]?.body.toString('utf8') ?? '{}'), { status: 'ok' })
    for (const probe of [ready, live]) {
      t.equal(probe.answers[0]?.headers.connection?.toLowerCase(), 'close', 'the probe answer closes its connection too')
      t.same(probe.errors, [])
    }
  })

  t.test('a brand-new connection during the drain is served, then closed', async (t) => {
    t.equal(fresh.answers.length, 1, 'one request, one answer')
    t.equal(fresh.answers[0]?.status, 200)
    t.equal((JSON.parse(fresh.answers[0]?.body.toString('utf8') ?? '{}') as { procedure?: { id: string } }).procedure?.id, 'open-tender')
    t.equal(fresh.answers[0]?.headers.connection?.toLowerCase(), 'close')
    t.ok(fresh.endedByServer)
    t.same(fresh.errors, [])
  })

  t.test('the process exits 0 after the drain', async (t) => {
    t.equal(code, 0, 'exit code 0')
    const out = server.output()
    const order = ['"signal":"SIGTERM"', '"msg":"draining', '"msg":"drain period over'].map((s) => out.indexOf(s))
    t.ok(
      order.every((at) => at >= 0),
      'signal, drain start and drain end are logged'
    )
    t.same(
      [...order].sort((a, b) => a - b),
      order,
      'in that order'
    )
    t.notMatch(out, /killed by timeout|"level":50/, 'no timeout, no error')
  })
})

/**
 * A client that reconnects whenever its connection closes, until a connection is refused. Each
 * connection sends requests back to back (keep-alive) until an answer says Connection: close.
 * Resolves with what it sent, what was answered, and every failure of a request already sent.
 */
async function reconnectingClient(port: number, nextRequest: (n: number) => string) {
  const tally = { connections: 0, sent: 0, answered: 0, failures: [] as string[], refused: false }
  while (!tally.refused && tally.connections < 10000) {
    tally.connections++
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      let data: Buffer = Buffer.alloc(0)
      let connected = false
      let waiting = false
      let error: string | undefined
      const send = () => {
        socket.write(nextRequest(tally.sent))
        tally.sent++
        waiting = true
      }
      socket.on('connect', () => {
        connected = true
        send()
      })
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk])
        for (let taken = takeAnswer(data); taken; taken = takeAnswer(data)) {
          data = taken.rest
          tally.answered++
          waiting = false
          if (taken.answer.headers.connection?.toLowerCase() !== 'close') send()
        }
      })
      socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message))
      socket.on('close', () => {
        if (!connected && error === 'ECONNREFUSED') tally.refused = true
        else if (!connected) tally.failures.push(`connect: ${error}`)
        else if (waiting) tally.failures.push(`request sent, then ${error ?? 'closed without an answer'}`)
        resolve()
      })
    })
  }
  return tally
}

t.test('clients reconnecting through the end of the drain get an answer or a refusal, never a reset', async (t) => {
  const server = await startServer({ SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_GRACE_MS: '5000' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  let signalled = false
  let sentAfterSignal = 0
  // 16 clients, each alternating a catalogue GET and a recommendation POST, reconnecting as soon
  // as an answer closes its connection: around the end of the drain some are always connecting.
  const clients = Array.from({ length: 16 }, () =>
    reconnectingClient(server.port, (n) => {
      if (signalled) sentAfterSignal++
      return n % 2 === 0 ? GET_PROCEDURE : POST_RECOMMENDATION
    })
  )
  await new Promise((resolve) => setTimeout(resolve, 500))
  signalled = true
  server.child.kill('SIGTERM')
  const tallies = await Promise.all(clients)
  const code = await server.exited

  t.same(
    tallies.flatMap((c) => c.failures),
    [],
    'no request sent was reset, broken or left unanswered'
  )
  const sent = tallies.reduce((n, c) => n + c.sent, 0)
  t.equal(
    tallies.reduce((n, c) => n + c.answered, 0),
    sent,
    `every request sent was answered (${sent})`
  )
  t.same(
    tallies.map((c) => c.refused),
    Array(16).fill(true),
    'every client ends with a refused connection, after the listener closed'
  )
  t.ok(sentAfterSignal >= 32, `the clients kept reconnecting during the drain (${sentAfterSignal} requests after the signal)`)
  t.equal(code, 0, 'the process exits 0')
  t.match(server.output(), /"msg":"drain period over: listener closed"/)
})

t.test('in process: drain() turns readiness to 503 and closes every connection; close() ends it early', async (t) => {
  const app = await testApp({ SHUTDOWN_DRAIN_MS: 600000, SHED_RETRY_AFTER_S: 7 })
  t.teardown(() => app.close())
  t.equal(app.draining, false, 'not draining until told')
  const before = await app.inject('/health/ready')
  t.equal(before.statusCode, 200)
  t.not(before.headers.connection, 'close', 'no Connection: close before the drain')

  const drained = app.drain()
  t.equal(app.drain(), drained, 'a second drain() is the same drain')
  t.equal(app.draining, true)
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 503)
  t.equal(ready.headers['retry-after'], '7')
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  t.match(ready.json(), {
    type: `${PROBLEM_BASE}shutting-down`,
    title: 'Service shutting down',
    status: 503,
    code: 'PRA_ERR_SHUTTING_DOWN'
  })
  t.equal(ready.json().instance, `urn:uuid:${ready.headers['x-request-id']}`)
  // Every kind of answer closes its connection: a route, a problem, a 404.
  const answers = await Promise.all([
    app.inject('/health/live'),
    app.inject({ method: 'POST', url: '/v1/recommendations', payload: PROFILE_EXAMPLE }),
    app.inject({ method: 'POST', url: '/v1/recommendations', payload: {} }),
    app.inject('/no-such-route')
  ])
  t.same(
    answers.map((a) => a.statusCode),
    [200, 200, 400, 404]
  )
  t.same(
    answers.map((a) => a.headers.connection),
    ['close', 'close', 'close', 'close']
  )
  t.equal(ready.headers.connection, 'close')

  // The drain period here is ten minutes: closing the app must end it rather than wait.
  await app.close()
  await drained
  t.pass('drain() resolved when the app closed')
})
