// OpenAPI 3.1 from the route schemas, components named after each schema's $id, and the
// Swagger UI served from the package itself (works offline).
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { EXAMPLE_PROBLEM_BASE, problemExamples } from '../problem-responses.js'
import { FIXTURES, fixtureFile, readFixture, type Fixture } from '../examples/fixtures.js'
import { REQUEST_BODY_EXAMPLES } from '../examples/requests.js'
import { RESOURCES, RESOURCE_TEMPLATES, TOOLS } from '../mcp/tools.js'
import { PROMPT } from '../mcp/prompt.js'

/**
 * Version of the public API contract (paths, fields, ids), as CHANGELOG.md's newest release and
 * the client package's version (test/openapi.test.ts keeps the three equal). Bump the minor on
 * additive change; a breaking change needs /v2 (the policy is in CHANGELOG.md).
 */
export const API_VERSION = '1.1.0'

type OpenApiDocument = {
  components?: { schemas?: Record<string, { properties?: Record<string, { items?: unknown }> }> }
  paths?: Record<
    string,
    Record<
      string,
      {
        operationId?: string
        requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }
        responses?: Record<
          string,
          { description?: string; content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }
        >
      }
    >
  >
}

/**
 * Where the Model Context Protocol endpoint is, and what it offers: each tool is the operation
 * named by its operationId (routes/mcp.ts). docs/mcp.md says how to connect an assistant.
 */
const MCP_EXTENSION = {
  url: '/mcp',
  transport: 'streamable-http',
  stateless: true,
  description:
    'The same answers for AI assistants: a Model Context Protocol endpoint (Streamable HTTP, POST only, no sessions) ' +
    'with the same API keys (bearerAuth or apiKeyHeader), rate limit, body limit and tenant as /v1. Each tool is the ' +
    'operation named by its operationId; record_decision only where the deployer sets MCP_WRITE=true.',
  tools: TOOLS.map((tool) => ({ name: tool.name, operationId: tool.operationId, readOnly: tool.readOnly })),
  resources: RESOURCES.map((r) => r.uri),
  resourceTemplates: RESOURCE_TEMPLATES.map((r) => r.uriTemplate),
  prompts: [PROMPT.name]
}

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

/**
 * Where the service serves the fixtures of the documented answers (public, like /openapi.json):
 * where the relative externalValue examples/<file> resolves from each copy of the document it
 * serves, /openapi.json and /docs/json (Swagger UI's). From the committed openapi/openapi.json it
 * resolves to the files themselves, openapi/examples/<file>, so generators read them offline.
 */
export const EXAMPLES_PATHS = ['/examples/', '/docs/examples/']

/** The fixtures of the documented answers, by operationId, status and media type. */
const FIXTURE_BY_RESPONSE = new Map(FIXTURES.map((f) => [`${f.operationId} ${f.status} ${f.type}`, f]))

// $ref schemas lose sibling keywords such as `examples` in @fastify/swagger, so examples are
// put on the media type objects after the document is built: the request examples
// (src/examples/requests.ts) and the problems of the error table are embedded; an answer that
// depends on the law is an externalValue, its fixture served at EXAMPLES_PATHS, so a change of the
// law changes the fixture and not the document.
function addExamples(doc: OpenApiDocument, problemTypeBase: string): void {
  // A batch validates each profile on its own (so one bad profile cannot fail the batch), but
  // what a client should send is a ProcurementProfile: say so in the document.
  const profiles = doc.components?.schemas?.BatchRequest?.properties?.profiles
  if (profiles) profiles.items = { $ref: '#/components/schemas/ProcurementProfile' }
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (!operation.operationId) continue
      const ex = REQUEST_BODY_EXAMPLES[operation.operationId]
      if (ex?.request !== undefined) for (const media of Object.values(operation.requestBody?.content ?? {})) media.example = ex.request
      if (ex?.requests !== undefined) for (const media of Object.values(operation.requestBody?.content ?? {})) media.examples = ex.requests
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        // A representation asked for with Accept (text/calendar) is not under content: its
        // documented answer is linked from the description instead.
        for (const fixture of FIXTURES) {
          if (fixture.operationId !== operation.operationId || String(fixture.status) !== status) continue
          if (response.content?.[fixture.type]) continue
          const file = fixtureFile(fixture)
          response.description = `${response.description ?? ''} What the service answers as ${fixture.type}: [${file}](examples/${file}).`
        }
        for (const [type, media] of Object.entries(response.content ?? {})) {
          const fixture = FIXTURE_BY_RESPONSE.get(`${operation.operationId} ${status} ${type}`)
          if (fixture) {
            const file = fixtureFile(fixture)
            media.examples = { [file]: { summary: `What the service answers (${file})`, externalValue: `examples/${file}` } }
            continue
          }
          // A problem without a fixture is the error table's.
          const value = type === 'application/problem+json' ? problemExamples(Number(status))[Number(status)] : undefined
          if (value !== undefined) media.example = withProblemBase(value, problemTypeBase)
        }
      }
    }
  }
}

/** A fixture's bytes as served: JSON with problem types under the configured base, or the iCalendar text. */
function fixtureBody(f: Fixture, problemTypeBase: string): string {
  const value = readFixture(f)
  return f.type === 'text/calendar' ? String(value) : `${JSON.stringify(withProblemBase(value, problemTypeBase), null, 2)}\n`
}

export interface DocsOptions {
  problemTypeBase: string
}

export default fp<DocsOptions>(
  async function docs(app: FastifyInstance, opts: DocsOptions) {
    // Read once at start; each served with the configured problem type base.
    const served = new Map(FIXTURES.map((f) => [fixtureFile(f), { fixture: f, body: fixtureBody(f, opts.problemTypeBase) }]))
    await app.register(swagger, {
      transformObject: (documentObject) => {
        const doc = (documentObject as { openapiObject: OpenApiDocument }).openapiObject
        addExamples(doc, opts.problemTypeBase)
        // The one versioned mapping behind every OcdsFields object (src/catalogue/ocds.json), whole.
        const catalogue = (app as { catalogue?: { ocds: unknown } }).catalogue
        if (catalogue) (doc as Record<string, unknown>)['x-ocds-mapping'] = catalogue.ocds
        ;(doc as Record<string, unknown>)['x-mcp'] = MCP_EXTENSION
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
            'Money is GBP including VAT; dates are YYYY-MM-DD; errors are RFC 9457 application/problem+json. Not legal advice. ' +
            'AI assistants get the same answers over the Model Context Protocol at /mcp (Streamable HTTP, the same API keys; ' +
            'x-mcp lists its tools). ' +
            'The version of this document is the version of the API contract: a minor version only adds (paths, optional ' +
            'fields, ids, representations), so a client ignores fields and ids it does not know; a breaking change comes ' +
            'with a new major version under its own path (/v2). A field to be removed is first marked deprecated here, and ' +
            'answers to requests that use it carry a Deprecation header (RFC 9745).'
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
    // The documented answers, read-only; a name that is not a fixture is a 404.
    for (const path of EXAMPLES_PATHS) {
      app.get<{ Params: { file: string } }>(`${path}:file`, { schema: { hide: true } }, async (request, reply) => {
        const found = served.get(request.params.file)
        if (!found) return reply.callNotFound()
        return reply.type(`${found.fixture.type}; charset=utf-8`).send(found.body)
      })
    }
  },
  { name: 'docs' }
)
