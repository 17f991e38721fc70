// The decision records over either engine: versioned migrations at start, an insert that extends
// the client's hash chain in one transaction, reads and lists confined to the client (tenant),
// and a verification of the chain. Records are never updated or deleted here.
import { createHash, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as jcs from 'canonicalize'
import type { ChainVerification, DecisionRecord, DecisionSummary } from '../../schemas/decision.js'
import { ConflictError, type Row, type Sql } from './sql.js'

// The package is CommonJS and its types declare a default export: under ESM the namespace's
// default is the function itself.
const canonicalize = jcs.default as unknown as (input: unknown) => string

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
/** Any number: only the store takes this PostgreSQL advisory lock, so replicas migrate one at a time. */
const MIGRATION_LOCK = 730_514_2023
const INSERT_ATTEMPTS = 5

/** The record as the client sends it, after the server has computed the report. */
export type DecisionDraft = Omit<DecisionRecord, 'id' | 'createdAt' | 'client' | 'contentHash' | 'previousHash'>

export interface ListOptions {
  reference?: string
  from?: string
  to?: string
  /** The seq to continue below (from a cursor). */
  before?: number
  limit: number
}

export interface DecisionStore {
  readonly engine: Sql['engine']
  insert(client: string, draft: DecisionDraft, now: Date): Promise<DecisionRecord>
  get(client: string, id: string): Promise<DecisionRecord | undefined>
  list(client: string, options: ListOptions): Promise<{ items: (DecisionSummary & { seq: number })[]; more: boolean }>
  verify(client: string): Promise<ChainVerification>
  /** A trivial query: the store answers (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** SHA-256 of the canonical JSON (RFC 8785) of the record without its contentHash. */
export function contentHashOf(record: Omit<DecisionRecord, 'contentHash'> & { contentHash?: string }): string {
  const { contentHash: _omit, ...rest } = record
  return createHash('sha256').update(canonicalize(rest)).digest('hex')
}

/** Applies every migration not yet applied, in version order, each in its own transaction. */
export async function migrate(sql: Sql): Promise<number[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
  await sql.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const applied: number[] = []
  for (const file of files) {
    const version = Number(file.split('_')[0])
    await sql.transaction(async (tx) => {
      if (sql.engine === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      const done = await tx.query('SELECT version FROM schema_migrations WHERE version = $1', [version])
      if (done.length > 0) return
      await tx.exec(readFileSync(MIGRATIONS_DIR + file, 'utf8'))
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        version,
        file,
        new Date().toISOString()
      ])
      applied.push(version)
    })
  }
  return applied
}

const summaryOf = (r: DecisionRecord, seq: number): DecisionSummary & { seq: number } => {
  const s: DecisionSummary & { seq: number } = {
    id: r.id,
    href: `/v1/decisions/${r.id}`,
    createdAt: r.createdAt,
    procedureId: r.procedureId,
    rank: r.rank,
    decidedBy: r.decidedBy,
    rulesetVersion: r.rulesetVersion,
    contentHash: r.contentHash,
    seq
  }
  if (r.reference !== undefined) s.reference = r.reference
  return s
}

/** The day after YYYY-MM-DD, as the exclusive upper bound of a `to` filter. */
const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

export async function openDecisionStore(sql: Sql): Promise<DecisionStore> {
  await migrate(sql)
  return {
    engine: sql.engine,
    async insert(client, draft, now) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await sql.transaction(async (tx) => {
            // PostgreSQL: one writer per client chain at a time across replicas (released at commit).
            if (sql.engine === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`decision-chain:${client}`])
            const [head] = await tx.query('SELECT seq, content_hash FROM decision_records WHERE tenant = $1 ORDER BY seq DESC LIMIT 1', [
              client
            ])
            const unsigned = {
              id: randomUUID(),
              createdAt: now.toISOString(),
              client,
              ...draft,
              previousHash: (head?.content_hash as string | undefined) ?? null
            }
            const record = { ...unsigned, contentHash: contentHashOf(unsigned) } as DecisionRecord
            await tx.query(
              'INSERT INTO decision_records (id, tenant, seq, created_at, reference, procedure_id, content_hash, previous_hash, body) ' +
                'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
              [
                record.id,
                client,
                Number(head?.seq ?? 0) + 1,
                record.createdAt,
                record.reference ?? null,
                record.procedureId,
                record.contentHash,
                record.previousHash,
                canonicalize(record)
              ]
            )
            return record
          })
        } catch (err) {
          // Another replica extended the same chain first: read the new head and try again.
          if (err instanceof ConflictError && attempt < INSERT_ATTEMPTS) continue
          throw err
        }
      }
    },
    async get(client, id) {
      const [row] = await sql.query('SELECT body FROM decision_records WHERE tenant = $1 AND id = $2', [client, id])
      return row ? (JSON.parse(row.body as string) as DecisionRecord) : undefined
    },
    async list(client, o) {
      const where = ['tenant = $1']
      const params: unknown[] = [client]
      const add = (clause: string, value: unknown) => {
        params.push(value)
        where.push(clause.replace('?', `$${params.length}`))
      }
      if (o.reference !== undefined) add('reference = ?', o.reference)
      if (o.from !== undefined) add('created_at >= ?', o.from)
      if (o.to !== undefined) add('created_at < ?', dayAfter(o.to))
      if (o.before !== undefined) add('seq < ?', o.before)
      params.push(o.limit + 1)
      const rows = await sql.query(
        `SELECT seq, body FROM decision_records WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params
      )
      const items = rows.slice(0, o.limit).map((r: Row) => summaryOf(JSON.parse(r.body as string) as DecisionRecord, Number(r.seq)))
      return { items, more: rows.length > o.limit }
    },
    async verify(client) {
      let previous: string | null = null
      let expectedSeq = 1
      let records = 0
      for (;;) {
        const rows = await sql.query(
          'SELECT id, seq, content_hash, previous_hash, body FROM decision_records WHERE tenant = $1 AND seq >= $2 ORDER BY seq LIMIT 500',
          [client, expectedSeq]
        )
        for (const row of rows) {
          const seq = Number(row.seq)
          const fault = (problem: string): ChainVerification => ({
            client,
            records,
            valid: false,
            headHash: previous,
            firstFault: { id: row.id as string, seq, problem }
          })
          if (seq !== expectedSeq) return fault(`record ${expectedSeq} of the chain is missing`)
          let body: DecisionRecord
          try {
            body = JSON.parse(row.body as string) as DecisionRecord
          } catch {
            return fault('the stored record is not JSON')
          }
          if (contentHashOf(body) !== body.contentHash || body.contentHash !== row.content_hash) {
            return fault('the content hash does not match the record')
          }
          if (body.previousHash !== previous || row.previous_hash !== previous) {
            return fault('previousHash does not link to the record before')
          }
          if (body.id !== row.id || body.client !== client) return fault('the record does not belong here')
          previous = body.contentHash
          expectedSeq++
          records++
        }
        if (rows.length < 500) return { client, records, valid: true, headHash: previous }
      }
    },
    async ping() {
      await sql.query('SELECT 1 AS ok')
    },
    close: () => sql.close()
  }
}
