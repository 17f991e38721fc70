// The one thing the store needs from a database: parameterised queries ($1, $2, ... in both
// engines) and a transaction. Two adapters implement it: sqlite.ts (embedded) and postgres.ts.
export type Row = Record<string, unknown>

export interface Sql {
  /** Runs one statement; `$1`..`$n` are bound to `params` in order. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. A
   * deadline of its own (PostgreSQL) replaces the one for requests: a migration at start may take
   * longer than any request should.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>
  /** Runs a migration file (several statements, no parameters). */
  exec(script: string): Promise<void>
  /** Which engine, for logs and health. */
  readonly engine: 'sqlite' | 'postgresql'
  close(): Promise<void>
}

/** What a transaction may do. */
export type Tx = Pick<Sql, 'query' | 'exec'>

/** A unique-key violation (a concurrent writer took the same chain position). */
export class ConflictError extends Error {}
