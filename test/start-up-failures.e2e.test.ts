// A process that cannot start says why in exactly one JSON log line (pino's format, level 60
// "fatal", the error's type and message) and exits 1, whatever stops it: a bad configuration
// value, an embedded store another process holds, a database that refuses, a port in use. Every
// line it writes is JSON, so a log pipeline never splits a stack trace into lines of text.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, entry, root, startServer } from './helpers/server-process.js'
import { freePort } from './helpers/metrics.js'
import { TEST_CHAIN_KEYS } from './helpers/chain-signer.js'

ensureBuilt()

interface Failure {
  code: number | null
  lines: string[]
}

/** Runs the server with `env` (and a clean environment) until it exits, within 30 s. */
function failToStart(env: Record<string, string>): Promise<Failure> {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'advisor-data-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += String(c)))
  child.stderr.on('data', (c: Buffer) => (out += String(c)))
  // A safeguard against a process that hangs, not a measure of start-up time (a busy machine
  // takes tens of seconds), kept under tap's timeout for a file (120 s).
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000)
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, lines: out.split('\n').filter((line) => line !== '') })
    })
  )
}

/** Asserts every line is JSON and exactly one is fatal; returns that one. */
function fatalLine(t: Test, failure: Failure): Record<string, unknown> & { err?: Record<string, unknown> } {
  t.equal(failure.code, 1, 'exit code 1')
  const parsed = failure.lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>
    } catch {
      return { notJson: line }
    }
  })
  t.same(
    parsed.filter((p) => 'notJson' in p),
    [],
    'every line is JSON'
  )
  const fatal = parsed.filter((p) => p.level === 60)
  t.equal(fatal.length, 1, `exactly one fatal line (${failure.lines.join(' | ')})`)
  const line = (fatal[0] ?? {}) as Record<string, unknown> & { err?: Record<string, unknown> }
  t.equal(line.msg, 'failed to start')
  t.type(line.time, 'number')
  t.type(line.pid, 'number')
  return line
}

t.test('an invalid configuration value', async (t) => {
  const line = fatalLine(t, await failToStart({ PORT: 'eighty' }))
  t.same(line.err, { type: 'ConfigError', message: 'Invalid configuration: PORT must be integer' }, 'the variable named, no stack')
})

t.test('an embedded store another process holds', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'advisor-data-'))
  const first = await startServer({ DATA_DIR: dataDir })
  t.teardown(() => first.child.kill('SIGKILL'))
  const line = fatalLine(t, await failToStart({ DATA_DIR: dataDir }))
  t.equal(line.err?.type, 'StoreLockedError')
  t.equal(
    line.err?.message,
    `${join(dataDir, 'decisions.sqlite')} is in use by process ${first.child.pid}: the embedded store serves one process (set DATABASE_URL for replicas)`
  )
  t.notOk('stack' in (line.err ?? {}), 'an expected refusal: no stack')
})

t.test('a database that refuses connections', async (t) => {
  const port = await freePort()
  const line = fatalLine(
    t,
    await failToStart({ DATABASE_URL: `postgres://advisor:secret@127.0.0.1:${port}/advisor`, CHAIN_KEYS: TEST_CHAIN_KEYS })
  )
  t.equal(line.err?.type, 'Error')
  t.equal(line.err?.code, 'ECONNREFUSED')
  t.equal(line.err?.message, `connect ECONNREFUSED 127.0.0.1:${port}`)
  t.type(line.err?.stack, 'string', 'an unexpected failure keeps its stack, inside the one JSON line')
})

t.test('PostgreSQL without a key to sign decision chains', async (t) => {
  const line = fatalLine(t, await failToStart({ DATABASE_URL: 'postgres://advisor:secret@127.0.0.1:5/advisor' }))
  t.same(
    line.err,
    {
      type: 'ConfigError',
      message:
        'Invalid configuration: DATABASE_URL is set but CHAIN_KEYS (or CHAIN_KEYS_FILE) is not: every replica must sign decision ' +
        'chains with the same secret key, kept out of the database'
    },
    'refused before connecting, no stack'
  )
})

t.test('a port in use', async (t) => {
  const first = await startServer()
  t.teardown(() => first.child.kill('SIGKILL'))
  const line = fatalLine(t, await failToStart({ PORT: String(first.port) }))
  t.equal(line.err?.code, 'EADDRINUSE')
  t.equal(line.err?.message, `listen EADDRINUSE: address already in use 127.0.0.1:${first.port}`)
})
