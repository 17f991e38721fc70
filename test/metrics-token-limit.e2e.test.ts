// Wrong metrics tokens are limited per address like wrong API keys (AUTH_FAILURE_LIMIT): on the
// main port and on the separate metrics port, a real server process refuses the address with 429
// and Retry-After once it is over the limit, while the right token still scrapes and another
// address keeps its own allowance.
import t from 'tap'
import { request } from 'node:http'
import { startServer } from './helpers/server-process.js'
import { freePort } from './helpers/metrics.js'

const TOKEN = 'metrics-limit-scrape-token-0123456789'

interface Answer {
  status: number
  retryAfter: string | undefined
}

/** GET /metrics with a token, from a loopback address of the caller's choice. */
function scrape(port: number, token: string, localAddress = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/metrics', localAddress, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }))
      }
    )
    req.setTimeout(10000, () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end()
  })
}

async function statuses(port: number, token: string, count: number, localAddress?: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push((await scrape(port, token, localAddress)).status)
  return out
}

for (const where of ['the main port', 'the metrics port']) {
  t.test(`wrong tokens on ${where} are refused with 429 after AUTH_FAILURE_LIMIT`, async (t) => {
    const metricsPort = where === 'the metrics port' ? await freePort() : 0
    const server = await startServer({ METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort), AUTH_FAILURE_LIMIT: '3' })
    t.teardown(() => server.child.kill('SIGKILL'))
    const port = metricsPort || server.port

    t.equal((await scrape(port, TOKEN)).status, 200, 'the right token scrapes')
    t.same(await statuses(port, 'a-wrong-token-0123456789', 3), [401, 401, 401], 'three wrong tokens: 401')
    const refused = await scrape(port, 'another-wrong-token-0123456789')
    t.equal(refused.status, 429, 'the fourth: 429')
    const seconds = Number(refused.retryAfter)
    t.ok(
      Number.isInteger(seconds) && seconds >= 1 && seconds <= 60,
      `with Retry-After in seconds, within the window (${refused.retryAfter})`
    )
    t.equal((await scrape(port, TOKEN)).status, 200, 'the right token still scrapes from that address')
    t.same(await statuses(port, 'a-wrong-token-0123456789', 2, '127.0.0.2'), [401, 401], 'another address has its own allowance')
  })
}
