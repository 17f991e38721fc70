// Decision records (contract 1.1). The server computes the report itself at the moment of the
// decision and stores it with the choice, the rationale and who decided, in the calling client's
// own hash chain. Records are immutable: no PUT, PATCH or DELETE (405). Another client's record
// is a 404, exactly like an unknown id, so ids cannot be probed across clients.
import Type from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { ProcurementProfile } from '../../../schemas/profile.js'
import type { ProcedureId } from '../../../schemas/common.js'
import {
  ChainVerificationQuerySchema,
  DecisionListQuerySchema,
  type DecisionRecord,
  type DecisionRequest
} from '../../../schemas/decision.js'
import type { Problem } from '../../../schemas/problem.js'
import { DecisionNotFoundError, QuotaExceededProblem, RecordIntegrityProblem, StoreUnavailableError } from '../../errors.js'
import { ALTERNATIVE_NOTE, problemResponses } from '../../problem-responses.js'
import {
  IntegrityError,
  MAX_SEQ,
  QuotaExceededError,
  type DecisionDraft,
  type DecisionStore,
  type StoredDecision
} from '../../store/records.js'
import { ConflictError } from '../../store/sql.js'
import type { Calendar } from '../../calendar/index.js'
import type { CompiledCatalogue } from '../../engine/compile.js'
import { reasonsOf, type Decision } from '../../engine/decision.js'
import { renderPaper } from '../../projections/paper.js'
import { projectPlan } from '../../projections/plan.js'
import { projectReport } from '../../projections/report.js'
import { prefersHtml } from '../negotiate.js'

export interface DecisionRouteOptions {
  now: () => Date
  /** Retry-After of a 503 when the store does not answer. */
  retryAfterSeconds: number
}

/** The tenant of a request: the API client, or one anonymous client when the API is open. */
export const ANONYMOUS_CLIENT = 'anonymous'

const encodeCursor = (seq: number): string => Buffer.from(JSON.stringify({ before: seq })).toString('base64url')
function decodeCursor(cursor: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown }
    // Bounded like the seq column (PostgreSQL INTEGER): a cursor beyond it was never given out.
    const before = value.before
    return typeof before === 'number' && Number.isSafeInteger(before) && before > 1 && before <= MAX_SEQ ? before : undefined
  } catch {
    return undefined
  }
}

/** A request field that makes a choice impossible to record, and why. */
interface ChoiceFault {
  pointer: string
  message: string
}

/**
 * The record of a choice made on a decision, or the field at fault: the report and, where plans
 * apply, the dated plan of the chosen procedure, both projected from the decision; the choice's
 * rank is the decision's. A procedure the decision excludes cannot be chosen; a rationale is
 * required when the choice is not rank 1, and for any direct award.
 */
export function draftOf(
  compiled: CompiledCatalogue,
  calendar: Calendar,
  decision: Decision,
  body: DecisionRequest
): { ok: true; draft: DecisionDraft } | { ok: false; fault: ChoiceFault } {
  const procedureId = body.procedureId as ProcedureId
  const outcome = decision.procedures.find((o) => o.procedureId === procedureId)!
  const excluding = reasonsOf(outcome).filter((r) => r.effect === 'excludes')
  if (outcome.rank === null && excluding.length > 0) {
    const name = compiled.catalogue.procedureById.get(procedureId)!.name
    return {
      ok: false,
      fault: { pointer: '/procedureId', message: `${name} is excluded for this profile: ${excluding.map((r) => r.text).join(' ')}` }
    }
  }
  const rank = outcome.rank
  if (body.rationale === undefined && (rank !== 1 || procedureId === 'direct-award')) {
    const why = procedureId === 'direct-award' ? 'a direct award' : rank === null ? 'not recommended' : `rank ${rank}, not rank 1`
    return { ok: false, fault: { pointer: '/rationale', message: `is required: the chosen procedure is ${why}` } }
  }
  const report = projectReport(compiled, decision)
  const draft: DecisionDraft = {
    rulesetVersion: report.rulesetVersion,
    procedureId,
    rank,
    decidedBy: body.decidedBy,
    profile: body.profile,
    report
  }
  if (body.profile.reference !== undefined) draft.reference = body.profile.reference
  if (body.rationale !== undefined) draft.rationale = body.rationale
  // The dated plan as it stood at the decision, where plans apply (the Act and the PSR; the plan
  // projection refuses the others); kept with the record so a later reading shows what was known.
  const planned = projectPlan(compiled, calendar, decision, { procedureId })
  if (planned.ok) draft.plan = planned.plan
  return { ok: true, draft }
}

const recordSchema = {
  tags: ['decisions'],
  operationId: 'recordDecision',
  summary: "Record the borough's decision: the chosen procedure and why",
  description:
    'Recomputes the report for the profile at this moment (a client never sends a report) and stores it ' +
    'with the chosen procedure, its rank (null when legally available but not recommended), the rationale ' +
    "and who decided, in the calling client's hash chain. A rationale is required when the procedure is " +
    "not the report's rank 1, and for any direct award. A procedure the report excludes is a 400 problem " +
    'quoting the excluding reasons. 201 with Location; the record is immutable. The answer carries a receipt ' +
    '(seq, contentHash, headHash and the service\u2019s signature) for the client to keep and compare with ' +
    'GET /v1/decisions/chain. A client whose chain holds DECISION_QUOTA records gets 403. A valid profile the ' +
    'service does not cover (a utilities contract, or a concession commenced before 24 Feb 2025) is a 422 ' +
    'problem, exactly as POST /v1/recommendations answers it, with the pointer under /profile.',
  body: Type.Ref('DecisionRequest'),
  response: {
    201: { ...Type.Ref('DecisionRecord'), description: 'The stored record' },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429, 503)
  }
}

const listSchema = {
  tags: ['decisions'],
  operationId: 'listDecisions',
  summary: "The calling client's decision records, newest first",
  description:
    'Summaries of your own records, newest first, filtered by reference and by creation day (from, to: ' +
    'YYYY-MM-DD, inclusive, UTC). Pass nextCursor as cursor for the next page. Other clients\u2019 records never appear. ' +
    'Each record is checked as it is read; one that fails (altered or forged in the database) is named in faults, never listed as genuine.',
  querystring: DecisionListQuerySchema,
  response: { 200: Type.Ref('DecisionList'), ...problemResponses(400, 401, 429, 503) }
}

const chainSchema = {
  tags: ['decisions'],
  operationId: 'verifyDecisionChain',
  summary: "Verify the calling client's chain, and answer its signed head",
  description:
    'Checks each of your records written since the last verified checkpoint (with full=true: every record): its ' +
    'content hash (SHA-256 of its canonical JSON, RFC 8785, as created), the service\u2019s signature of its place ' +
    'in the chain, that each previousHash is the contentHash of the record before, and that the chain ends at the ' +
    'head the service recorded. valid is false, with the first fault, if a record was altered, forged, removed or ' +
    'reordered in the database. seq, headHash, signature and keyId are the newest record verified good: compare ' +
    'them with your receipts. Requests that arrive while your verification runs share the next one.',
  querystring: ChainVerificationQuerySchema,
  response: { 200: Type.Ref('ChainVerification'), ...problemResponses(400, 401, 429, 503) }
}

const getSchema = {
  tags: ['decisions'],
  operationId: 'getDecision',
  summary: 'One of your decision records',
  description: 'The stored record as it was written. A malformed or unknown id, or another client\u2019s, is a 404 problem.',
  params: Type.Object(
    { id: Type.String({ maxLength: 100, description: 'The record id (a UUID) from POST /v1/decisions or the list.' }) },
    { additionalProperties: false }
  ),
  response: {
    200: {
      description:
        'The record. Asked for with Accept: text/html, the same answer is the route-to-market paper, a printable ' +
        'HTML page with no scripts' +
        ALTERNATIVE_NOTE,
      content: { 'application/json': { schema: Type.Ref('DecisionRecord') } }
    },
    ...problemResponses(401, 404, 429, 500, 503)
  }
}

/** The tenant of a request: the API client, or one anonymous client when the API is open. */
const clientOf = (request: FastifyRequest): string => request.apiClient ?? ANONYMOUS_CLIENT

/** A 400 problem naming one field of the body or the query string. */
function badRequest(
  app: FastifyInstance,
  reply: FastifyReply,
  request: FastifyRequest,
  pointer: string,
  message: string,
  where: 'body' | 'querystring' = 'body'
): FastifyReply {
  const problem: Problem = app.problem(request, 'PRA_ERR_VALIDATION', `${pointer}: ${message}`, {
    errors: [{ pointer, in: where, message }]
  })
  return reply.code(400).type('application/problem+json').send(problem)
}

/**
 * Work on the store, or a 503 problem when it does not answer (PostgreSQL down). What the store
 * refuses (a quota, a record that fails its check) is answered as such, counted and logged with
 * the request's id and client (request.log); a bug stays a 500.
 */
function storeAccess(app: FastifyInstance, retryAfterSeconds: number) {
  return async function withStore<T>(request: FastifyRequest, reply: FastifyReply, work: (store: DecisionStore) => Promise<T>): Promise<T> {
    const store = app.decisionStore
    if (!store) throw new StoreUnavailableError()
    try {
      return await work(store)
    } catch (err) {
      if (err instanceof QuotaExceededError) {
        app.metrics.quotaRefusals.inc({ client: clientOf(request) })
        request.log.warn({ quota: err.quota }, 'decision refused: the client holds its quota of records')
        throw new QuotaExceededProblem(err.quota)
      }
      if (err instanceof IntegrityError) {
        app.metrics.integrityFaults.inc()
        request.log.error({ fault: err.fault }, 'a stored decision record failed its integrity check')
        throw new RecordIntegrityProblem(err.fault.id ?? `at ${err.fault.seq}`, err.fault.problem)
      }
      if (store.engine === 'postgresql' && !(err instanceof ConflictError) && !(err instanceof TypeError)) {
        request.log.error({ err }, 'decision store did not answer')
        reply.header('retry-after', String(retryAfterSeconds))
        throw new StoreUnavailableError()
      }
      throw err
    }
  }
}

/** What a reader gets: the record as hashed, and its place in the chain (not part of the hash). */
const served = (stored: StoredDecision): DecisionRecord => ({
  ...stored.record,
  seq: stored.seq,
  signature: stored.signature,
  keyId: stored.keyId
})

export default async function decisionRoutes(fastify: FastifyInstance, opts: DecisionRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender } = app
  const withStore = storeAccess(app, opts.retryAfterSeconds)

  app.post('/decisions', { schema: recordSchema }, async (request, reply) => {
    const body = request.body as DecisionRequest
    const now = opts.now()
    const decided = app.metrics.timeEngine(() => recommender.decide(body.profile as ProcurementProfile, now))
    if (!decided.ok) {
      const problem = app.refusal(request, decided.error, '/profile')
      return (reply as FastifyReply).code(problem.status).type('application/problem+json').send(problem)
    }
    const made = draftOf(recommender.compiled, app.calendar, decided.decision, body)
    if (!made.ok) return badRequest(app, reply, request, made.fault.pointer, made.fault.message)
    const { stored, receipt } = await withStore(request, reply, (store) =>
      app.metrics.timeDecisionWrite(store.engine, () => store.insert(clientOf(request), made.draft, now))
    )
    return reply
      .code(201)
      .header('location', `/v1/decisions/${stored.record.id}`)
      .send({ ...served(stored), receipt })
  })

  app.get('/decisions', { schema: listSchema }, async (request, reply) => {
    const q = request.query
    let before: number | undefined
    if (q.cursor !== undefined) {
      before = decodeCursor(q.cursor)
      if (before === undefined) return badRequest(app, reply, request, '/cursor', 'is not a cursor this service gave', 'querystring')
    }
    if (q.from !== undefined && q.to !== undefined && q.to < q.from) {
      return badRequest(app, reply, request, '/to', `is before from (${q.from})`, 'querystring')
    }
    const limit = q.limit ?? 20
    const page = await withStore(request, reply, (store) =>
      store.list(clientOf(request), {
        limit,
        ...(q.reference !== undefined ? { reference: q.reference } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(before !== undefined ? { before } : {})
      })
    )
    if (page.faults.length > 0) {
      app.metrics.integrityFaults.inc(page.faults.length)
      request.log.error({ faults: page.faults }, 'stored decision records failed their integrity check')
    }
    return {
      items: page.items.map(({ seq: _seq, ...summary }) => summary),
      nextCursor: page.more && page.lastSeq !== undefined ? encodeCursor(page.lastSeq) : null,
      ...(page.faults.length > 0 ? { faults: page.faults } : {})
    }
  })

  app.get('/decisions/chain', { schema: chainSchema }, async (request, reply) =>
    withStore(request, reply, (store) => store.verify(clientOf(request), { full: request.query.full === true }))
  )

  app.get('/decisions/:id', { schema: getSchema }, async (request, reply) => {
    const { id } = request.params
    const stored = /^[0-9a-f-]{36}$/.test(id) ? await withStore(request, reply, (store) => store.get(clientOf(request), id)) : undefined
    if (!stored) throw new DecisionNotFoundError(id)
    const record = stored.record
    reply.header('vary', 'Accept')
    if (!prefersHtml(request.headers.accept)) return served(stored)
    const html = renderPaper({
      profile: record.profile,
      report: record.report,
      record,
      ...(record.plan ? { milestones: record.plan.milestones } : {}),
      cpvLabel: (code) => app.catalogue.cpv.get(code)?.label
    })
    return reply.type('text/html; charset=utf-8').send(html)
  })
}
