// Documented problem responses, shared by the routes.
import Type from 'typebox'
import type { Problem } from '../../schemas/problem.js'
import { PROBLEMS, type ProblemKey } from '../errors.js'

const PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'

/** The documented 400: two fields at fault in a profile. */
export const VALIDATION_EXAMPLE: Problem = {
  type: `${PROBLEM_BASE}validation`,
  title: PROBLEMS.validation.title,
  status: 400,
  detail: '2 fields at fault in the body; see errors.',
  instance: 'urn:uuid:5f0c6e2a-8a61-4d3b-9a57-2b7c1d7e9f10',
  code: 'PRA_ERR_VALIDATION',
  errors: [
    { pointer: '/contract/valu', in: 'body', message: 'is not a known field (unknown fields are rejected, not ignored)' },
    { pointer: '/contract/estimatedValue', in: 'body', message: 'must be >= 0' }
  ]
}
const EXAMPLES: Partial<Record<number, Problem>> = { 400: VALIDATION_EXAMPLE }

function example(status: number, key: ProblemKey): Problem {
  const kind = PROBLEMS[key]
  return (
    EXAMPLES[status] ?? {
      type: `${PROBLEM_BASE}${kind.type}`,
      title: kind.title,
      status,
      detail: kind.title,
      instance: 'urn:uuid:5f0c6e2a-8a61-4d3b-9a57-2b7c1d7e9f10'
    }
  )
}

const DESCRIPTIONS: Record<number, [string, ProblemKey]> = {
  400: ['Invalid request: every field at fault is listed with its JSON pointer', 'validation'],
  404: ['Unknown route or id', 'notFound'],
  405: ['Method not allowed on this path (see the Allow header)', 'methodNotAllowed'],
  413: ['Request body too large', 'bodyTooLarge'],
  401: ['Missing or unknown API key (when keys are configured); see WWW-Authenticate', 'unauthorized'],
  415: ['Body is not application/json', 'unsupportedMediaType'],
  429: ['Rate limit exceeded; see Retry-After and the x-ratelimit-* headers', 'rateLimited'],
  503: ['Overloaded: the service sheds load rather than queue; retry after Retry-After seconds', 'overloaded'],
  500: ['Unexpected error (a bug; the request id identifies it in the logs)', 'internal']
}

/** Response entries for the given statuses, as application/problem+json. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((status) => {
      const [description] = DESCRIPTIONS[status] as [string, ProblemKey]
      return [
        status,
        {
          description,
          content: {
            'application/problem+json': { schema: Type.Unsafe<Problem>(Type.Ref('Problem')) }
          }
        }
      ]
    })
  )
}

/** Documented examples of the given problem statuses. */
export function problemExamples(...statuses: number[]): Record<number, Problem> {
  return Object.fromEntries(statuses.map((status) => [status, example(status, (DESCRIPTIONS[status] as [string, ProblemKey])[1])]))
}

/** The /v1 operations accept an API key as a bearer token or in X-API-Key. */
export const API_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }]
