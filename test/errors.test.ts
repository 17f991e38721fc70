// The one error table: every code pinned, each problem type with one title and status, and the
// error table of docs/api.md in step with it.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { ERRORS, ERROR_CODES, type ErrorDefinition } from '../src/errors.js'
import { problemResponses } from '../src/problem-responses.js'

t.test('every code the service answers with, pinned: codes are never renamed or dropped', async (t) => {
  t.same(ERROR_CODES, [
    'PRA_ERR_VALIDATION',
    'PRA_ERR_MALFORMED_JSON',
    'FST_ERR_CTP_INVALID_JSON_BODY',
    'FST_ERR_CTP_EMPTY_JSON_BODY',
    'PRA_ERR_INVALID_UTF8',
    'PRA_ERR_DATE_OUT_OF_RANGE',
    'PRA_ERR_BAD_URL',
    'PRA_ERR_BAD_REQUEST',
    'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
    'PRA_ERR_BAD_HTTP',
    'PRA_ERR_UNAUTHORIZED',
    'PRA_ERR_FORBIDDEN',
    'PRA_ERR_QUOTA_EXCEEDED',
    'PRA_ERR_ROUTE_NOT_FOUND',
    'PRA_ERR_PROCEDURE_NOT_FOUND',
    'PRA_ERR_DECISION_NOT_FOUND',
    'PRA_ERR_METHOD_NOT_ALLOWED',
    'PRA_ERR_REQUEST_TIMEOUT',
    'PRA_ERR_PRECONDITION_FAILED',
    'FST_ERR_CTP_BODY_TOO_LARGE',
    'PRA_ERR_URI_TOO_LONG',
    'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    'PRA_ERR_UNSUPPORTED_CHARSET',
    'PRA_ERR_UNSUPPORTED_ENCODING',
    'PRA_ERR_RANGE_NOT_SATISFIABLE',
    'PRA_ERR_NOT_COVERED',
    'PRA_ERR_RATE_LIMITED',
    'PRA_ERR_HEADERS_TOO_LARGE',
    'PRA_ERR_CLIENT',
    'PRA_ERR_INTERNAL',
    'PRA_ERR_RECORD_INTEGRITY',
    'PRA_ERR_OVERLOADED',
    'PRA_ERR_STORE_UNAVAILABLE',
    'PRA_ERR_SHUTTING_DOWN'
  ])
})

t.test('a problem type has one title and one status, whichever code answers with it', async (t) => {
  const byType = new Map<string, string>()
  for (const code of ERROR_CODES) {
    const def: ErrorDefinition = ERRORS[code]
    const seen = byType.get(def.type)
    const key = `${def.title} / ${def.status}`
    if (seen !== undefined) t.equal(key, seen, `${code}: the same title and status as the other codes of type ${def.type}`)
    byType.set(def.type, key)
    t.match(def.type, /^[a-z0-9-]+$/, `${code}: a URI segment`)
    t.ok(def.status >= 400 && def.status < 600, `${code}: an error status`)
  }
  t.equal(byType.get('malformed-json'), 'Malformed JSON body / 400')
})

t.test('the API guide lists every code with its status, type and when it happens', async (t) => {
  const guide = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8')
  const rows = [...guide.matchAll(/^\| `([A-Z0-9_]+)` \| (\S+) \| `([a-z0-9-]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]])
  const expected = ERROR_CODES.map((code) => {
    const def: ErrorDefinition = ERRORS[code]
    return [code, def.statusVaries ? '4xx' : String(def.status), def.type, def.when]
  })
  t.same(rows, expected)
})

t.test('the OpenAPI response of a status lists its codes', async (t) => {
  const responses = problemResponses(415, 431) as Record<number, { description: string }>
  t.equal(
    responses[415]?.description,
    [
      '`FST_ERR_CTP_INVALID_MEDIA_TYPE` (unsupported-media-type): The body is not application/json.',
      '`PRA_ERR_UNSUPPORTED_CHARSET` (unsupported-charset): Content-Type names a charset other than UTF-8.',
      '`PRA_ERR_UNSUPPORTED_ENCODING` (unsupported-content-encoding): The body has a Content-Encoding (gzip, br, ...): send it uncompressed.'
    ].join('\n\n')
  )
  t.match(responses[431]?.description, /^`PRA_ERR_HEADERS_TOO_LARGE` \(headers-too-large\)/)
})
