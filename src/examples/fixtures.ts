// The documented responses that depend on the law, kept as fixtures: one file in openapi/examples/
// per operation, status and media type (<operationId>.<status>.json, or .ics for text/calendar),
// each what the live service answers to one documented request. The document names them by a
// relative externalValue (examples/<file>) and the docs plugin serves them where that resolves,
// so building the document never runs the engine and a change of the law does not change it. test/examples.test.ts sends
// every request again and fails, naming the file, when the law gives another answer;
// `npm run examples` rewrites them (src/scripts/write-examples.ts).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BATCH_REQUEST_EXAMPLE, DECISION_REQUEST_EXAMPLE, NOT_COVERED_EXAMPLE, PLAN_REQUEST_EXAMPLES } from './requests.js'
import { PROFILE_EXAMPLE } from '../../schemas/profile.js'

/** openapi/examples/ beside the committed document, in the checkout and in dist/ (the build copies them). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../openapi/examples/', import.meta.url))

/** The API key of the documented client (lb-hackney), for the decision examples. */
export const EXAMPLE_API_KEY = 'example-key-lb-hackney'
/** The documented decision record's id: the live one is random. */
export const EXAMPLE_RECORD_ID = '3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f809a1b'

export interface FixtureRequest {
  method: 'GET' | 'POST'
  url: string
  payload?: unknown
  accept?: string
}

export interface Fixture {
  operationId: string
  status: number
  /** The media type of the response it documents. */
  type: 'application/json' | 'application/problem+json' | 'text/calendar'
  /** The request it answers; `recordId` is the id of the record made by the recordDecision example. */
  request: (recordId: string) => FixtureRequest
  /** The part of the answer documented, when the whole would be too long (the procedure list). */
  select?: (body: unknown) => unknown
}

const post = (url: string, payload: unknown, accept?: string): FixtureRequest => ({
  method: 'POST',
  url,
  payload,
  ...(accept && { accept })
})
const get = (url: string): FixtureRequest => ({ method: 'GET', url })
const defaultPlan = PLAN_REQUEST_EXAMPLES.default!.value

/** In the order they are answered: the decision is recorded before it is read. */
export const FIXTURES: Fixture[] = [
  {
    operationId: 'recommendProcedures',
    status: 200,
    type: 'application/json',
    request: () => post('/v1/recommendations', PROFILE_EXAMPLE)
  },
  {
    operationId: 'recommendProcedures',
    status: 422,
    type: 'application/problem+json',
    request: () => post('/v1/recommendations', NOT_COVERED_EXAMPLE)
  },
  {
    operationId: 'recommendProceduresBatch',
    status: 200,
    type: 'application/json',
    request: () => post('/v1/recommendations/batch', BATCH_REQUEST_EXAMPLE)
  },
  { operationId: 'planProcurement', status: 200, type: 'application/json', request: () => post('/v1/plans', defaultPlan) },
  { operationId: 'planProcurement', status: 200, type: 'text/calendar', request: () => post('/v1/plans', defaultPlan, 'text/calendar') },
  // A procedure the report excludes for the profile.
  {
    operationId: 'planProcurement',
    status: 400,
    type: 'application/problem+json',
    request: () => post('/v1/plans', { ...defaultPlan, procedureId: 'light-touch' })
  },
  {
    operationId: 'planProcurement',
    status: 422,
    type: 'application/problem+json',
    request: () => post('/v1/plans', { profile: NOT_COVERED_EXAMPLE })
  },
  { operationId: 'recordDecision', status: 201, type: 'application/json', request: () => post('/v1/decisions', DECISION_REQUEST_EXAMPLE) },
  {
    operationId: 'recordDecision',
    status: 422,
    type: 'application/problem+json',
    request: () => post('/v1/decisions', { ...DECISION_REQUEST_EXAMPLE, profile: NOT_COVERED_EXAMPLE })
  },
  { operationId: 'getDecision', status: 200, type: 'application/json', request: (id) => get(`/v1/decisions/${id}`) },
  { operationId: 'listDecisions', status: 200, type: 'application/json', request: () => get('/v1/decisions') },
  { operationId: 'verifyDecisionChain', status: 200, type: 'application/json', request: () => get('/v1/decisions/chain') },
  {
    operationId: 'listProcedures',
    status: 200,
    type: 'application/json',
    request: () => get('/v1/procedures'),
    // One procedure of the thirteen.
    select: (body) => {
      const list = body as { rulesetVersion: string; procedures: { id: string }[] }
      return { ...list, procedures: list.procedures.filter((p) => p.id === 'competitive-dialogue') }
    }
  },
  { operationId: 'getProcedure', status: 200, type: 'application/json', request: () => get('/v1/procedures/competitive-dialogue') },
  { operationId: 'listThresholds', status: 200, type: 'application/json', request: () => get('/v1/thresholds?date=2026-12-01') }
]

/** The file of a fixture, relative to EXAMPLES_DIR. */
export function fixtureFile(f: Fixture): string {
  return `${f.operationId}.${f.status}.${f.type === 'text/calendar' ? 'ics' : 'json'}`
}

/** A fixture as documented: parsed JSON, or the text of an iCalendar file. */
export function readFixture(f: Fixture): unknown {
  const text = readFileSync(join(EXAMPLES_DIR, fixtureFile(f)), 'utf8')
  return f.type === 'text/calendar' ? text : JSON.parse(text)
}

/** The text of a fixture file for an answer: JSON with two spaces and a final newline, or the iCalendar text. */
export function fixtureText(f: Fixture, value: unknown): string {
  return f.type === 'text/calendar' ? String(value) : `${JSON.stringify(value, null, 2)}\n`
}

const VOLATILE_KEYS = new Set(['rulesetVersion', 'contentHash', 'headHash', 'previousHash', 'signature', 'instance'])
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g

/**
 * What two answers to the same request share whatever the build: the ruleset version (it hashes
 * the code and data), record ids, hashes, signatures and problem instances are replaced by
 * placeholders, so a fixture goes stale only when an answer a user reads changes.
 */
export function comparable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UUID, '<id>').replace(/Ruleset [0-9.]+\+[0-9a-f]+/g, 'Ruleset <ruleset>')
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(comparable)
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, VOLATILE_KEYS.has(key) && item !== null ? `<${key}>` : comparable(item)])
  )
}
