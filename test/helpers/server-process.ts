// The real server process (`node dist/src/server.js`) on a free loopback port, for tests that
// need the process itself: start-up, signals, slow clients, and a browser driving /docs.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))
export const entry = fileURLToPath(new URL('../../dist/src/server.js', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  /** http://127.0.0.1:PORT */
  url: string
  port: number
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string
}

/** Builds dist/ when the server entry point is missing (`npm test` builds it first). */
export function ensureBuilt(): void {
  if (!existsSync(entry)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
}

/**
 * Starts the server with a clean environment (PATH only) plus `env`, on 127.0.0.1 and a port the
 * OS picks, and resolves once the pino log says "Server listening at http://127.0.0.1:PORT".
 * Load shedding is off and the rate limit out of reach unless `env` says otherwise. LOG_LEVEL
 * must stay at info or lower: the port is read from the log. The caller kills the child.
 *
 * `startTimeoutMs` is a safeguard against a server that hangs, not a measure of its start: on a
 * busy machine (CI shared with other work, or a CPU-burning process beside the tests) a start
 * that takes a second when idle took more than 15 s. It is kept under tap's timeout for a file
 * (120 s), so that a hung child is killed rather than left behind.
 *
 * `bare`: without the hooks tap loads into every child process through NODE_OPTIONS (process
 * info, coverage). They add some 30 MB to the server and make its heap's size erratic, so a test
 * that measures the server's memory starts it bare, as it runs in production (Linux: /usr/bin/env
 * removes the variable and execs node, so the child's pid is the server's).
 */
export async function startServer(
  env: Record<string, string> = {},
  startTimeoutMs = 100_000,
  { bare = false } = {}
): Promise<ServerProcess> {
  ensureBuilt()
  const [command, args] = bare ? ['/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, entry]] : [process.execPath, [entry]]
  const child = spawn(command, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '1000000',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      MAX_RSS_BYTES: '0',
      // Each server its own embedded decision store: the store serves one process.
      DATA_DIR: mkdtempSync(join(tmpdir(), 'advisor-data-')),
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += String(c)))
  child.stderr?.on('data', (c: Buffer) => (out += String(c)))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within ${startTimeoutMs} ms: ${out}`))
    }, startTimeoutMs)
    const onData = () => {
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (!match) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      resolve(Number(match[1]))
    }
    // Registered after the collector above, so `out` already holds the chunk.
    child.stdout?.on('data', onData)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening: ${out}`))
    })
  })
  return { child, port, url: `http://127.0.0.1:${port}`, exited, output: () => out }
}
