// PostgreSQL, for several replicas: the store a council's platform team already runs with
// replication and backups. node-postgres with a small pool; the same SQL as the embedded store.
import pg from 'pg'
import { ConflictError, type Row, type Sql } from './sql.js'

const UNIQUE_VIOLATION = '23505'

/** A store operation that did not finish within its deadline: the database does not answer. */
export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError'
  readonly code = 'STORE_TIMEOUT'
}

export interface PostgresOptions {
  schema?: string
  max?: number
  /**
   * The deadline of every operation (DATABASE_TIMEOUT_MS): one query or one whole transaction,
   * waiting for a connection included. Default 5000.
   */
  timeoutMs?: number
}

export function openPostgres(url: string, options: PostgresOptions = {}): Sql {
  const timeoutMs = options.timeoutMs ?? 5000
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that is down refuses connections at once (503 at once); one that is unreachable
    // (a dropped network) fails after this, within the deadline.
    connectionTimeoutMillis: Math.min(3000, timeoutMs),
    // A slow but live server cancels its own statement before the deadline, and the connection
    // stays usable; the deadline (below) is for a server that no longer answers at all. A client
    // that vanished mid-transaction (its deadline destroyed the connection, or the network
    // dropped) does not hold its locks, such as a chain's advisory lock, longer than a deadline.
    // No query_timeout: it fails the query but leaves it waiting on its connection, which a
    // transaction then handed back to the pool as healthy, every later query queued behind it.
    statement_timeout: Math.floor(timeoutMs * 0.8),
    idle_in_transaction_session_timeout: timeoutMs,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {})
  })
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined)
  const conflict = (err: unknown): never => {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError((err as Error).message)
    throw err
  }

  /**
   * Runs `work` on a connection of its own and settles within the deadline. A connection still
   * busy when the deadline passes is destroyed (release with an error), never returned to the
   * pool: its query would still be waiting for an answer, and every later query on it behind that
   * one. The pool opens a new connection for the next operation, so it recovers by itself once
   * the database answers again.
   */
  async function withClient<T>(
    what: string,
    work: (client: pg.PoolClient, expired: () => boolean) => Promise<T>,
    deadlineMs = timeoutMs
  ): Promise<T> {
    let client: pg.PoolClient | undefined
    let expired = false
    let released = false
    const release = (err?: Error) => {
      if (client === undefined || released) return
      released = true
      client.release(err)
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        expired = true
        const err = new StoreTimeoutError(`${what} did not finish within ${deadlineMs} ms`)
        // node-postgres ends a client with a query in flight by destroying its socket, which
        // fails that query: `work` stops at its next await.
        release(err)
        reject(err)
      }, deadlineMs)
    })
    const run = async (): Promise<T> => {
      // A connection that arrives after the deadline is healthy (it just connected, or was idle):
      // back to the pool, unused.
      const acquired = await pool.connect()
      client = acquired
      if (expired) {
        release()
        throw new StoreTimeoutError(`${what} did not get a connection within ${deadlineMs} ms`)
      }
      try {
        const result = await work(acquired, () => expired)
        release()
        return result
      } catch (err) {
        // As pool.query does, a connection that failed is not trusted again; a unique violation
        // (rolled back) is an answer, not a failure.
        release(err instanceof ConflictError ? undefined : (err as Error))
        throw err
      }
    }
    try {
      // The loser's rejection is handled by the race.
      return await Promise.race([run(), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    engine: 'postgresql',
    async query(sql, params = []) {
      return withClient('a query', async (client) => (await client.query(sql, params as unknown[]).catch(conflict)).rows as Row[])
    },
    async transaction(work, { timeoutMs: transactionMs } = {}) {
      // The deadline covers the transaction as a whole, COMMIT included: a COMMIT the server never
      // answers leaves the outcome unknown to the client, who gets a 503 and may retry.
      return withClient(
        'a transaction',
        async (client, expired) => {
          const run = async (sql: string, params?: unknown[]) => {
            if (expired()) throw new StoreTimeoutError('the transaction passed its deadline')
            return client.query(sql, params)
          }
          await run('BEGIN')
          try {
            // A transaction with a deadline of its own (a migration) gets the server's limits to match.
            if (transactionMs !== undefined) {
              await run(`SET LOCAL statement_timeout = ${Math.floor(transactionMs)}`)
              await run(`SET LOCAL idle_in_transaction_session_timeout = ${Math.floor(transactionMs)}`)
            }
            const result = await work({
              query: async (sql, params = []) => (await run(sql, params as unknown[]).catch(conflict)).rows as Row[],
              exec: async (script) => {
                await run(script)
              }
            })
            await run('COMMIT')
            return result
          } catch (err) {
            // Not on a connection past its deadline: it is being destroyed, and the server rolls
            // back a transaction whose connection closes.
            if (!expired()) await client.query('ROLLBACK').catch(() => undefined)
            throw err
          }
        },
        transactionMs
      )
    },
    async exec(script) {
      await withClient('a script', async (client) => {
        await client.query(script)
      })
    },
    async close() {
      await pool.end()
    }
  }
}
