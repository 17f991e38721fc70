// The verdict and the printed report of bench/run.mjs. Everything printed is read from the
// results object written to JSON, so the table can never show a number the file does not hold.
import { mb } from './lib.mjs'

export const int = (n) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-GB'))
export const ms = (n) => (n === null || n === undefined ? 'n/a' : `${n.toFixed(2)} ms`)

function check(target, value) {
  if (value === null || value === undefined) return { ...target, value, pass: false }
  const pass = target.min !== undefined ? value >= target.min : value < target.maxExclusive
  return { ...target, value, pass }
}

/** Each target with its measured value and `pass`: the `targets` object of the results JSON. */
export function checkTargets(targets, { http, engine, batch, startup, rss }) {
  return {
    ratio: check(targets.ratio, http.ratio),
    p99: check(targets.p99, http.recommendation.latencyMs.p99),
    engine: check(targets.engine, engine.evaluationsPerSecond),
    batch: check(targets.batch, batch.sequential.latencyMs.p50),
    ready: check(targets.ready, startup.readyMedianMs),
    rss: check(targets.rss, rss.afterHttpRun)
  }
}

/**
 * The `noise` object of the results JSON: the most CPU other processes used in any phase (the
 * payload rounds are left out, as they always were), and whether that stayed under 10 %.
 */
export function noiseOf({ engine, startup, batch, http }) {
  const all = [
    engine.otherProcessesCpuPercent,
    startup.otherProcessesCpuPercent,
    batch.otherProcessesCpuPercent,
    ...http.rounds.flatMap((r) => [r.recommendation.otherProcessesCpuPercent, r.hello.otherProcessesCpuPercent])
  ].filter((n) => n !== null)
  const otherProcessesCpuPercentMax = all.length > 0 ? Math.max(...all) : null
  return { otherProcessesCpuPercentMax, quiet: otherProcessesCpuPercentMax === null ? null : otherProcessesCpuPercentMax < 10 }
}

/** Prints the table, the targets and (on a busy machine) the note, from the results object. */
export function printReport(summary) {
  const { settings, machine, engine, startup, http, batch, worstBodies: worst, rss, targets, noise } = summary
  const R = http.recommendation
  const H = http.hello
  const table = [
    ['HTTP, 50 connections', 'req/s', 'p50', 'p99'],
    ['POST /v1/recommendations', int(R.reqPerSecond), ms(R.latencyMs.p50), ms(R.latencyMs.p99)],
    [`GET / hello-world (fastify ${machine.fastify})`, int(H.reqPerSecond), ms(H.latencyMs.p50), ms(H.latencyMs.p99)],
    [
      `POST /payload: bare fastify, same ${Math.round(http.recommendationResponseBytes / 1024)} KB body`,
      int(http.payload.reqPerSecond),
      ms(http.payload.latencyMs.p50),
      ms(http.payload.latencyMs.p99)
    ],
    ['ratio recommendation / hello-world', `${http.ratio}`, `rounds ${http.ratioPerRound.min}-${http.ratioPerRound.max}`, ''],
    ['ratio recommendation / same-payload baseline', `${http.ratioToPayload}`, '', ''],
    ['', '', '', ''],
    [`Batch of ${settings.batchSize} profiles`, 'profiles/s', 'p50', 'p99'],
    [
      'one request at a time',
      int(batch.sequential.profilesPerSecond),
      ms(batch.sequential.latencyMs.p50),
      ms(batch.sequential.latencyMs.p99)
    ],
    [
      `${settings.batchConnections} connections`,
      int(batch.concurrent.profilesPerSecond),
      ms(batch.concurrent.latencyMs.p50),
      ms(batch.concurrent.latencyMs.p99)
    ],
    ['', '', '', ''],
    ['Worst bodies within the limits (5 each)', 'bytes out', 'median', 'max'],
    ...worst.map((w) => [w.name.length > 60 ? `${w.name.slice(0, 57)}...` : w.name, int(w.responseBytes), ms(w.medianMs), ms(w.maxMs)]),
    ['/health/live sent just after one, longest wait', '', '', ms(Math.max(...worst.map((w) => w.healthMaxMs)))],
    ['', '', '', ''],
    [`Engine (${engine.profiles} profiles, one core)`, 'evals/s', 'mean', ''],
    ['recommend()', int(engine.evaluationsPerSecond), `${engine.meanMicrosecondsPerEvaluation} µs`, ''],
    ['', '', '', ''],
    ['Start-up and memory', '', '', ''],
    ['spawn -> /health/ready (median of 3)', `${startup.readyMedianMs} ms`, startup.spawns.map((s) => s.readyMs).join(' / '), ''],
    ['RSS after start / after HTTP / peak', mb(rss.afterStart), mb(rss.afterHttpRun), mb(rss.peak)]
  ]
  const widths = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c].length)))
  console.log('')
  for (const row of table) {
    console.log(
      `  ${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3].padStart(widths[3])}`.trimEnd()
    )
  }
  console.log('\n  Targets (2-core machine, server and load generator sharing it):')
  const shownAs = { rss: mb, engine: int, ratio: (v) => `${v}` }
  for (const [key, t] of Object.entries(targets)) {
    console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.description}  (measured ${(shownAs[key] ?? ms)(t.value)})`)
  }
  if (noise.quiet === false) {
    console.log(
      `\n  NOTE: other processes used up to ${noise.otherProcessesCpuPercentMax}% of the CPUs during the run: absolute numbers are not trustworthy; re-run on a quiet machine.`
    )
  }
}
