// The embedded store: SQLite compiled to WebAssembly (node-sqlite3-wasm), writing straight to a
// file under DATA_DIR with fsync on every commit, on Node 20 and 24 alike, with no native build.
// One process owns the file: a PID file under DATA_DIR refuses a second live process, and clears
// the lock directory a killed process left behind (the package locks with mkdir, which kill -9
// cannot undo).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sqlite from 'node-sqlite3-wasm'
import { ConflictError, type Row, type Sql, type Tx } from './sql.js'

const { Database } = sqlite

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** `$1`..`$n` as SQLite named parameters, bound by name. */
function bind(params: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {}
  params.forEach((value, i) => {
    named[`$${i + 1}`] = value
  })
  return named
}

export class StoreLockedError extends Error {
  override name = 'StoreLockedError'
}

export function openSqlite(dataDir: string): Sql {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'decisions.sqlite')
  const pidFile = join(dataDir, 'decisions.pid')
  let owner: number | undefined
  try {
    owner = Number(readFileSync(pidFile, 'utf8'))
  } catch {
    owner = undefined
  }
  if (owner !== undefined && owner !== process.pid && Number.isInteger(owner) && owner > 0 && alive(owner)) {
    throw new StoreLockedError(
      `${file} is in use by process ${owner}: the embedded store serves one process (set DATABASE_URL for replicas)`
    )
  }
  rmSync(`${file}.lock`, { recursive: true, force: true })
  writeFileSync(pidFile, String(process.pid))

  const db = new Database(file)
  // A rollback journal with a full sync on every commit: an answered write survives kill -9 and
  // power loss; a half-written transaction is rolled back when the file is next opened.
  db.exec('PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON')

  const run = (sql: string, params: readonly unknown[] = []): Row[] => {
    try {
      return db.all(sql, bind(params) as never) as Row[]
    } catch (err) {
      if (/UNIQUE constraint failed/.test((err as Error).message)) throw new ConflictError((err as Error).message)
      throw err
    }
  }
  // The database is synchronous: a transaction runs start to finish without yielding to another
  // request, so transactions never interleave within the one process.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    engine: 'sqlite',
    async query(sql, params) {
      return run(sql, params)
    },
    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE')
        try {
          const result = await work({ query: async (sql, params) => run(sql, params), exec: async (script) => db.exec(script) })
          db.exec('COMMIT')
          return result
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK')
          throw err
        }
      })
      queue = next.catch(() => undefined)
      return next
    },
    async exec(script) {
      db.exec(script)
    },
    async close() {
      await queue
      if (db.isOpen) db.close()
      rmSync(pidFile, { force: true })
    }
  }
}
