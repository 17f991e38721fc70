// The two ways the bench sends requests: one at a time on a keep-alive socket (preflight, batch
// latency, worst bodies), and autocannon for load. Any non-2xx, error or timeout under load is
// recorded in `errors` (the run fails); autocannon instances are tracked in `running` so a signal
// or a dead server stops them.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { errors, running } from './children.mjs'

// One socket for every one-at-a-time request of the run: the latency measured is that of a warm
// keep-alive connection, never a TCP handshake.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/** One request on a keep-alive socket; resolves with status, byte count, elapsed ms and (if asked) the body. */
export function request(url, { method = 'GET', headers = {}, body, keepBody = false, timeoutS }) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = http.request(url, { method, headers, agent, timeout: timeoutS * 1000 }, (res) => {
      const chunks = []
      let bytes = 0
      res.on('data', (chunk) => {
        bytes += chunk.length
        if (keepBody) chunks.push(chunk)
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          bytes,
          ms: performance.now() - started,
          body: keepBody ? Buffer.concat(chunks).toString('utf8') : undefined
        })
      )
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * One autocannon run of `seconds` against `target` ({ url, method, headers, body }); the latency
 * (ms, float) of every response is pushed to `latencies` when given. Resolves with autocannon's
 * result and the count of each status.
 */
export function cannon(autocannon, name, target, { seconds, connections, timeoutS, latencies = null }) {
  return new Promise((resolve, reject) => {
    const statuses = {}
    let reqErrors = 0
    const instance = autocannon({ ...target, connections, duration: seconds, timeout: timeoutS }, (err, result) => {
      running.delete(instance)
      if (err) return reject(err)
      const non2xx = Object.entries(statuses).filter(([s]) => s < 200 || s >= 300)
      if (non2xx.length > 0 || result.errors > 0 || result.timeouts > 0 || reqErrors > 0) {
        errors.push(`${name}: non-2xx ${JSON.stringify(Object.fromEntries(non2xx))}, errors ${result.errors}, timeouts ${result.timeouts}`)
      }
      resolve({ result, statuses })
    })
    running.add(instance)
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
      if (latencies) latencies.push(responseTime)
    })
    instance.on('reqError', () => reqErrors++)
  })
}
