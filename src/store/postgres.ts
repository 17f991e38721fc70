// PostgreSQL, for several replicas: the store a council's platform team already runs with
// replication and backups. node-postgres with a small pool; the same SQL as the embedded store.
import pg from 'pg'
import { ConflictError, type Row, type Sql } from './sql.js'

const UNIQUE_VIOLATION = '23505'

export function openPostgres(url: string, options: { schema?: string; max?: number } = {}): Sql {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that is down refuses connections at once (503 at once); one that is unreachable
    // (a dropped network) must not hold a request longer than this either.
    connectionTimeoutMillis: 3000,
    // A hung query must not hold a request forever: the server cancels it (statement_timeout), and
    // the client gives up on a server that stopped answering altogether (query_timeout).
    statement_timeout: 10_000,
    query_timeout: 12_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {})
  })
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined)
  const conflict = (err: unknown): never => {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError((err as Error).message)
    throw err
  }
  return {
    engine: 'postgresql',
    async query(sql, params = []) {
      return (await pool.query(sql, params as unknown[]).catch(conflict)).rows as Row[]
    },
    async transaction(work) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await work({
          query: async (sql, params = []) => (await client.query(sql, params as unknown[]).catch(conflict)).rows as Row[],
          exec: async (script) => {
            await client.query(script)
          }
        })
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      } finally {
        client.release()
      }
    },
    async exec(script) {
      await pool.query(script)
    },
    async close() {
      await pool.end()
    }
  }
}
