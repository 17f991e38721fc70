// Helpers shared by bench/run.mjs and bench/soak.mjs. Loopback only.
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
