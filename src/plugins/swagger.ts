// OpenAPI 3.1 from the route schemas, components named after each schema's $id, and the
// Swagger UI served from the package itself (works offline).
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { EXAMPLE_PROBLEM_BASE } from '../problem-responses.js'

/** Version of the public API contract (paths, fields, ids). Bump on additive change. */
export const API_VERSION = '1.1.0'

/** Examples for an operation's request body and responses (by status), added to the document. */
export interface OperationExamples {
  request?: unknown
  /** Several named request examples (OpenAPI `examples`), the first the default; instead of `request`. */
  requests?: Record<string, { summary: string; value: unknown }>
  responses?: Record<number, unknown>
  /** Examples for a response's other media types (e.g. text/calendar), by status then media type. */
  mediaResponses?: Record<number, Record<string, unknown>>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Routes record their documented examples here, by operationId. */
    docExamples: Map<string, OperationExamples>
  }
}

type OpenApiDocument = {
  components?: { schemas?: Record<string, { properties?: Record<string, { items?: unknown }> }> }
  paths?: Record<
    string,
    Record<
      string,
      {
        operationId?: string
        requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }
        responses?: Record<string, { content?: Record<string, { example?: unknown }> }>
      }
    >
  >
}

/** The documented text/html answer: the start of a route-to-market paper. */
const PAPER_EXAMPLE =
  '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Route to market: Digital social care referrals ' +
  'platform</title>…</head><body><main><h1>Route to market: Digital social care referrals platform</h1>…</main></body></html>'

/** Problem examples are written with EXAMPLE_PROBLEM_BASE; the document shows the configured base. */
function withProblemBase(value: unknown, base: string): unknown {
  if (base === EXAMPLE_PROBLEM_BASE || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => withProblemBase(item, base))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      key === 'type' && typeof item === 'string' && item.startsWith(EXAMPLE_PROBLEM_BASE)
        ? `${base}${item.slice(EXAMPLE_PROBLEM_BASE.length)}`
        : withProblemBase(item, base)
  }
  return out
}

// $ref schemas lose sibling keywords such as `examples` in @fastify/swagger, so examples are
// put on the media type objects after the document is built.
function addExamples(doc: OpenApiDocument, examples: Map<string, OperationExamples>, problemTypeBase: string): void {
  // A batch validates each profile on its own (so one bad profile cannot fail the batch), but
  // what a client should send is a ProcurementProfile: say so in the document.
  const profiles = doc.components?.schemas?.BatchRequest?.properties?.profiles
  if (profiles) profiles.items = { $ref: '#/components/schemas/ProcurementProfile' }
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const ex = operation.operationId ? examples.get(operation.operationId) : undefined
      if (!ex) continue
      if (ex.request !== undefined) for (const media of Object.values(operation.requestBody?.content ?? {})) media.example = ex.request
      if (ex.requests !== undefined) for (const media of Object.values(operation.requestBody?.content ?? {})) media.examples = ex.requests
      for (const [status, value] of Object.entries(ex.responses ?? {})) {
        for (const [type, media] of Object.entries(operation.responses?.[status]?.content ?? {})) {
          // A media type with its own example (an iCalendar file); the printable paper is a page, not JSON.
          const own = ex.mediaResponses?.[Number(status)]?.[type]
          media.example = own ?? (type === 'text/html' ? PAPER_EXAMPLE : withProblemBase(value, problemTypeBase))
        }
      }
    }
  }
}

export interface DocsOptions {
  problemTypeBase: string
}

export default fp<DocsOptions>(
  async function docs(app: FastifyInstance, opts: DocsOptions) {
    const examples = new Map<string, OperationExamples>()
    app.decorate('docExamples', examples)
    await app.register(swagger, {
      transformObject: (documentObject) => {
        const doc = (documentObject as { openapiObject: OpenApiDocument }).openapiObject
        addExamples(doc, examples, opts.problemTypeBase)
        // The one versioned mapping behind every OcdsFields object (src/catalogue/ocds.json), whole.
        const catalogue = (app as { catalogue?: { ocds: unknown } }).catalogue
        if (catalogue) (doc as Record<string, unknown>)['x-ocds-mapping'] = catalogue.ocds
        return doc as never
      },
      openapi: {
        openapi: '3.1.0',
        servers: [{ url: '/', description: 'This service (the document is served by it)' }],
        info: {
          title: 'Procurement Route Advisor',
          version: API_VERSION,
          description:
            'Tells a London borough which public procurement procedure fits what it wants to buy, why, and who is responsible for what. ' +
            'Decides the legal regime (Public Contracts Regulations 2015 before 24 Feb 2025, the Procurement Act ' +
            '2023 after, the health care Provider Selection Regime for health services), ' +
            'checks the value against the thresholds in force on the start date, and ranks every procedure with ' +
            'the reasons for and against. ' +
            'Money is GBP including VAT; dates are YYYY-MM-DD; errors are RFC 9457 application/problem+json. Not legal advice.'
        },
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'API key as a bearer token: Authorization: Bearer <key>. Required when the service is configured with keys.'
            },
            apiKeyHeader: {
              type: 'apiKey',
              in: 'header',
              name: 'X-API-Key',
              description: 'The same API key in the X-API-Key header, for clients that cannot set Authorization.'
            }
          }
        },
        tags: [
          { name: 'recommendations', description: 'Procedure recommendations for a procurement profile' },
          { name: 'decisions', description: 'Decision records: the chosen procedure, why, and who decided, kept per API client' },
          { name: 'catalogue', description: 'The procedures, their legal routes and the thresholds, with sources' },
          { name: 'health', description: 'Liveness and readiness for orchestrators' }
        ]
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`)
      }
    })
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false } })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'docs' }
)
