// Slow readers over real sockets against the real server process: clients that send batch
// requests and never read the answers must not pin memory, other clients are still served, the
// server destroys their sockets once the idle timeout passes (also when they keep sending bytes),
// and connections over MAX_CONNECTIONS are refused. Memory and sockets are read from /proc, so
// this file runs on Linux only. Nothing here asserts how long anything took.
import t from 'tap'
import { connect, type Socket } from 'node:net'
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { CATEGORIES, PROFILE_EXAMPLE, type ProcurementProfile } from '../schemas/profile.js'
import { MAX_BATCH } from '../schemas/batch.js'
import { DIRECT_AWARD_GROUND_IDS } from '../schemas/common.js'
import { defaultConfig } from '../src/config.js'
import { startServer, type ServerProcess } from './helpers/server-process.js'
import { rawRequest } from './helpers/raw-http.js'
import { parseMetrics } from './helpers/metrics.js'

const skip = existsSync('/proc/self/status') ? false : 'reads /proc (Linux only)'
const MiB = 1024 * 1024

/**
 * The largest report found: 49 KB against 17 KB for PROFILE_EXAMPLE (a search over 30,000
 * profiles from test/helpers/arbitraries.ts, widened to every array's maxItems): every direct
 * award ground claimed after a failed competition, each saying which of its conditions hold, and
 * the Provider Selection Regime's processes, each with its reasons. The 100-character reference is
 * echoed in the report; its non-Latin-1 dashes make the serialised answer a two-byte string, the
 * costlier case in memory. A batch of 100 answers about 4.9 MB.
 */
function worstProfile(reference: string): ProcurementProfile {
  return {
    reference: reference.padEnd(100, '–'),
    contract: {
      type: 'goods',
      estimatedValue: 213476.9,
      cpvCodes: ['85323000-9', ...Array.from({ length: 49 }, (_, i) => `${10000000 + i}-${i % 10}`)],
      categories: [...CATEGORIES],
      durationMonths: 600
    },
    need: { solutionMaturity: 'not-on-market', requirementsClarity: 'exploratory', researchAndDevelopment: true },
    process: { negotiation: true, demonstrations: true, pitchOrPilot: false, coDevelopment: true },
    constraints: {
      startDate: '2024-06-03',
      urgency: 'extreme',
      existingAgreement: 'framework',
      singleSupplier: 'artistic',
      teamCapacity: 'high',
      directAwardGrounds: [...DIRECT_AWARD_GROUND_IDS],
      previousCompetition: { procedure: 'open', suitableTenders: false }
    },
    healthCare: {
      existingProvider: true,
      existingContractExpiring: true,
      existingProviderSatisfactory: true,
      existingContractValue: 1,
      delayRisksSafety: true
    },
    priorities: ['speed', 'sme-access', 'user-involvement', 'social-value', 'collaboration', 'innovation']
  }
}

function batchBody(client: number): string {
  return JSON.stringify({ profiles: Array.from({ length: MAX_BATCH }, (_, i) => worstProfile(`LBX–slow reader ${client}–profile ${i}–`)) })
}

function batchRequest(body: string): Buffer {
  return Buffer.from(
    `POST /v1/recommendations/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  )
}

/** Resident memory now and at its peak (VmHWM) of a process, in bytes. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/** Open sockets of a process: the listening socket and every connection it has not closed. */
function openSockets(pid: number): number {
  let n = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++
    } catch {
      // closed while we looked
    }
  }
  return n
}

/** CPU time (user + system, in clock ticks) a process has used. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/** Waits until the process has used (almost) no CPU for `quietMs`: it has done all its work. */
async function untilIdle(pid: number, quietMs = 1500, maxMs = 90000): Promise<boolean> {
  const deadline = Date.now() + maxMs
  let last = cpuTicks(pid)
  let quietSince = Date.now()
  while (Date.now() < deadline) {
    await sleep(250)
    const now = cpuTicks(pid)
    if (now - last > 2) quietSince = Date.now()
    last = now
    if (Date.now() - quietSince >= quietMs) return true
  }
  return false
}

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, maxMs = 60000): Promise<boolean> {
  const deadline = Date.now() + maxMs
  while (Date.now() < deadline) {
    if (check()) return true
    await sleep(100)
  }
  return check()
}

/**
 * A client that writes `requests` and never reads: paused before it connects, so Node never
 * reads its socket and the kernel's receive buffer fills; the server's writes then back up.
 */
function silentClient(port: number, requests: Buffer[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    socket.pause()
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      // The server destroying the socket may surface here as a reset; that is the point.
      socket.on('error', () => {})
      resolve(socket)
    })
    for (const request of requests) socket.write(request)
  })
}

function kill(server: ServerProcess, sockets: Socket[]): void {
  for (const socket of sockets) socket.destroy()
  server.child.kill('SIGKILL')
}

// On loopback the kernel takes about 3.7 MB per connection (the send buffer grows with the
// 64 KB segments), so most of a 4.9 MB answer leaves the process; on a real network (1.5 KB
// segments) it takes some 100-200 KB and the answer stays in the process. Each client therefore
// pipelines four batches: the first answer fills the kernel's buffers, the second stays in the
// process as on a real network, and the other two check that a pipelining client cannot make the
// process hold more than that one answer.
const CLIENTS = 40
const PIPELINED = 4
// What bounds the process's memory is what it holds of answers not read: at most one per connection
// (the pipelining guard of plugins/slow-readers.ts). The service reports that as
// pra_unsent_response_bytes, which depends on what was written, not on when V8 collects: 40
// answers and their headers, measured alike on a quiet and a busy machine. The peak RSS adds the
// idle server (120-150 MiB) and what V8 has not yet collected of producing 81 batch answers,
// which varies with the machine's load (368-421 MiB measured), so it is compared with the bound at
// which the service sheds load (MAX_RSS_BYTES, 512 MiB by default), not with a measurement. With
// the guard removed the process passed that bound and POST /v1/recommendations got 503.
const SHED_BOUND = defaultConfig().MAX_RSS_BYTES
const METRICS_TOKEN = 'slow-readers-metrics-token'
/** An answer's status line and headers (1,082 bytes measured for a batch answer). */
const HEADER_ALLOWANCE = 2048

async function unsentBytes(port: number): Promise<number> {
  const scrape = await rawRequest(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${METRICS_TOKEN}`)
  const value = parseMetrics(scrape.body.toString('utf8')).get('pra_unsent_response_bytes')
  if (scrape.status !== 200 || value === undefined) {
    throw new Error(`GET /metrics answered ${scrape.status} without pra_unsent_response_bytes`)
  }
  return value
}

t.test('40 clients that never read their batch answers: memory stays bounded, others are served', { skip }, async (t) => {
  // Long timeouts, so no socket is closed while memory is measured; the next test closes them.
  // The production default of MAX_RSS_BYTES, so this shows it does not shed at this load either.
  // Bare: without tap's hooks, which add some 30 MiB and make the heap's size erratic.
  const server = await startServer(
    {
      CONNECTION_TIMEOUT_MS: '120000',
      REQUEST_TIMEOUT_MS: '120000',
      KEEP_ALIVE_TIMEOUT_MS: '120000',
      MAX_RSS_BYTES: String(SHED_BOUND),
      METRICS_TOKEN
    },
    15000,
    { bare: true }
  )
  const pid = server.child.pid as number
  const sockets: Socket[] = []
  t.teardown(() => kill(server, sockets))

  const before = memory(pid)
  const idleSockets = openSockets(pid)
  for (let c = 0; c < CLIENTS; c++) {
    const request = batchRequest(batchBody(c))
    sockets.push(await silentClient(server.port, Array(PIPELINED).fill(request)))
  }
  t.ok(await untilIdle(pid), 'the server has done all the work it will do for them')
  t.ok(openSockets(pid) - idleSockets >= CLIENTS, 'all 40 clients are still connected, their answers unread')

  const live = await rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: x')
  t.equal(live.status, 200, 'GET /health/live is answered')

  const single = await rawRequest(
    server.port,
    'POST /v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json',
    JSON.stringify(PROFILE_EXAMPLE)
  )
  t.equal(single.status, 200, 'POST /v1/recommendations is answered')
  t.equal(single.body.length, Number(single.headers['content-length']), 'with the whole body')
  const report = JSON.parse(single.body.toString('utf8'))
  t.equal(report.reference, PROFILE_EXAMPLE.reference)
  t.ok(report.recommendations.length > 0 && report.notRecommended.length > 0 && report.raci, 'a full report')

  // The same batch the silent clients sent, read in full: the size of what each of them left.
  const batch = await rawRequest(
    server.port,
    'POST /v1/recommendations/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json',
    batchBody(CLIENTS)
  )
  t.equal(batch.status, 200, 'a batch from a client that reads is answered')
  const results = JSON.parse(batch.body.toString('utf8')).results as { status: number }[]
  t.same(
    results.map((r) => r.status),
    Array(MAX_BATCH).fill(200),
    `every profile has a report (${batch.body.length} bytes)`
  )
  t.ok(batch.body.length > 2_400_000, 'the answer each silent client left unread is as large as a batch answer gets')

  const held = await unsentBytes(server.port)
  const after = memory(pid)
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
  t.comment(
    `server RSS: ${mib(before.rss)} idle, ${mib(after.rss)} with ${CLIENTS} silent clients, peak ${mib(after.peak)}; ${mib(held)} of answers unsent`
  )
  t.ok(held > 0, 'answers wait in the process, as on a real network')
  // 40 answers and their header blocks (about 1 KB each) measured, whatever the machine's load.
  t.ok(
    held <= CLIENTS * (batch.body.length + HEADER_ALLOWANCE),
    `the process holds ${mib(held)} of unread answers: at most one answer (${mib(batch.body.length)}) and its headers per silent client`
  )
  t.ok(after.peak < SHED_BOUND, `the server's peak RSS ${mib(after.peak)} stays under ${mib(SHED_BOUND)}, where it would shed load`)
})

t.test('the server destroys the socket of a client that stops reading, also when it keeps sending', { skip }, async (t) => {
  const server = await startServer({ CONNECTION_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '2000' })
  const pid = server.child.pid as number
  const sockets: Socket[] = []
  t.teardown(() => kill(server, sockets))
  const idleSockets = openSockets(pid)
  const request = batchRequest(batchBody(0))

  // Silent: nothing after the requests, so the idle timeout (CONNECTION_TIMEOUT_MS) applies.
  for (let c = 0; c < 4; c++) sockets.push(await silentClient(server.port, [request, request]))
  // Chatty: never reads, but sends the next request's headers a byte at a time, each byte
  // restarting the idle timeout; the request timeout ends it.
  const chatty = await silentClient(server.port, [request, request])
  sockets.push(chatty)
  const headers = `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(1000)}`
  let sent = 0
  const trickle = setInterval(() => {
    if (chatty.destroyed || sent >= headers.length) return clearInterval(trickle)
    chatty.write(headers.charAt(sent++))
  }, 200)
  t.teardown(() => clearInterval(trickle))

  t.ok(await until(() => openSockets(pid) - idleSockets >= 5), 'the server has accepted the 5 clients')
  t.ok(await until(() => openSockets(pid) === idleSockets), 'the server has closed all 5 sockets, freeing the answers they held')
  t.ok(sent < headers.length, 'the chatty client was cut off while it was still sending')
  t.equal((await rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: x')).status, 200, 'and the server still answers')
})

t.test('connections over MAX_CONNECTIONS are closed at once, without an answer', { skip }, async (t) => {
  const server = await startServer({ MAX_CONNECTIONS: '2' })
  const sockets: Socket[] = []
  t.teardown(() => kill(server, sockets))

  /** Connects and sends GET /health/live on a keep-alive connection; resolves with what came back once the server closes or answers. */
  const ask = (keep: boolean) =>
    new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n'))
      if (keep) sockets.push(socket)
      let data = ''
      socket.on('data', (c: Buffer) => {
        data += c.toString('latin1')
        if (keep && data.includes('\r\n\r\n')) resolve(data)
      })
      socket.on('error', () => {})
      socket.on('close', () => resolve(data))
    })

  t.match(await ask(true), /^HTTP\/1\.1 200 /, 'the first connection is served and stays open')
  t.match(await ask(true), /^HTTP\/1\.1 200 /, 'the second too')
  t.equal(await ask(false), '', 'a third is closed without an answer')
  t.ok(await until(() => /connection refused: MAX_CONNECTIONS/.test(server.output())), 'and the log says why')

  sockets.shift()?.destroy()
  let status = 0
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = await rawRequest(server.port, 'GET /health/live HTTP/1.1\r\nHost: x').then(
      (r) => r.status,
      () => 0
    )
    if (status !== 200) await sleep(100)
  }
  t.equal(status, 200, 'once one closes, a new connection is served')
})
