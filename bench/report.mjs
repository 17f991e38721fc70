// The verdict and the printed report of bench/run.mjs. Everything printed is read from the
// results object written to JSON, so the table can never show a number the file does not hold.
import { mb } from './lib.mjs'

export const int = (n) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-GB'))
export const ms = (n) => (n === null || n === undefined ? 'n/a' : `${n.toFixed(2)} ms`)

function check(target, value) {
  if (value === null || value === undefined) return { ...target, value, pass: false }
  const pass =
    target.min !== undefined
      ? value >= target.min
      : target.maxInclusive !== undefined
        ? value <= target.maxInclusive
        : value < target.maxExclusive
  return { ...target, value, pass }
}

/** Each target with its measured value and `pass`: the `targets` object of the results JSON. */
export function checkTargets(targets, { http, engine, batch, startup, rss, secondNode }) {
  const checked = {
    ratio: check(targets.ratio, http.ratioToPayload),
    p99: check(targets.p99, http.recommendation.latencyMs.p99),
    engine: check(targets.engine, engine.evaluationsPerSecond),
    batch: check(targets.batch, batch.sequential.latencyMs.p50),
    ready: check(targets.ready, startup.readyMedianMs),
    rss: check(targets.rss, rss.afterHttpRun)
  }
  // The HTTP targets again under the second Node, when it ran.
  if (secondNode?.http) {
    const under = ` (node ${secondNode.node})`
    checked.ratioSecondNode = check({ ...targets.ratio, description: targets.ratio.description + under }, secondNode.http.ratioToPayload)
    checked.p99SecondNode = check(
      { ...targets.p99, description: targets.p99.description + under },
      secondNode.http.recommendation.latencyMs.p99
    )
  }
  return checked
}

/**
 * The `noise` object of the results JSON: the most CPU other processes used in any phase, and
 * whether that stayed under 10 %.
 */
export function noiseOf({ engine, startup, batch, http, secondNode }) {
  const rounds = (h) =>
    h
      ? h.rounds.flatMap((r) => [
          r.recommendation.otherProcessesCpuPercent,
          r.payload.otherProcessesCpuPercent,
          r.hello.otherProcessesCpuPercent
        ])
      : []
  const all = [
    engine.otherProcessesCpuPercent,
    startup.otherProcessesCpuPercent,
    batch.otherProcessesCpuPercent,
    ...rounds(http),
    ...rounds(secondNode?.http)
  ].filter((n) => n !== null && n !== undefined)
  const otherProcessesCpuPercentMax = all.length > 0 ? Math.max(...all) : null
  return { otherProcessesCpuPercentMax, quiet: otherProcessesCpuPercentMax === null ? null : otherProcessesCpuPercentMax < 10 }
}

/** The rows of one HTTP phase: the service, its same-payload baseline, the hello-world, the ratios. */
function httpRows(http, nodeVersion, fastify) {
  const R = http.recommendation
  const P = http.payload
  const H = http.hello
  return [
    [`HTTP, node ${nodeVersion}, ${http.connections ?? 50} connections`, 'req/s', 'p50', 'p99'],
    ['POST /v1/recommendations (a distinct profile each request)', int(R.reqPerSecond), ms(R.latencyMs.p50), ms(R.latencyMs.p99)],
    [
      `POST /payload: bare fastify ${fastify}, same ${Math.round(http.recommendationResponseBytes / 1024)} KB body`,
      int(P.reqPerSecond),
      ms(P.latencyMs.p50),
      ms(P.latencyMs.p99)
    ],
    ['GET / hello-world, same fastify', int(H.reqPerSecond), ms(H.latencyMs.p50), ms(H.latencyMs.p99)],
    [
      'ratio recommendation / same-payload baseline (headline)',
      `${http.ratioToPayload}`,
      `rounds ${http.ratioToPayloadPerRound.min}-${http.ratioToPayloadPerRound.max}`,
      ''
    ],
    ['ratio recommendation / hello-world', `${http.ratio}`, `rounds ${http.ratioPerRound.min}-${http.ratioPerRound.max}`, '']
  ]
}

/** Prints the table, the targets and (on a busy machine) the note, from the results object; returns the text printed. */
export function printReport(summary) {
  const { settings, machine, engine, startup, http, batch, worstBodies: worst, rss, targets, noise, secondNode } = summary
  const second = secondNode?.http
    ? [
        ['', '', '', ''],
        ...httpRows(secondNode.http, secondNode.node, machine.fastify),
        ['spawn -> /health/ready (one spawn)', `${secondNode.startup.readyMedianMs} ms`, '', ''],
        ['RSS after HTTP / peak', mb(secondNode.rss.afterHttpRun), mb(secondNode.rss.peak), '']
      ]
    : []
  const table = [
    ...httpRows({ ...http, connections: settings.connections }, machine.node, machine.fastify),
    ...second,
    ['', '', '', ''],
    [`Batch of ${settings.batchSize} profiles, node ${machine.node}`, 'profiles/s', 'p50', 'p99'],
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
  const lines = [
    `bench ${summary.startedAt}: ${machine.cpuModel} x${machine.cpuCount}, node ${machine.node}, fastify ${machine.fastify}; ` +
      `load average at start ${machine.loadAverageAtStart.join(', ')}, other processes' CPU up to ${noise.otherProcessesCpuPercentMax ?? 'n/a'}%`,
    ''
  ]
  for (const row of table) {
    lines.push(
      `  ${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3].padStart(widths[3])}`.trimEnd()
    )
  }
  lines.push('', '  Targets (2-core machine, server and load generator sharing it):')
  const shownAs = { rss: mb, engine: int, ratio: (v) => `${v}`, ratioSecondNode: (v) => `${v}` }
  for (const [key, t] of Object.entries(targets)) {
    lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.description}  (measured ${(shownAs[key] ?? ms)(t.value)})`)
  }
  if (secondNode?.error) lines.push('', `  NOTE: the second Node (${secondNode.spec}) was not available: ${secondNode.error}`)
  if (noise.quiet === false) {
    lines.push(
      '',
      `  NOTE: other processes used up to ${noise.otherProcessesCpuPercentMax}% of the CPUs during the run: absolute numbers are not trustworthy; re-run on a quiet machine.`
    )
  }
  const text = `${lines.join('\n')}\n`
  console.log(`\n${text}`)
  return text
}
