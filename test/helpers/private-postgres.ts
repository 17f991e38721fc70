// A PostgreSQL server of the test's own, for tests that stop the database: initdb on a temporary
// folder, a free loopback port, the socket in that folder. Never the shared server on 5432.
// PostgreSQL refuses to run as root: as root (CI containers, this machine) every command runs as
// the `postgres` user (created by Debian's package) on a folder it owns.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'

const INSTALL_HINT = "initdb not found: install Debian's postgresql package (apt-get install postgresql; .ci/run does it)"

/** The bin folder of the newest PostgreSQL that Debian's packages installed, or undefined. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication). */
  url: string
  port: number
  /** `pg_ctl start -w`: same data folder, same port. */
  start(): void
  /** `pg_ctl stop -m immediate`: like a crash; the next start recovers from the WAL. */
  stop(): void
  /**
   * SIGSTOP to the postmaster and every process it started: a server that hangs, its connections
   * open but unanswered (a frozen VM, a full disk). Linux only (reads /proc). The teardown thaws it.
   */
  freeze(): void
  /** SIGCONT to every process freeze() stopped. */
  thaw(): void
}

/** The processes whose parent is `pid` (from /proc/<pid>/stat). */
function childrenOf(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (ppid === pid) children.push(Number(entry))
  }
  return children
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
    }
  }
}

/**
 * Creates and starts a private server, stopped and deleted at the end of `t`. Outside CI a
 * missing initdb plans a skip with the reason and returns undefined; with CI set it fails.
 */
export async function privatePostgres(t: Test): Promise<PrivatePostgres | undefined> {
  const bin = postgresBinDir()
  if (bin === undefined) {
    if (process.env.CI) t.fail(`${INSTALL_HINT} (CI is set, so this test may not skip)`)
    else t.plan(0, INSTALL_HINT)
    return undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'private-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]
    try {
      execFileSync(command, argv, { cwd: dir, stdio: 'pipe', timeout: 60_000 })
    } catch (err) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''
      throw new Error(`${tool} ${args.join(' ')} failed: ${String((err as { stderr?: unknown }).stderr ?? err)}\n${log}`)
    }
  }
  const port = await freePort()
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=30 -c shared_buffers=16MB`
  let running = false
  let frozen: number[] = []
  const server: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start'])
      running = true
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      running = false
    },
    freeze() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      // The postmaster first, so that it starts no new process meanwhile.
      signal([postmaster], 'SIGSTOP')
      frozen = [postmaster, ...childrenOf(postmaster)]
      signal(frozen, 'SIGSTOP')
    },
    thaw() {
      signal(frozen, 'SIGCONT')
      frozen = []
    }
  }
  // Also when the test process ends without its teardown (a tap timeout): never leave it stopped.
  const thawAtExit = () => server.thaw()
  process.once('exit', thawAtExit)
  t.teardown(() => {
    // A stopped postmaster would not act on pg_ctl's stop request.
    server.thaw()
    process.off('exit', thawAtExit)
    if (running) server.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  server.start()
  return server
}
