// Phase 6, decision records: writes per second and their latency on both stores, the embedded one
// (SQLite under a temporary DATA_DIR) and PostgreSQL (BENCH_DATABASE_URL, else TEST_DATABASE_URL,
// else the local server; in a private schema dropped at the end). For each store, two numbers:
//   - HTTP: autocannon POSTs /v1/decisions to a server of its own (the report and plan computed,
//     the record hashed, the chain extended, committed), `decisionConnections` connections;
//   - store alone: `decisionStoreWrites` inserts one at a time in this process, no HTTP, no engine:
//     what the database itself costs a write (SQLite: an fsync per commit).
// Every write goes into one client's chain, which the service serialises (a lock per chain on
// PostgreSQL): the numbers are those of one busy borough, the worst case. After the load the chain
// must verify and hold every acknowledged record, or the run fails. PostgreSQL not reachable: the
// phase says so, with the reason, and skips that store.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { HOST, freePort } from '../lib.mjs'
import { checkErrors, die, spawnChild, stopChild, waitFor } from '../children.mjs'
import { cpuSnapshot, foreignCpuPercent, percentile, round } from '../measure.mjs'
import { cannon, request } from '../requests.mjs'
import { int, ms } from '../report.mjs'

/** The benchmark's own chain key (32 bytes): signing costs the same with any key. */
const BENCH_CHAIN_KEYS = `bench:${Buffer.alloc(32, 1).toString('base64')}`
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

const latencySummary = (values) => {
  const sorted = Float64Array.from(values).sort()
  return { p50: round(percentile(sorted, 50), 3), p99: round(percentile(sorted, 99), 3), max: round(sorted.at(-1) ?? null, 3) }
}

/** A private schema on PostgreSQL, or the reason it cannot be had. */
async function privateSchema(pg, url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    const schema = `bench_${randomBytes(6).toString('hex')}`
    await client.query(`CREATE SCHEMA ${schema}`)
    return { schema }
  } catch (err) {
    return { skipped: `PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${err.message}` }
  } finally {
    await client.end().catch(() => {})
  }
}

async function dropSchema(pg, url, schema) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  await client.connect()
  await client.query(`DROP SCHEMA ${schema} CASCADE`)
  await client.end()
}

/** The server's writes: autocannon on POST /v1/decisions, then the chain checked. */
async function httpWrites({ autocannon, settings, label, serverScript, serverEnv, headers, body }) {
  const port = await freePort()
  const server = spawnChild(label, serverScript, { ...serverEnv, PORT: String(port) })
  const base = `http://${HOST}:${port}`
  await waitFor(`${base}/health/ready`, server, 30_000).catch((err) => die(`${label}: ${err.message}`))
  const url = `${base}/v1/decisions`
  const preflight = await request(url, { method: 'POST', headers, body, keepBody: true, timeoutS: settings.requestTimeoutS })
  if (preflight.status !== 201) {
    await die(`${label}: preflight POST /v1/decisions answered ${preflight.status}: ${preflight.body.slice(0, 500)}`)
  }
  const target = { url, method: 'POST', headers, body }
  const load = { connections: settings.decisionConnections, timeoutS: settings.requestTimeoutS }
  const warm = await cannon(autocannon, `${label} warm-up`, target, { ...load, seconds: 1 })
  const latencies = []
  const cpu0 = cpuSnapshot()
  const { result, statuses } = await cannon(autocannon, label, target, { ...load, seconds: settings.decisionSeconds, latencies })
  const foreign = foreignCpuPercent(cpu0, cpuSnapshot())
  await checkErrors(label)
  const written = statuses[201] ?? 0
  // Every 201 is a record in the chain, and the chain verifies: the load wrote nothing half-way.
  // Requests still in flight when a run's clock stopped (at most one per connection, twice) were
  // written too, but their answers were not counted.
  const chain = await request(`${base}/v1/decisions/chain`, { headers, keepBody: true, timeoutS: 60 })
  const verification = JSON.parse(chain.body)
  const acknowledged = 1 + (warm.statuses[201] ?? 0) + written
  const most = acknowledged + 2 * settings.decisionConnections
  if (chain.status !== 200 || verification.valid !== true || verification.records < acknowledged || verification.records > most) {
    await die(`${label}: after the load the chain is ${chain.body.slice(0, 300)} (expected ${acknowledged} to ${most} valid records)`)
  }
  await stopChild(server)
  return {
    connections: settings.decisionConnections,
    seconds: result.duration,
    writes: written,
    writesPerSecond: round(written / result.duration, 0),
    latencyMs: latencySummary(latencies),
    chainVerified: verification.records,
    otherProcessesCpuPercent: foreign
  }
}

/** The store alone, in this process: `decisionStoreWrites` inserts one at a time. */
async function storeWrites({ settings, store, draft }) {
  const latencies = []
  const started = performance.now()
  for (let i = 0; i < 10 + settings.decisionStoreWrites; i++) {
    const t0 = performance.now()
    await store.insert('bench-store', draft, new Date())
    if (i >= 10) latencies.push(performance.now() - t0) // the first 10 are a warm-up
  }
  // Verification (issue 25): a full one checks every record, an incremental one only what came
  // after the signed checkpoint the full one left. The longest the event loop was held meanwhile
  // (a 1 ms-resolution histogram) is what other requests would wait behind it.
  const timedVerify = async (full) => {
    const delay = monitorEventLoopDelay({ resolution: 1 })
    delay.enable()
    const t0 = performance.now()
    const verification = await store.verify('bench-store', { full })
    const elapsed = performance.now() - t0
    delay.disable()
    if (!verification.valid || verification.records !== 10 + settings.decisionStoreWrites) {
      await die(`store alone: the chain is ${JSON.stringify(verification)}`)
    }
    return { ms: round(elapsed, 1), checked: verification.checked, maxEventLoopDelayMs: round(delay.max / 1e6, 1) }
  }
  const fullVerification = await timedVerify(true)
  const incrementalVerification = await timedVerify(false)
  fullVerification.perRecordUs = round((1000 * fullVerification.ms) / fullVerification.checked, 0)
  const total = latencies.reduce((a, b) => a + b, 0)
  return {
    fullVerification,
    incrementalVerification,
    writes: latencies.length,
    writesPerSecond: round((1000 * latencies.length) / total, 0),
    latencyMs: latencySummary(latencies),
    seconds: round((performance.now() - started) / 1000, 2)
  }
}

/** Resolves with the `decisions` object of the results JSON. */
export async function runDecisions({ autocannon, settings, dist, serverScript, serverEnv, apiKey, recommender, profileExample }) {
  const load = async (file) => import(pathToFileURL(join(dist, 'src', 'store', file)).href)
  const [{ openDecisionStore }, { ChainSigner }, { openSqlite }, { openPostgres }, pg] = await Promise.all([
    load('records.js'),
    load('signing.js'),
    load('sqlite.js'),
    load('postgres.js'),
    import('pg').then((m) => m.default ?? m)
  ])
  const signer = new ChainSigner([{ id: 'bench', secret: Buffer.from(BENCH_CHAIN_KEYS.slice('bench:'.length), 'base64') }])
  const report = recommender.recommend(profileExample, new Date()).report
  const procedureId = report.recommendations[0].procedureId
  const decidedBy = { name: 'Chief Digital Officer', role: 'cio-cdo' }
  const rationale = 'The recommended route: the requirement can be specified and the market is mature.'
  const body = JSON.stringify({ profile: profileExample, procedureId, rationale, decidedBy })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }
  const draft = { rulesetVersion: report.rulesetVersion, procedureId, rank: 1, rationale, decidedBy, profile: profileExample, report }
  const http = { autocannon, settings, serverScript, headers, body }
  console.log(
    `bench: decisions: POST /v1/decisions for ${settings.decisionSeconds} s at ${settings.decisionConnections} connections, then ` +
      `${settings.decisionStoreWrites} store inserts one at a time, on each store`
  )

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-decisions-'))
  const storeDir = mkdtempSync(join(tmpdir(), 'bench-store-'))
  const removeDirs = () => {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(storeDir, { recursive: true, force: true })
  }
  // Also when the run dies (die() exits the process) half-way.
  process.once('exit', removeDirs)
  const viaHttp = await httpWrites({ ...http, label: 'decisions embedded', serverEnv: { ...serverEnv, DATA_DIR: dataDir } })
  const store = await openDecisionStore(openSqlite(storeDir), { signer })
  const alone = await storeWrites({ settings, store, draft }).finally(() => store.close())
  const embedded = { engine: 'embedded', http: viaHttp, storeAlone: alone }
  removeDirs()

  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL
  const { schema, skipped } = await privateSchema(pg, url)
  let postgresql
  if (schema === undefined) {
    console.log(`bench: decisions: PostgreSQL skipped: ${skipped}`)
    postgresql = { engine: 'postgresql', skipped }
  } else {
    try {
      const withSchema = new URL(url)
      withSchema.searchParams.set('options', `-c search_path=${schema}`)
      const viaHttp = await httpWrites({
        ...http,
        label: 'decisions postgresql',
        serverEnv: { ...serverEnv, DATABASE_URL: withSchema.toString(), CHAIN_KEYS: BENCH_CHAIN_KEYS }
      })
      const store = await openDecisionStore(openPostgres(url, { schema, max: 2 }), { signer })
      const alone = await storeWrites({ settings, store, draft }).finally(() => store.close())
      postgresql = { engine: 'postgresql', schema, http: viaHttp, storeAlone: alone }
    } finally {
      await dropSchema(pg, url, schema)
    }
  }
  for (const s of [embedded, postgresql].filter((s) => !s.skipped)) {
    console.log(
      `bench:   ${s.engine}: ${int(s.http.writesPerSecond)} writes/s over HTTP (p99 ${ms(s.http.latencyMs.p99)}), ` +
        `store alone ${int(s.storeAlone.writesPerSecond)} writes/s (p99 ${ms(s.storeAlone.latencyMs.p99)}); ` +
        `full verification of ${s.storeAlone.fullVerification.checked} records ${ms(s.storeAlone.fullVerification.ms)} ` +
        `(${s.storeAlone.fullVerification.perRecordUs} us a record, event loop held at most ` +
        `${ms(s.storeAlone.fullVerification.maxEventLoopDelayMs)}), incremental ${ms(s.storeAlone.incrementalVerification.ms)}`
    )
  }
  return { procedureId, embedded, postgresql }
}

/** The decision rows of the printed report, from the results object. */
export function printDecisions(decisions, settings) {
  const lines = [`\n  Decision records (one client's chain)   writes/s        p50        p99`]
  for (const s of [decisions.embedded, decisions.postgresql]) {
    if (s.skipped) {
      lines.push(`  ${s.engine}: skipped (${s.skipped})`)
      continue
    }
    const row = (label, m) =>
      lines.push(
        `  ${label.padEnd(38)} ${int(m.writesPerSecond).padStart(8)} ${ms(m.latencyMs.p50).padStart(10)} ${ms(m.latencyMs.p99).padStart(10)}`
      )
    row(`${s.engine}, POST, ${settings.decisionConnections} connections`, s.http)
    row(`${s.engine}, store alone, one at a time`, s.storeAlone)
  }
  const text = `${lines.join('\n')}\n`
  console.log(text.trimEnd())
  return text
}
