// The bench's child processes and how a run fails, shared by bench/run.mjs and its phases.
//
// Invariant: every child is tracked from spawn to exit, so it is stopped on success, on error, on
// SIGINT/SIGTERM, on an uncaught exception, at the watchdog, and SIGKILLed at process exit.
// A phase records a failure in `errors` (or calls `die`); the runner checks it between phases.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Running children: { label, child, expectedExit, stderr }. */
export const children = new Set()
/** Anything that makes the run fail (exit 1). */
export const errors = []
/** autocannon instances, stopped on a signal or when a child dies. */
export const running = new Set()

/** Starts `script` under `node` (default: the bench's own Node; bench/run.mjs runs a second HTTP phase under Node 24). */
export function spawnChild(label, script, env, { node = process.execPath } = {}) {
  const child = spawn(node, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    // stdout (pino JSON at info: two lines a request) goes to /dev/null; stderr is kept for crashes.
    stdio: ['ignore', 'ignore', 'pipe']
  })
  const entry = { label, child, expectedExit: false, stderr: '' }
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    entry.stderr = (entry.stderr + chunk).slice(-4000)
  })
  child.once('exit', (code, signal) => {
    children.delete(entry)
    if (!entry.expectedExit) {
      errors.push(
        `${label} (pid ${child.pid}) exited unexpectedly (code ${code}, signal ${signal})${entry.stderr ? `: ${entry.stderr.trim()}` : ''}`
      )
      for (const instance of running) instance.stop() // no point loading a dead server to the end of the round
    }
  })
  children.add(entry)
  return entry
}

export async function stopChild(entry) {
  entry.expectedExit = true
  const { child } = entry
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) {
    child.kill('SIGKILL')
    await exited
  }
}

export async function stopAll() {
  for (const instance of running) instance.stop()
  await Promise.all([...children].map(stopChild))
}

/** Fails the run: prints the message, stops everything, exits 1. Never returns. */
export async function die(message) {
  console.error(`bench: ${message}`)
  await stopAll().catch(() => {})
  process.exit(1)
}

/** Dies when anything recorded an error during `phase`. */
export function checkErrors(phase) {
  if (errors.length > 0) return die(`${phase}: ${errors.join('; ')}`)
}

/**
 * Installs the process-wide guards: children killed at exit, SIGINT/SIGTERM -> stop and exit 130,
 * an uncaught exception or rejection -> die, and the watchdog. Call once, before the first phase.
 */
export function installGuards(watchdogMs) {
  process.on('exit', () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let interrupted = false
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (interrupted) return
      interrupted = true
      console.error(`\nbench: ${signal}: stopping the load and the child processes`)
      stopAll().finally(() => process.exit(130))
    })
  }
  process.on('uncaughtException', (err) => die(`unexpected error: ${err?.stack ?? err}`))
  process.on('unhandledRejection', (err) => die(`unexpected error: ${err?.stack ?? err}`))
  setTimeout(() => die(`the run took longer than ${watchdogMs / 1000} s: stopped`), watchdogMs).unref()
}

/** Polls `url` every 5 ms until it answers 200; resolves with performance.now() at that moment. */
export async function waitFor(url, entry, timeoutMs) {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) {
      throw new Error(`${entry.label} exited before it was ready: ${entry.stderr.trim()}`)
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.status === 200) return performance.now()
    } catch {
      // not listening yet
    }
    await sleep(5)
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
}
