// The invariants of test/fuzz.e2e.test.ts: what every response must satisfy, whatever the body.
// Each check throws (so fast-check records the input and shrinks it) with the response in the
// message. A status < 500 always; a status >= 400 is application/problem+json with type, title,
// status (equal to the HTTP status), detail and instance, and every error names a JSON pointer; a
// 200 is application/json. A batch answers one result per profile, in order, with pointers under
// /profiles/<index>.
import { SHARED_SCHEMAS } from '../../src/app.js'
import { createAjv } from '../../src/validation.js'
import type { BatchItem, Obj } from './fuzz-generators.js'

/** An independent validator (same schema, own Ajv instance): the oracle for "is this profile valid". */
const oracle = createAjv(SHARED_SCHEMAS).getSchema('ProcurementProfile')
if (!oracle) throw new Error('ProcurementProfile schema missing')
export const isValidProfile = (value: unknown): boolean => oracle(value) === true

export interface Res {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}
interface FieldError {
  pointer: string
  message?: string
}
interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  errors?: FieldError[]
}

function describe(res: Res): string {
  return `HTTP ${res.statusCode} (${String(res.headers['content-type'])}): ${res.body.slice(0, 600)}`
}

export function fail(message: string, res: Res): never {
  throw new Error(`${message}\n    got ${describe(res)}`)
}

/** Checks the invariants every response must hold; returns the parsed body when there is one. */
export function checkInvariants(res: Res): unknown {
  if (res.statusCode >= 500) fail('5xx: a 5xx on any input is a bug', res)
  const contentType = String(res.headers['content-type'] ?? '')
  let body: unknown
  try {
    body = res.body === '' ? undefined : JSON.parse(res.body)
  } catch {
    fail('the response body is not JSON', res)
  }
  if (res.statusCode >= 400) {
    if (!/^application\/problem\+json(;|$)/.test(contentType)) fail('an error must be application/problem+json', res)
    const p = body as Partial<ProblemBody> | undefined
    if (p === null || typeof p !== 'object' || Array.isArray(p)) fail('a problem must be a JSON object', res)
    for (const member of ['type', 'title', 'detail', 'instance'] as const) {
      if (typeof p[member] !== 'string' || p[member] === '') fail(`problem member "${member}" must be a non-empty string`, res)
    }
    if (p.status !== res.statusCode) fail('problem "status" must equal the HTTP status', res)
    if (p.errors !== undefined) checkErrorsShape(p.errors, res)
  } else if (res.statusCode === 200) {
    if (!/^application\/json(;|$)/.test(contentType)) fail('a 200 must be application/json', res)
  }
  return body
}

function checkErrorsShape(errors: unknown, res: Res): void {
  if (!Array.isArray(errors) || errors.length === 0) fail('"errors", when present, must be a non-empty array', res)
  for (const e of errors as unknown[]) {
    const pointer = (e as FieldError | null)?.pointer
    if (typeof pointer !== 'string' || !(pointer === '' || pointer.startsWith('/'))) {
      fail('every error needs a JSON pointer ("" or starting with "/")', res)
    }
  }
}

/** A single-profile answer must be 200 with a report. */
export function expect200Report(res: Res): Obj {
  const body = checkInvariants(res)
  if (res.statusCode !== 200) fail('a valid profile must get 200', res)
  if (body === null || typeof body !== 'object' || !Array.isArray((body as Obj).recommendations)) {
    fail('a 200 must carry a report with recommendations', res)
  }
  if (((body as Obj).recommendations as unknown[]).length === 0) fail('a report must hold at least one recommendation', res)
  return body as Obj
}

/** A 400 problem that names `pointer` exactly among its errors. */
export function expect400Naming(res: Res, pointer: string): ProblemBody {
  const body = checkInvariants(res) as ProblemBody
  if (res.statusCode !== 400) fail(`expected 400 naming ${JSON.stringify(pointer)}`, res)
  const pointers = (body.errors ?? []).map((e) => e.pointer)
  if (!pointers.includes(pointer)) {
    fail(`expected an error with pointer ${JSON.stringify(pointer)}; pointers were ${JSON.stringify(pointers)}`, res)
  }
  return body
}

/** Checks a 200 batch answer against what each profile was. */
export function checkBatch(res: Res, items: readonly BatchItem[]): void {
  const body = checkInvariants(res) as { results?: unknown }
  if (res.statusCode !== 200) fail('a batch of 1..100 profiles must get 200', res)
  const results = body.results
  if (!Array.isArray(results)) fail('a batch answer needs "results"', res)
  if (results.length !== items.length) fail(`result count ${results.length} != profile count ${items.length}`, res)
  items.forEach((item, index) => {
    const r = results[index] as { index?: unknown; status?: unknown; report?: Obj; problem?: ProblemBody }
    const where = `results[${index}] (${item.kind})`
    if (r.index !== index) fail(`${where}: index must be ${index}`, res)
    if (r.status === 200) {
      if (r.report === undefined || r.problem !== undefined) fail(`${where}: status 200 needs a report and no problem`, res)
      if (item.kind !== 'valid' && item.kind !== 'junk') fail(`${where}: a broken profile got 200`, res)
    } else if (r.status === 400) {
      const p = r.problem
      if (p === undefined || r.report !== undefined) fail(`${where}: status 400 needs a problem and no report`, res)
      for (const member of ['type', 'title', 'detail', 'instance'] as const) {
        if (typeof p[member] !== 'string' || p[member] === '') fail(`${where}: problem member "${member}" must be a non-empty string`, res)
      }
      if (p.status !== 400) fail(`${where}: problem status must be 400`, res)
      checkErrorsShape(p.errors, res)
      const prefix = `/profiles/${index}`
      for (const e of p.errors ?? []) {
        if (e.pointer !== prefix && !e.pointer.startsWith(`${prefix}/`)) {
          fail(`${where}: pointer ${JSON.stringify(e.pointer)} must start with ${prefix}`, res)
        }
      }
      if (item.kind === 'valid') fail(`${where}: a valid profile got 400`, res)
      if (item.kind === 'broken' && !(p.errors ?? []).some((e) => e.pointer === `${prefix}${item.pointer}`)) {
        fail(`${where}: expected pointer ${prefix}${item.pointer}`, res)
      }
    } else {
      fail(`${where}: status must be 200 or 400, got ${String(r.status)}`, res)
    }
  })
}
