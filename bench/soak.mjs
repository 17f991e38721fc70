#!/usr/bin/env node
// Soak test: the real server (node dist/src/server.js) as a child process on loopback, saturated
// with POST /v1/recommendations by autocannon for SOAK_SECONDS. Records the server's RSS before,
// during (peak) and after, counts every non-2xx by status, prints a table and writes
// bench/results/soak-<timestamp>.json. Exits 1 on any 5xx other than 503, or on connection
// errors / timeouts. The child server is always killed (also on SIGINT / SIGTERM).
//
//   node bench/soak.mjs                         # 60 s at 50 connections
//   SOAK_SECONDS=10 node bench/soak.mjs
//   MAX_EVENT_LOOP_DELAY_MS=200 node bench/soak.mjs   # a tighter load-shedding bound
//
// See bench/README-soak.md.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { HOST, freePort, mb, rssBytes } from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SERVER = join(ROOT, 'dist', 'src', 'server.js')
const RESULTS = join(ROOT, 'bench', 'results')

function intEnv(name, fallback, min = 1) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) {
    console.error(`soak: ${name} must be an integer >= ${min} (got "${raw}")`)
    process.exit(2)
  }
  return n
}

const SECONDS = intEnv('SOAK_SECONDS', 60)
const MAX_REQUESTS = intEnv('SOAK_MAX_REQUESTS', 5_000_000)
const CONNECTIONS = intEnv('SOAK_CONNECTIONS', 50)
const PIPELINING = intEnv('SOAK_PIPELINING', 1)
const TIMEOUT_S = intEnv('SOAK_TIMEOUT_S', 10)
const READY_TIMEOUT_MS = intEnv('SOAK_READY_TIMEOUT_MS', 30_000)
const API_KEY = process.env.SOAK_API_KEY ?? ''

/** Server settings passed through from the caller's environment when set (load-shedding bounds etc.). */
const PASS_THROUGH = [
  'MAX_EVENT_LOOP_DELAY_MS',
  'MAX_HEAP_USED_BYTES',
  'MAX_RSS_BYTES',
  'LOAD_SAMPLE_INTERVAL_MS',
  'SHED_RETRY_AFTER_S',
  'BODY_LIMIT_BYTES',
  'BATCH_BODY_LIMIT_BYTES',
  'REQUEST_TIMEOUT_MS',
  'CONNECTION_TIMEOUT_MS',
  'KEEP_ALIVE_TIMEOUT_MS',
  'RATE_LIMIT_MAX',
  'RATE_LIMIT_WINDOW_MS',
  'API_KEYS',
  'API_KEYS_FILE',
  'NODE_OPTIONS'
]

/** A realistic borough profile (the contract's example). */
const PROFILE = {
  reference: 'LBX-2026-031',
  title: 'Digital social care referrals platform',
  authorityType: 'sub-central',
  contract: {
    type: 'services',
    estimatedValue: 850000,
    cpvCodes: ['72212000-4', '85311000-2'],
    categories: ['technology', 'social-care'],
    durationMonths: 36
  },
  need: { solutionMaturity: 'needs-adaptation', requirementsClarity: 'outcome-known', researchAndDevelopment: false },
  process: { negotiation: true, demonstrations: true, pitchOrPilot: false, coDevelopment: false },
  constraints: {
    startDate: '2026-12-01',
    weeksToAward: 40,
    urgency: 'standard',
    existingAgreement: 'none',
    singleSupplier: 'none',
    teamCapacity: 'medium'
  },
  priorities: ['innovation', 'user-involvement', 'social-value']
}

// ---------------------------------------------------------------------------------------------

let child = null
let instance = null
let interrupted = false // SIGINT / SIGTERM seen
let shuttingDown = false // we are killing the server ourselves
let limitReached = false // SOAK_MAX_REQUESTS answered

/** Kills the child server: SIGTERM, then SIGKILL after a grace period. */
async function killServer() {
  shuttingDown = true
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])
  if (!gone) {
    child.kill('SIGKILL')
    await exited
  }
}

// Any unexpected error: report it, stop the server, exit 1.
process.on('uncaughtException', (err) => fail(`unexpected error: ${err?.stack ?? err}`))
process.on('unhandledRejection', (err) => fail(`unexpected error: ${err?.stack ?? err}`))

// Last resort: a synchronous kill if the process exits any other way.
process.on('exit', () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    console.error(`\nsoak: ${signal}: stopping the load and the server`)
    if (instance) instance.stop()
    killServer().finally(() => process.exit(130))
  })
}

async function fail(message) {
  console.error(`soak: ${message}`)
  await killServer()
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------

async function loadAutocannon() {
  try {
    const mod = await import('autocannon')
    return mod.default ?? mod
  } catch {
    console.error('soak: autocannon is not installed. Install it with:\n\n    npm i -D autocannon\n')
    process.exit(1)
  }
}

function buildIfNeeded() {
  if (existsSync(SERVER)) return
  console.log(`soak: ${relative(ROOT, SERVER)} is missing: running npm run build`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const res = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (res.status !== 0 || !existsSync(SERVER)) {
    console.error('soak: the build failed')
    process.exit(1)
  }
}

/** Server log lines (LOG_LEVEL=warn): counted by level; the last few kept for the report. */
const logs = { warn: 0, error: 0, fatal: 0, other: 0, last: [] }
function collectLogs(stream) {
  let buffer = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    buffer += chunk
    let nl
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      if (line.trim() === '') continue
      let level = 'other'
      try {
        const n = JSON.parse(line).level
        level = n >= 60 ? 'fatal' : n >= 50 ? 'error' : n >= 40 ? 'warn' : 'other'
      } catch {
        // not a pino line (e.g. a crash trace)
      }
      logs[level]++
      logs.last.push(line.length > 500 ? `${line.slice(0, 500)}…` : line)
      if (logs.last.length > 20) logs.last.shift()
    }
  })
}

async function startServer(port) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
  for (const name of PASS_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name]
  Object.assign(env, { NODE_ENV: 'production', HOST, PORT: String(port), LOG_LEVEL: 'warn' })
  env.RATE_LIMIT_MAX = process.env.RATE_LIMIT_MAX ?? '1000000000'
  child = spawn(process.execPath, [SERVER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  collectLogs(child.stdout)
  collectLogs(child.stderr)
  child.once('exit', (code, signal) => {
    if (!shuttingDown) console.error(`soak: the server exited (code ${code}, signal ${signal})`)
  })
  return env
}

async function waitReady(base) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return `the server exited before it was ready (code ${child.exitCode}): ${logs.last.join('\n')}`
    }
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return null
      last = `HTTP ${res.status}`
    } catch (err) {
      last = err.cause?.code ?? err.message
    }
    await sleep(100)
  }
  return `/health/ready did not answer 200 within ${READY_TIMEOUT_MS} ms (last: ${last})`
}

function headers() {
  const h = { 'content-type': 'application/json' }
  if (API_KEY !== '') h.authorization = `Bearer ${API_KEY}`
  return h
}

// ---------------------------------------------------------------------------------------------

const autocannon = await loadAutocannon()
buildIfNeeded()

const port = await freePort()
const base = `http://${HOST}:${port}`
const serverEnv = await startServer(port)
const notReady = await waitReady(base)
if (notReady) await fail(notReady)

// Preflight: one request must succeed, or the soak would only measure an error path.
const body = JSON.stringify(PROFILE)
{
  const res = await fetch(`${base}/v1/recommendations`, { method: 'POST', headers: headers(), body })
  if (res.status !== 200) await fail(`preflight POST /v1/recommendations answered ${res.status}: ${(await res.text()).slice(0, 500)}`)
}
await sleep(1500) // let the load sampler forget the start-up
const pid = child.pid
const rssBefore = rssBytes(pid)

console.log(
  `soak: server pid ${pid} on ${base}; ${SECONDS} s or ${MAX_REQUESTS} requests, ${CONNECTIONS} connections, pipelining ${PIPELINING}; ` +
    `MAX_EVENT_LOOP_DELAY_MS=${serverEnv.MAX_EVENT_LOOP_DELAY_MS ?? '(default)'}; RSS before ${mb(rssBefore)}`
)

const byStatus = new Map()
let responses = 0
let reqErrors = 0
const errorKinds = new Map()
let rssPeak = rssBefore ?? 0
const rssSamples = []
const started = Date.now()
const sampler = setInterval(() => {
  const rss = rssBytes(pid)
  if (rss !== null) {
    rssPeak = Math.max(rssPeak, rss)
    rssSamples.push({ t: Math.round((Date.now() - started) / 1000), rss })
  }
}, 1000)

const result = await new Promise((resolve, reject) => {
  instance = autocannon(
    {
      url: `${base}/v1/recommendations`,
      method: 'POST',
      headers: headers(),
      body,
      connections: CONNECTIONS,
      pipelining: PIPELINING,
      duration: SECONDS,
      timeout: TIMEOUT_S
    },
    (err, res) => (err ? reject(err) : resolve(res))
  )
  instance.on('response', (_client, statusCode) => {
    responses++
    byStatus.set(statusCode, (byStatus.get(statusCode) ?? 0) + 1)
    if (responses >= MAX_REQUESTS && !limitReached) {
      limitReached = true
      instance.stop()
    }
  })
  instance.on('reqError', (err) => {
    reqErrors++
    const kind = err?.code ?? err?.message ?? String(err)
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1)
  })
})
clearInterval(sampler)
const elapsedS = (Date.now() - started) / 1000
const rssAfter = rssBytes(pid)
await sleep(2000)
const rssAfterIdle = rssBytes(pid)
const serverAlive = child.exitCode === null && child.signalCode === null

// ---------------------------------------------------------------------------------------------

const count = (pred) => [...byStatus.entries()].filter(([s]) => pred(s)).reduce((n, [, c]) => n + c, 0)
const ok2xx = count((s) => s >= 200 && s < 300)
const shed503 = count((s) => s === 503)
const limited429 = count((s) => s === 429)
const other4xx = count((s) => s >= 400 && s < 500 && s !== 429)
const other5xx = count((s) => s >= 500 && s !== 503)
const other = count((s) => s < 200 || (s >= 300 && s < 400))
const timeouts = result.timeouts ?? 0
const connErrors = Math.max(result.errors ?? 0, reqErrors) // autocannon counts timeouts among errors

const summary = {
  startedAt: new Date(started).toISOString(),
  config: {
    seconds: SECONDS,
    maxRequests: MAX_REQUESTS,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    timeoutS: TIMEOUT_S,
    url: `${base}/v1/recommendations`,
    server: Object.fromEntries(Object.entries(serverEnv).filter(([k]) => !['PATH', 'HOME', 'API_KEYS'].includes(k)))
  },
  node: process.version,
  elapsedS: Number(elapsedS.toFixed(2)),
  stoppedBy: limitReached ? 'SOAK_MAX_REQUESTS' : 'SOAK_SECONDS',
  requests: {
    sent: result.requests?.sent ?? null,
    responses,
    total: result.requests?.total ?? null,
    perSecondMean: result.requests?.average ?? null
  },
  statuses: Object.fromEntries([...byStatus.entries()].sort(([a], [b]) => a - b)),
  counts: {
    ok2xx,
    shed503,
    rateLimited429: limited429,
    other4xx,
    errors5xx: other5xx,
    other,
    connectionErrors: connErrors,
    timeouts,
    errorKinds: Object.fromEntries(errorKinds)
  },
  latencyMs: {
    mean: result.latency?.mean,
    p50: result.latency?.p50,
    p90: result.latency?.p90,
    p97_5: result.latency?.p97_5,
    p99: result.latency?.p99,
    max: result.latency?.max
  },
  throughputBytesPerSecond: result.throughput?.average ?? null,
  rss: {
    before: rssBefore,
    peak: rssPeak,
    after: rssAfter,
    afterIdle2s: rssAfterIdle,
    growth: rssBefore !== null && rssAfterIdle !== null ? rssAfterIdle - rssBefore : null,
    samples: rssSamples
  },
  serverAliveAtEnd: serverAlive,
  serverLogs: { warn: logs.warn, error: logs.error, fatal: logs.fatal, other: logs.other, last: logs.last }
}

const failures = []
if (other5xx > 0) failures.push(`${other5xx} responses were 5xx other than 503`)
if (connErrors > 0) {
  failures.push(
    `${connErrors} connection errors/timeouts (${[...errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ') || `timeouts: ${timeouts}`})`
  )
}
if (!serverAlive) failures.push('the server died during the soak')
summary.passed = failures.length === 0
summary.failures = failures

mkdirSync(RESULTS, { recursive: true })
const file = join(RESULTS, `soak-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`)

const rows = [
  ['duration', `${elapsedS.toFixed(1)} s`],
  ['responses', String(responses)],
  ['requests/s (mean)', String(result.requests?.average ?? 'n/a')],
  [
    'latency p50 / p97.5 / p99 / max',
    `${result.latency?.p50} / ${result.latency?.p97_5} / ${result.latency?.p99} / ${result.latency?.max} ms`
  ],
  ['2xx', String(ok2xx)],
  ['503 shed', String(shed503)],
  ['429 rate-limited', String(limited429)],
  ['other 4xx', String(other4xx)],
  ['5xx (not 503)', String(other5xx)],
  ['connection errors / timeouts', `${connErrors} / ${timeouts}`],
  ['RSS before', mb(rssBefore)],
  ['RSS peak', mb(rssPeak)],
  ['RSS after', mb(rssAfter)],
  ['RSS after 2 s idle', mb(rssAfterIdle)],
  ['server log lines warn/error/fatal', `${logs.warn} / ${logs.error} / ${logs.fatal}`],
  [
    'statuses',
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')
  ]
]
const width = Math.max(...rows.map(([k]) => k.length))
console.log('')
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`)
console.log(`\nsoak: results written to ${relative(ROOT, file)}`)

await killServer()
if (failures.length > 0) {
  console.error(`soak: FAILED: ${failures.join('; ')}`)
  process.exit(1)
}
console.log('soak: passed (no 5xx other than 503, no connection errors)')
