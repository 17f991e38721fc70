// Redis for the shared rate-limit tests: the shared server .ci/run installs and starts
// (TEST_REDIS_URL, default 127.0.0.1:6379), used under a key prefix of the test's own; and private
// redis-server processes on free ports, which a test may stop and restart (never the shared one).
// Outside CI a missing Redis or redis-server skips the test with the reason; with CI set it
// fails instead, so CI can never pass without them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import { freePort } from './metrics.js'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

function unavailable(t: Test, hint: string, reason: string): undefined {
  if (process.env.CI) t.fail(`${hint} (${reason}; CI is set, so this test may not skip)`)
  else t.plan(0, hint)
  return undefined
}

/** Answers PING within a second, or says why not. */
async function ping(url: string): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.ping()
    return undefined
  } catch (err) {
    return (err as Error).message
  } finally {
    client.disconnect()
  }
}

/**
 * The shared Redis and a fresh key prefix, whose keys are deleted when the test ends; undefined
 * (after planning a skip, or failing under CI) when Redis does not answer.
 */
export async function sharedRedis(t: Test): Promise<{ url: string; prefix: string } | undefined> {
  const failure = await ping(TEST_REDIS_URL)
  if (failure !== undefined) {
    return unavailable(t, `Redis not reachable at ${TEST_REDIS_URL}: run .ci/run, or start it (redis-server --daemonize yes)`, failure)
  }
  const prefix = `pra-test-${randomBytes(6).toString('hex')}:`
  t.teardown(async () => {
    const client = new Redis(TEST_REDIS_URL)
    const keys = await client.keys(`${prefix}*`)
    if (keys.length > 0) await client.del(...keys)
    client.disconnect()
  })
  return { url: TEST_REDIS_URL, prefix }
}

export interface PrivateRedis {
  url: string
  port: number
  /** Sends a signal to the running server (SIGSTOP: it hangs with its connections open; SIGCONT). */
  signal(signal: NodeJS.Signals): void
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>
  /** Starts it again on the same port (empty: nothing is saved) and waits until it answers. */
  start(): Promise<void>
}

/** A redis-server of the test's own on a free loopback port, stopped when the test ends. */
export async function privateRedis(t: Test): Promise<PrivateRedis | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    return unavailable(t, 'redis-server not found: run .ci/run, or apt-get install redis-server', 'no redis-server on PATH')
  }
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  const dir = mkdtempSync(join(tmpdir(), 'redis-'))
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore'
    })
    const running = child
    exited = new Promise((resolve) => running.once('exit', () => resolve()))
    const deadline = Date.now() + 10000
    for (;;) {
      const failure = await ping(url)
      if (failure === undefined) return
      if (Date.now() > deadline) throw new Error(`private redis-server on port ${port} did not answer: ${failure}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const stop = async () => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGCONT')
    child.kill('SIGKILL')
    await exited
  }
  await start()
  t.teardown(stop)
  return { url, port, signal: (signal) => child?.kill(signal), stop, start }
}
