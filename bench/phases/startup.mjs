// Phase 2, start-up: spawn -> first GET /health/ready 200 of the real server, `startupSpawns`
// times; the last server stays up for the HTTP phases, the others are stopped.
import { performance } from 'node:perf_hooks'
import { HOST, freePort, rssBytes } from '../lib.mjs'
import { checkErrors, die, spawnChild, stopChild, waitFor } from '../children.mjs'
import { cpuSnapshot, foreignCpuPercent, median, round } from '../measure.mjs'

/**
 * Resolves with `startup` (the object of the results JSON), and `server` (the child entry) and
 * `port` of the server left running.
 */
export async function runStartup({ settings, serverScript, serverEnv, node = process.execPath, spawnCount = settings.startupSpawns }) {
  const cpu0 = cpuSnapshot()
  const spawns = []
  let server = null
  let serverPort = null
  for (let i = 0; i < spawnCount; i++) {
    const port = await freePort()
    const spawnedAt = performance.now()
    const entry = spawnChild(`server #${i + 1}`, serverScript, { ...serverEnv, PORT: String(port) }, { node })
    let readyAt
    try {
      readyAt = await waitFor(`http://${HOST}:${port}/health/ready`, entry, 30_000)
    } catch (err) {
      await die(`start-up: ${err.message}`)
    }
    spawns.push({ readyMs: round(readyAt - spawnedAt, 1), rssAtReady: rssBytes(entry.child.pid) })
    if (i < spawnCount - 1) await stopChild(entry)
    else {
      server = entry
      serverPort = port
    }
  }
  await checkErrors('start-up')
  const foreignCpu = foreignCpuPercent(cpu0, cpuSnapshot())
  const readyMedianMs = median(spawns.map((s) => s.readyMs))
  console.log(`bench: start-up: ${spawns.map((s) => `${s.readyMs} ms`).join(', ')} (median ${readyMedianMs} ms)`)
  return { startup: { spawns, readyMedianMs, otherProcessesCpuPercent: foreignCpu }, server, port: serverPort }
}
