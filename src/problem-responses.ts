// The documented problem responses of the OpenAPI document, derived from the error table
// (src/errors.ts). Examples are written with EXAMPLE_PROBLEM_BASE; the docs plugin shows them
// with the configured PROBLEM_TYPE_BASE.
import Type from 'typebox'
import type { Problem } from '../schemas/problem.js'
import type { Refused } from './engine/decision.js'
import { ERRORS, ERROR_CODES, refusalProblem, type ErrorCode, type ErrorDefinition } from './errors.js'

export const EXAMPLE_PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'
export const EXAMPLE_INSTANCE = 'urn:uuid:5f0c6e2a-8a61-4d3b-9a57-2b7c1d7e9f10'

/** The documented 400: two fields at fault in a profile. */
export const VALIDATION_EXAMPLE: Problem = {
  type: `${EXAMPLE_PROBLEM_BASE}validation`,
  title: ERRORS.PRA_ERR_VALIDATION.title,
  status: 400,
  detail: '2 fields at fault in the body; see errors.',
  instance: EXAMPLE_INSTANCE,
  code: 'PRA_ERR_VALIDATION',
  errors: [
    { pointer: '/contract/valu', in: 'body', message: 'is not a known field (unknown fields are rejected, not ignored)' },
    { pointer: '/contract/estimatedValue', in: 'body', message: 'must be >= 0' }
  ]
}

/** A documented problem of one code, with its detail and fields at fault. */
export function problemExample(code: ErrorCode, detail: string, errors?: Problem['errors']): Problem {
  const def: ErrorDefinition = ERRORS[code]
  const out: Problem = {
    type: `${EXAMPLE_PROBLEM_BASE}${def.type}`,
    title: def.title,
    status: def.status,
    detail,
    instance: EXAMPLE_INSTANCE,
    code
  }
  if (errors) out.errors = errors
  return out
}

/** The documented problem of a profile the engine refuses, as the routes answer it (errors.ts refusalProblem). */
export function refusalExample(refused: Refused, at?: string): Problem {
  const { code, detail, errors } = refusalProblem(refused, at)
  return problemExample(code, detail, errors)
}

/** The codes an API operation may answer with a status (the static files of /docs aside). */
function codesFor(status: number): ErrorCode[] {
  return ERROR_CODES.filter((code) => {
    const def: ErrorDefinition = ERRORS[code]
    return def.status === status && def.answeredBy === undefined && code !== 'PRA_ERR_CLIENT'
  })
}

function example(status: number): Problem {
  if (status === 400) return VALIDATION_EXAMPLE
  const code = codesFor(status)[0] as ErrorCode
  const def: ErrorDefinition = ERRORS[code]
  return { type: `${EXAMPLE_PROBLEM_BASE}${def.type}`, title: def.title, status, detail: def.title, instance: EXAMPLE_INSTANCE, code }
}

/** One response entry, as application/problem+json, listing the codes it may carry. */
export function problemResponse(codes: ErrorCode[]): unknown {
  const description = codes.map((code) => `\`${code}\` (${ERRORS[code].type}): ${ERRORS[code].when}`).join('\n\n')
  return { description, content: { 'application/problem+json': { schema: Type.Unsafe<Problem>(Type.Ref('Problem')) } } }
}

/** Response entries for the given statuses of an API operation, each listing its codes. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, problemResponse(codesFor(status))]))
}

/** Documented examples of the given problem statuses. */
export function problemExamples(...statuses: number[]): Record<number, Problem> {
  return Object.fromEntries(statuses.map((status) => [status, example(status)]))
}

/** The /v1 operations accept an API key as a bearer token or in X-API-Key. */
export const API_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }]

/**
 * Ends the description of a 200 whose other representations (HTML, iCalendar) are asked for with
 * Accept. They are described, not listed under `content`: a generator that met two media types
 * there would type the answer as "the JSON or a string", and every JSON client would have to narrow it.
 */
export const ALTERNATIVE_NOTE = '. Not listed under content, so that a client generated from this document types the answer as the JSON.'
