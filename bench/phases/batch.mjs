// Phase 4, batch: POST /v1/recommendations/batch with `batchSize` varied profiles, first one
// request at a time on a keep-alive socket (the latency of one batch), then `batchConnections`
// connections with autocannon (profiles per second under concurrency).
import { checkErrors, die } from '../children.mjs'
import { cpuSnapshot, foreignCpuPercent, percentile, round } from '../measure.mjs'
import { cannon, request } from '../requests.mjs'

/** Resolves with the `batch` object of the results JSON. */
export async function runBatch({ autocannon, settings, base, headers, batchBody }) {
  console.log(
    `bench: batch: ${settings.batchSequentialRequests} sequential requests of ${settings.batchSize} profiles, then ${settings.batchConnections} connections for ${settings.batchSeconds} s`
  )
  const url = `${base}/v1/recommendations/batch`
  const cpu0 = cpuSnapshot()
  const latencies = []
  let responseBytes = 0
  for (let i = 0; i < 10 + settings.batchSequentialRequests; i++) {
    const res = await request(url, { method: 'POST', headers, body: batchBody, timeoutS: settings.requestTimeoutS })
    if (res.status !== 200) await die(`batch: answered ${res.status}`)
    if (i >= 10) latencies.push(res.ms) // the first 10 are a warm-up
    responseBytes = res.bytes
  }
  latencies.sort((a, b) => a - b)
  const concurrent = await cannon(
    autocannon,
    'batch',
    { url, method: 'POST', headers, body: batchBody },
    { seconds: settings.batchSeconds, connections: settings.batchConnections, timeoutS: settings.requestTimeoutS }
  )
  await checkErrors('batch')
  const foreignCpu = foreignCpuPercent(cpu0, cpuSnapshot())
  const batchesPerSecond = concurrent.result.requests.total / concurrent.result.duration
  return {
    profilesPerRequest: settings.batchSize,
    otherProcessesCpuPercent: foreignCpu,
    requestBytes: Buffer.byteLength(batchBody),
    responseBytes,
    sequential: {
      requests: latencies.length,
      latencyMs: {
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
        min: round(latencies[0], 2),
        max: round(latencies.at(-1), 2)
      },
      profilesPerSecond: round((settings.batchSize * 1000 * latencies.length) / latencies.reduce((a, b) => a + b, 0), 0)
    },
    concurrent: {
      connections: settings.batchConnections,
      seconds: concurrent.result.duration,
      batchesPerSecond: round(batchesPerSecond, 1),
      profilesPerSecond: round(batchesPerSecond * settings.batchSize, 0),
      latencyMs: { p50: concurrent.result.latency.p50, p99: concurrent.result.latency.p99 }
    }
  }
}
