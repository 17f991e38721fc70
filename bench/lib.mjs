// Helpers shared by bench/run.mjs, bench/profile.mjs and bench/soak.mjs. Loopback only.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export const HOST = '127.0.0.1' // loopback only, never configurable

/** Resident set size of a process in bytes (Linux /proc), or null when it is gone. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

/** A TCP port free on the loopback address right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

export const mb = (bytes) => (bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MB`)

/**
 * The server's environment in the bench and bench/profile.mjs: production settings with an API key
 * (bench/README.md, "Server settings": why the limiter and load shedding are opened).
 */
export function serverEnv(apiKey) {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST,
    RATE_LIMIT_MAX: '100000000', // the limiter runs, but never answers 429 to the bench
    MAX_EVENT_LOOP_DELAY_MS: '0', // no load shedding: measure throughput, not 503s
    API_KEYS: `bench:sha256:${createHash('sha256').update(apiKey).digest('hex')}` // auth on, as deployed
  }
}
