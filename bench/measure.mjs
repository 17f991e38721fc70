// Numbers for bench/run.mjs and its phases: percentiles and rounding, the CPU other processes use
// (a run's absolute numbers mean nothing on a busy machine), and the server's RSS peak.
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { children } from './children.mjs'
import { rssBytes } from './lib.mjs'

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
export const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50
  )
export const round = (n, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(digits)))

/** How busy all CPUs were (percent, from /proc/stat) over `windowMs`; null off Linux. */
export async function cpuBusyPercent(windowMs) {
  const read = () => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
      const idle = fields[3] + (fields[4] ?? 0)
      return { idle, total: fields.reduce((a, b) => a + b, 0) }
    } catch {
      return null
    }
  }
  const a = read()
  await sleep(windowMs)
  const b = read()
  if (!a || !b || b.total === a.total) return null
  return round(100 * (1 - (b.idle - a.idle) / (b.total - a.total)), 1)
}

/**
 * CPU ticks (user + system) of a process, from /proc/<pid>/stat; 0 when it is gone. With
 * `reaped`, also those of its children that have exited and been waited for (cutime, cstime).
 */
function processTicks(pid, reaped = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)
  } catch {
    return 0
  }
}

/**
 * CPU used by processes other than the bench and its children, as a percent of all CPUs, between
 * two snapshots: the machine must be quiet for absolute numbers to mean anything.
 */
export function cpuSnapshot() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    const total = fields.reduce((a, b) => a + b, 0)
    const busy = total - fields[3] - (fields[4] ?? 0)
    let own = processTicks(process.pid, true)
    for (const { child } of children) own += processTicks(child.pid)
    return { total, busy, own }
  } catch {
    return null
  }
}
export function foreignCpuPercent(a, b) {
  if (!a || !b || b.total === a.total) return null
  return round(Math.max(0, (100 * (b.busy - a.busy - (b.own - a.own))) / (b.total - a.total)), 1)
}

/** Samples the RSS of `pid` every 250 ms from now on; `stop()` returns the peak, the final reading included. */
export function sampleRssPeak(pid) {
  let peak = rssBytes(pid) ?? 0
  const sampler = setInterval(() => {
    const rss = rssBytes(pid)
    if (rss !== null && rss > peak) peak = rss
  }, 250)
  return {
    stop() {
      clearInterval(sampler)
      const last = rssBytes(pid)
      if (last !== null && last > peak) peak = last
      return { last, peak }
    }
  }
}
