// The decision records over either engine: versioned migrations at start, an insert that extends
// the client's signed hash chain in one transaction, reads and lists confined to the client
// (tenant) that check every entry they serve, and a verification of the chain that checks only
// what came after its last signed checkpoint, in slices that never hold the event loop for long.
// Entries are never updated or deleted here.
import { createHash, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import * as jcs from 'canonicalize'
import type { ChainVerification, DecisionRecord, DecisionSummary, EntryFault, Receipt } from '../../schemas/decision.js'
import { ConflictError, type Row, type Sql, type Tx } from './sql.js'
import type { ChainSigner, EntryPlace, Signed } from './signing.js'

// The package is CommonJS and its types declare a default export: under ESM the namespace's
// default is the function itself.
const canonicalize = jcs.default as unknown as (input: unknown) => string

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
/** Any number: only the store takes this PostgreSQL advisory lock, so replicas migrate one at a time. */
const MIGRATION_LOCK = 730_514_2023
const INSERT_ATTEMPTS = 5
/** A migration's transaction may take this long (copying and signing every record of 1.1, say): far beyond a request's deadline. */
const MIGRATION_TIMEOUT_MS = 600_000
/** Rows of decision_records copied per query by migration 002. */
const MIGRATION_BATCH = 200
/** Entries read per query while verifying: small enough that reading one batch is a short task too. */
const VERIFY_BATCH = 25
/** The largest seq PostgreSQL's INTEGER column holds. */
export const MAX_SEQ = 2_147_483_647

/** The record as the client sends it, after the server has computed the report. */
export type DecisionDraft = Omit<DecisionRecord, 'id' | 'createdAt' | 'client' | 'contentHash' | 'previousHash'>

/** A decision record as stored: the record (exactly as hashed) and its place in the chain. */
export interface StoredDecision {
  record: DecisionRecord
  seq: number
  signature: string
  keyId: string
}

export interface ListOptions {
  reference?: string
  from?: string
  to?: string
  /** The seq to continue below (from a cursor). */
  before?: number
  limit: number
}

export interface DecisionPage {
  items: (DecisionSummary & { seq: number })[]
  /** Entries in the page's range that failed their check: listed, never served as genuine. */
  faults: EntryFault[]
  more: boolean
  /** The seq of the page's oldest entry, good or not: where the next page continues. */
  lastSeq?: number
}

export interface StoreOptions {
  signer: ChainSigner
  /** Entries one client's chain may hold; the next insert is refused (QuotaExceededError). */
  quota?: number
  /** Longest stretch of checking before verification lets the event loop turn. */
  sliceMs?: number
}

export interface DecisionStore {
  readonly engine: Sql['engine']
  readonly quota: number
  insert(client: string, draft: DecisionDraft, now: Date): Promise<{ stored: StoredDecision; receipt: Receipt }>
  /** The record, checked; undefined when the client has none with this id; IntegrityError when it fails its check. */
  get(client: string, id: string): Promise<StoredDecision | undefined>
  list(client: string, options: ListOptions): Promise<DecisionPage>
  /** Checks the entries added since the last verified checkpoint, or (full) every entry. */
  verify(client: string, options?: { full?: boolean }): Promise<ChainVerification>
  /** A trivial query: the store answers (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** A client's chain already holds its quota of entries. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError'
  constructor(readonly quota: number) {
    super(`the chain holds its quota of ${quota} entries`)
  }
}

/** A stored entry failed its check: altered, forged, or outside the chain. It is never served. */
export class IntegrityError extends Error {
  override name = 'IntegrityError'
  constructor(readonly fault: EntryFault) {
    super(fault.problem)
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** SHA-256 of the canonical JSON (RFC 8785) of the record without its contentHash. */
export function contentHashOf(record: Omit<DecisionRecord, 'contentHash'> & { contentHash?: string }): string {
  const { contentHash: _omit, ...rest } = record
  return sha256(canonicalize(rest))
}

/**
 * Whether a record parsed from its stored canonical JSON hashes to `expected`. JSON.stringify of
 * an object parsed from canonical JSON is that canonical JSON again (same member order, the same
 * number and string forms) for every record this service writes, at a fraction of canonicalize's
 * cost; a match proves the content (SHA-256), so only a mismatch needs the canonical form.
 */
function hashMatches(record: Record<string, unknown>, expected: string): boolean {
  const { contentHash: _omit, ...rest } = record
  return sha256(JSON.stringify(rest)) === expected || sha256(canonicalize(rest)) === expected
}

/** A code step of a migration: runs after its SQL, in the same transaction. */
type CodeStep = (tx: Tx, engine: Sql['engine'], signer: ChainSigner) => Promise<void>

/** Applies every migration not yet applied, in version order, each in its own transaction. */
export async function migrate(sql: Sql, signer: ChainSigner): Promise<number[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
  await sql.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const applied: number[] = []
  for (const file of files) {
    const version = Number(file.split('_')[0])
    await sql.transaction(
      async (tx) => {
        if (sql.engine === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
        const done = await tx.query('SELECT version FROM schema_migrations WHERE version = $1', [version])
        if (done.length > 0) return
        await tx.exec(readFileSync(MIGRATIONS_DIR + file, 'utf8'))
        await CODE_STEPS[version]?.(tx, sql.engine, signer)
        await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          version,
          file,
          new Date().toISOString()
        ])
        applied.push(version)
      },
      { timeoutMs: MIGRATION_TIMEOUT_MS }
    )
  }
  return applied
}

const CODE_STEPS: Record<number, CodeStep> = {
  // 002: the records of 1.1 (decision_records, unsigned) become signed chain entries. A row the
  // new constraints refuse (a seq below 1, a broken first link) stops the migration, with the
  // database's own message: it was never part of a chain, and deciding what it is needs a person.
  2: async (tx, _engine, signer) => {
    const [outside] = await tx.query('SELECT id, tenant, seq FROM decision_records WHERE seq < 1 LIMIT 1')
    if (outside) {
      throw new Error(
        `decision_records holds a row outside any chain (id ${String(outside.id)}, client ${String(outside.tenant)}, seq ` +
          `${String(outside.seq)}): the service never writes one. Inspect and remove it, then start again`
      )
    }
    const heads = new Map<string, Row>()
    for await (const row of legacyRows(tx)) {
      const place = {
        kind: 'decision',
        tenant: row.tenant as string,
        seq: Number(row.seq),
        contentHash: row.content_hash as string,
        previousHash: (row.previous_hash as string | null) ?? null
      }
      const signed = signer.signEntry(place)
      await tx.query(INSERT_ENTRY, [
        place.tenant,
        place.seq,
        'decision',
        row.id,
        row.created_at,
        row.reference ?? null,
        row.procedure_id,
        place.contentHash,
        place.previousHash,
        signed.signature,
        signed.keyId,
        row.body
      ])
      heads.set(place.tenant, { ...row, ...signed })
    }
    for (const [tenant, head] of heads) {
      await tx.query(INSERT_HEAD, [tenant, Number(head.seq), head.content_hash, head.signature, head.keyId])
    }
    await tx.exec('DROP TABLE decision_records')
  }
}

/** The rows of decision_records in chain order, a batch at a time (a table of 1.1 may be large). */
async function* legacyRows(tx: Tx): AsyncGenerator<Row> {
  let after: [string, number] = ['', 0]
  for (;;) {
    const rows = await tx.query(
      'SELECT id, tenant, seq, created_at, reference, procedure_id, content_hash, previous_hash, body FROM decision_records ' +
        `WHERE tenant > $1 OR (tenant = $1 AND seq > $2) ORDER BY tenant, seq LIMIT ${MIGRATION_BATCH}`,
      after
    )
    yield* rows
    if (rows.length < MIGRATION_BATCH) return
    const last = rows.at(-1)!
    after = [String(last.tenant), Number(last.seq)]
  }
}

const ENTRY_COLUMNS = 'tenant, seq, kind, id, created_at, reference, procedure_id, content_hash, previous_hash, signature, key_id, body'
const INSERT_ENTRY = `INSERT INTO chain_entries (${ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
const INSERT_HEAD = 'INSERT INTO chain_heads (tenant, seq, head_hash, signature, key_id) VALUES ($1, $2, $3, $4, $5)'

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
  if (r.profile.title !== undefined) s.title = r.profile.title
  return s
}

/** The day after YYYY-MM-DD, as the exclusive upper bound of a `to` filter. */
const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))

/** What a stored entry's signature covers, as its row says. */
const placeOf = (row: Row, client: string): EntryPlace => ({
  kind: String(row.kind),
  tenant: client,
  seq: Number(row.seq),
  contentHash: String(row.content_hash),
  previousHash: nullable(row.previous_hash)
})
const signedOf = (row: Row): Signed => ({ signature: String(row.signature), keyId: String(row.key_id) })

/**
 * Checks one stored entry of `client`'s chain on its own: its signature (so it was written by this
 * service at this place of this client's chain), its content hash, and that the columns used to
 * find and filter it say what the signed record says. The link to the entry before is checked by
 * the verification, which reads entries in order.
 */
function checkEntry(row: Row, client: string, signer: ChainSigner): { record: DecisionRecord } | { fault: EntryFault } {
  const seq = Number(row.seq)
  const fault = (problem: string) => ({ fault: { id: String(row.id), seq, problem } })
  if (!Number.isSafeInteger(seq) || seq < 1) return fault('the entry is outside the chain (its place is below 1)')
  const place = placeOf(row, client)
  if (!signer.verifyEntry(place, signedOf(row))) {
    return fault('the signature does not match the entry: it was not written here by this service, or it was altered')
  }
  if (place.kind !== 'decision') return fault(`the entry is a ${place.kind}, not a decision record`)
  let record: DecisionRecord
  try {
    record = JSON.parse(String(row.body)) as DecisionRecord
  } catch {
    return fault('the stored record is not JSON')
  }
  if (
    typeof record !== 'object' ||
    record === null ||
    record.contentHash !== place.contentHash ||
    !hashMatches(record as never, place.contentHash)
  ) {
    return fault('the content hash does not match the record')
  }
  if ((record.previousHash ?? null) !== place.previousHash) return fault('previousHash does not link to the record before')
  if (
    record.id !== row.id ||
    record.client !== client ||
    record.createdAt !== row.created_at ||
    (record.reference ?? null) !== nullable(row.reference) ||
    record.procedureId !== row.procedure_id
  ) {
    return fault('the stored columns do not match the signed record')
  }
  return { record }
}

/**
 * A budget of time the event loop may be held: `turn()` lets it turn (other requests run) once
 * `sliceMs` has passed since it last did. One budget spans a whole verification, its queries
 * included (the embedded store's are synchronous), so no stretch between two turns is longer
 * than about `sliceMs` plus one step.
 */
class Slices {
  private started = performance.now()
  constructor(private readonly sliceMs: number) {}

  async turn(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return
    await nextTurn()
    this.started = performance.now()
  }
}

/** Runs `check` over `rows` within `slices`. */
async function inSlices<T>(rows: Row[], slices: Slices, check: (row: Row) => T): Promise<T[]> {
  const out: T[] = []
  for (const row of rows) {
    await slices.turn()
    out.push(check(row))
  }
  return out
}

/**
 * At most one verification per client and kind runs at a time, and at most one waits behind it:
 * every request that arrives meanwhile shares the waiting one, which starts after the running one
 * and so sees every entry written before the request came. However many requests a client sends,
 * its verifications never queue up.
 */
class Coalescer<T> {
  private readonly runs = new Map<string, { running: Promise<T>; waiting?: Promise<T> }>()

  run(key: string, task: () => Promise<T>): Promise<T> {
    const state = this.runs.get(key)
    if (!state) {
      const running = task().finally(() => this.finish(key, running))
      this.runs.set(key, { running })
      return running
    }
    if (!state.waiting) {
      const waiting: Promise<T> = state.running
        .catch(() => undefined)
        .then(() => {
          this.runs.set(key, { running: waiting })
          return task()
        })
        .finally(() => this.finish(key, waiting))
      state.waiting = waiting
    }
    return state.waiting
  }

  private finish(key: string, done: Promise<T>): void {
    if (this.runs.get(key)?.running === done) this.runs.delete(key)
  }
}

async function readHead(
  sql: Sql,
  client: string
): Promise<{ seq: number; headHash: string; signature: string; keyId: string } | undefined> {
  const [head] = await sql.query('SELECT seq, head_hash, signature, key_id FROM chain_heads WHERE tenant = $1', [client])
  if (!head) return undefined
  return { seq: Number(head.seq), headHash: String(head.head_hash), signature: String(head.signature), keyId: String(head.key_id) }
}

/**
 * Verifies `client`'s chain: from its last signed checkpoint (or, `full`, from the first entry),
 * each entry's signature, content hash and link, then that the chain ends at the recorded head;
 * a valid run moves the checkpoint. Runs within `slices` of the event loop.
 */
async function verifyChain(sql: Sql, signer: ChainSigner, sliceMs: number, client: string, full: boolean): Promise<ChainVerification> {
  const head = await readHead(sql, client)
  let start = 1
  let previous: string | null = null
  let last: { seq: number; hash: string; signed: Signed } | undefined
  const answer = (fault?: EntryFault): ChainVerification => {
    const v: ChainVerification = {
      client,
      records: last?.seq ?? 0,
      valid: fault === undefined,
      headHash: last?.hash ?? null,
      seq: last?.seq ?? 0,
      signature: last?.signed.signature ?? null,
      keyId: last?.signed.keyId ?? null,
      scope: start === 1 ? 'full' : 'since-checkpoint',
      checkedFrom: start,
      checked: (last?.seq ?? start - 1) - start + 1
    }
    if (fault) v.firstFault = fault
    return v
  }
  const [outside] = await sql.query('SELECT id, seq FROM chain_entries WHERE tenant = $1 AND seq < 1 ORDER BY seq LIMIT 1', [client])
  if (outside) {
    return answer({ id: String(outside.id), seq: Number(outside.seq), problem: 'the entry is outside the chain (its place is below 1)' })
  }

  if (!full) {
    const [cp] = await sql.query('SELECT seq, head_hash, verified_at, signature, key_id FROM chain_checkpoints WHERE tenant = $1', [client])
    const cpSeq = Number(cp?.seq)
    const cpHash = String(cp?.head_hash)
    if (cp && signer.verifyCheckpoint(client, cpSeq, cpHash, { signature: String(cp.signature), keyId: String(cp.key_id) })) {
      const [at] = await sql.query('SELECT id, content_hash, signature, key_id FROM chain_entries WHERE tenant = $1 AND seq = $2', [
        client,
        cpSeq
      ])
      if (!at) {
        return answer({ seq: cpSeq, problem: `record ${cpSeq} of the chain, verified on ${String(cp.verified_at)}, is missing` })
      }
      // An entry that changed since it was verified: the full verification below finds and names it.
      if (at.content_hash === cpHash) {
        start = cpSeq + 1
        previous = cpHash
        last = { seq: cpSeq, hash: cpHash, signed: signedOf(at) }
      }
    }
  }

  const headSeq = head?.seq ?? 0
  const slices = new Slices(sliceMs)
  for (let from = start; from <= headSeq;) {
    await slices.turn()
    const rows = await sql.query(
      `SELECT ${ENTRY_COLUMNS} FROM chain_entries WHERE tenant = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT ${VERIFY_BATCH}`,
      [client, from, headSeq]
    )
    if (rows.length === 0) break
    let fault: EntryFault | undefined
    await inSlices(rows, slices, (row) => {
      if (fault) return
      const seq = Number(row.seq)
      const expected = (last?.seq ?? 0) + 1
      if (seq !== expected) {
        fault = { seq: expected, problem: `record ${expected} of the chain is missing` }
        return
      }
      const checked = checkEntry(row, client, signer)
      if ('fault' in checked) {
        fault = checked.fault
        return
      }
      if (nullable(row.previous_hash) !== previous) {
        fault = { id: String(row.id), seq, problem: 'previousHash does not link to the record before' }
        return
      }
      previous = String(row.content_hash)
      last = { seq, hash: previous, signed: signedOf(row) }
    })
    if (fault) return answer(fault)
    from = Number(rows.at(-1)!.seq) + 1
  }
  if ((last?.seq ?? 0) < headSeq) {
    const missing = (last?.seq ?? 0) + 1
    return answer({ seq: missing, problem: `record ${missing} of the chain is missing` })
  }
  if (head && (head.headHash !== last?.hash || head.signature !== last.signed.signature)) {
    return answer({ seq: head.seq, problem: 'the chain head does not match its newest record' })
  }
  // One statement, one snapshot: an entry beyond the head it reads was not written by an insert
  // (which moves the head in the same transaction).
  const [beyond] = await sql.query(
    'SELECT id, seq FROM chain_entries WHERE tenant = $1 AND seq > COALESCE((SELECT seq FROM chain_heads WHERE tenant = $1), 0) ORDER BY seq LIMIT 1',
    [client]
  )
  if (beyond) {
    const seq = Number(beyond.seq)
    return answer({ id: String(beyond.id), seq, problem: 'the entry is not part of the chain: it is beyond the chain head' })
  }
  if (last && last.seq >= start) {
    const cp = signer.signCheckpoint(client, last.seq, last.hash)
    await sql.query(
      'INSERT INTO chain_checkpoints (tenant, seq, head_hash, verified_at, signature, key_id) VALUES ($1, $2, $3, $4, $5, $6) ' +
        'ON CONFLICT (tenant) DO UPDATE SET seq = excluded.seq, head_hash = excluded.head_hash, verified_at = excluded.verified_at, ' +
        'signature = excluded.signature, key_id = excluded.key_id WHERE chain_checkpoints.seq < excluded.seq',
      [client, last.seq, last.hash, new Date().toISOString(), cp.signature, cp.keyId]
    )
  }
  return answer()
}

export async function openDecisionStore(sql: Sql, options: StoreOptions): Promise<DecisionStore> {
  const { signer } = options
  const quota = options.quota ?? MAX_SEQ
  const sliceMs = options.sliceMs ?? 2
  await migrate(sql, signer)
  const verifications = new Coalescer<ChainVerification>()

  return {
    engine: sql.engine,
    quota,
    async insert(client, draft, now) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await sql.transaction(async (tx) => {
            // PostgreSQL: one writer per client chain at a time across replicas (released at commit).
            if (sql.engine === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`decision-chain:${client}`])
            const [head] = await tx.query('SELECT seq, head_hash FROM chain_heads WHERE tenant = $1', [client])
            const seq = Number(head?.seq ?? 0) + 1
            if (seq > quota) throw new QuotaExceededError(quota)
            const unsigned = {
              id: randomUUID(),
              createdAt: now.toISOString(),
              client,
              ...draft,
              previousHash: (head?.head_hash as string | undefined) ?? null
            }
            const record = { ...unsigned, contentHash: contentHashOf(unsigned) } as DecisionRecord
            const signed = signer.signEntry({
              kind: 'decision',
              tenant: client,
              seq,
              contentHash: record.contentHash,
              previousHash: record.previousHash
            })
            await tx.query(INSERT_ENTRY, [
              client,
              seq,
              'decision',
              record.id,
              record.createdAt,
              record.reference ?? null,
              record.procedureId,
              record.contentHash,
              record.previousHash,
              signed.signature,
              signed.keyId,
              canonicalize(record)
            ])
            if (head) {
              const moved = await tx.query(
                'UPDATE chain_heads SET seq = $2, head_hash = $3, signature = $4, key_id = $5 WHERE tenant = $1 AND seq = $6 RETURNING seq',
                [client, seq, record.contentHash, signed.signature, signed.keyId, seq - 1]
              )
              if (moved.length !== 1) throw new ConflictError('the chain head moved')
            } else {
              await tx.query(INSERT_HEAD, [client, seq, record.contentHash, signed.signature, signed.keyId])
            }
            const receipt: Receipt = { seq, contentHash: record.contentHash, headHash: record.contentHash, ...signed }
            return { stored: { record, seq, ...signed }, receipt }
          })
        } catch (err) {
          // Another replica extended the same chain first: read the new head and try again.
          if (err instanceof ConflictError && attempt < INSERT_ATTEMPTS) continue
          throw err
        }
      }
    },
    async get(client, id) {
      const [row] = await sql.query(`SELECT ${ENTRY_COLUMNS} FROM chain_entries WHERE tenant = $1 AND id = $2`, [client, id])
      if (!row) return undefined
      // Another kind of entry with this id (an approval) is not a decision record: unknown here,
      // once its signature shows it is what the service wrote.
      if (row.kind !== 'decision' && signer.verifyEntry(placeOf(row, client), signedOf(row))) return undefined
      const checked = checkEntry(row, client, signer)
      if ('fault' in checked) throw new IntegrityError(checked.fault)
      return { record: checked.record, seq: Number(row.seq), ...signedOf(row) }
    },
    async list(client, o) {
      const where = ["tenant = $1 AND kind = 'decision'"]
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
        `SELECT ${ENTRY_COLUMNS} FROM chain_entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params
      )
      const page = rows.slice(0, o.limit)
      const checked = await inSlices(page, new Slices(sliceMs), (row) => checkEntry(row, client, signer))
      const items: DecisionPage['items'] = []
      const faults: EntryFault[] = []
      checked.forEach((c, i) => {
        if ('fault' in c) faults.push(c.fault)
        else items.push(summaryOf(c.record, Number(page[i]!.seq)))
      })
      const lastRow = page.at(-1)
      return { items, faults, more: rows.length > o.limit, ...(lastRow ? { lastSeq: Number(lastRow.seq) } : {}) }
    },
    verify(client, { full = false } = {}) {
      return verifications.run(`${full ? 'full' : 'new'}:${client}`, () => verifyChain(sql, signer, sliceMs, client, full))
    },
    async ping() {
      await sql.query('SELECT 1 AS ok')
    },
    close: () => sql.close()
  }
}
