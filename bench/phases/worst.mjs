// Phase 5, worst bodies: each body of bench/worst-bodies.mjs (the costliest within the body
// limits) 5 times: how long it takes, and how long a GET /health/live sent just after it waits (an
// event-loop freeze would show there). A 5xx, or a health answer other than 200, fails the run.
import { performance } from 'node:perf_hooks'
import { die } from '../children.mjs'
import { median, round } from '../measure.mjs'
import { request } from '../requests.mjs'
import { worstBodies } from '../worst-bodies.mjs'

/** Resolves with the `worstBodies` array of the results JSON. */
export async function runWorst({ settings, base, headers, bodyLimit, batchBodyLimit }) {
  const worst = []
  for (const { name, path, body } of worstBodies({ bodyLimit, batchBodyLimit })) {
    const times = []
    const healthTimes = []
    let bytes = 0
    for (let i = 0; i < 5; i++) {
      const sent = request(`${base}${path}`, { method: 'POST', headers, body, timeoutS: settings.requestTimeoutS })
      const healthStarted = performance.now()
      const healthRes = await fetch(`${base}/health/live`)
      await healthRes.arrayBuffer()
      const health = healthRes.status
      healthTimes.push(performance.now() - healthStarted)
      const res = await sent
      if (res.status >= 500 || health !== 200) await die(`worst bodies: ${name} answered ${res.status}, /health/live ${health}`)
      times.push(res.ms)
      bytes = res.bytes
    }
    worst.push({
      name,
      requestBytes: Buffer.byteLength(body),
      responseBytes: bytes,
      medianMs: round(median(times), 2),
      maxMs: round(Math.max(...times), 2),
      healthMaxMs: round(Math.max(...healthTimes), 2)
    })
  }
  const slowest = worst.reduce((a, b) => (b.maxMs > a.maxMs ? b : a))
  console.log(
    `bench: worst bodies: ${worst.length} kinds; slowest ${slowest.maxMs} ms (${slowest.name}); /health/live waited at most ${Math.max(...worst.map((w) => w.healthMaxMs))} ms`
  )
  return worst
}
