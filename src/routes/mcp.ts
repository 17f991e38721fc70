// POST /mcp: the Model Context Protocol endpoint (Streamable HTTP, stateless), registered with
// { prefix: '/mcp' } beside /v1 by the API plugin (routes/api.ts), so the same hooks run first:
// the API key, the failed-key limit and the client's rate limit, and from the app the security
// headers, request ids, the body limit and JSON parser, and the request's log line.
//
// The SDK's transport takes a Web-standard Request and gives back a Response, which is sent
// through the reply (never written to the raw socket), so the answer passes every onSend and
// onResponse hook too. Each tool call, resource and prompt is answered by the /v1 request it
// stands for, made to this service with the caller's own key (app.inject): same validation, same
// engine, same tenant, same answers. That request is checked like any other, but not counted a
// second time against the caller's allowance (plugins/api-access.ts): one message to /mcp is one
// request, as one message to /v1 is.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import { COUNTED_CALL_HEADERS } from '../plugins/api-access.js'
import { API_VERSION } from '../plugins/swagger.js'
import { compileGuarded, createAjv, fieldErrorList, type Validator } from '../validation.js'
import { selfContained } from '../mcp/json-schema.js'
import { offeredTools, type ApiRequest, type ToolSpec } from '../mcp/tools.js'
import type { ApiAnswer, McpSetup } from '../mcp/server.js'

export interface McpRouteOptions {
  /** MCP_WRITE: offer record_decision. */
  write: boolean
}

const INSTRUCTIONS =
  'Decision support for London boroughs choosing a public procurement procedure (PCR 2015, Procurement Act 2023, ' +
  'health care Provider Selection Regime). Start with recommend_procedure; give it only what the officer has said, and ' +
  'ask the officer the questions its answer lists. Quote the reasons and their legal basis as the service gives them. ' +
  'Money is GBP including VAT; dates are YYYY-MM-DD. Not legal advice.'

/** The headers that carry the caller's API key, passed on to the /v1 request a tool makes. */
const CREDENTIALS = ['authorization', 'x-api-key'] as const

/** The request headers the SDK's transport reads; nothing else (the key least of all) is handed to it. */
const TRANSPORT_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'] as const

/** The Web-standard Request the SDK's transport reads: the method and its headers (the body is parsed already). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers()
  for (const name of TRANSPORT_HEADERS) {
    const value = request.headers[name]
    if (typeof value !== 'string') continue
    try {
      headers.set(name, value)
    } catch {
      // A value Node's parser let through but the Fetch API refuses: as if absent, the transport then says what it needs.
    }
  }
  return new Request('http://localhost/mcp', { method: request.method, headers })
}

function mcpSetup(app: FastifyInstance, opts: McpRouteOptions): McpSetup {
  const shared = app.getSchemas() as Record<string, unknown>
  const ajv = createAjv()
  const validators = new Map<string, Validator>()
  const tools = offeredTools(opts.write).map((spec) => {
    const definition: Tool = {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: selfContained(spec.input, shared) as Tool['inputSchema'],
      outputSchema: selfContained({ $ref: spec.output }, shared) as Tool['outputSchema'],
      annotations: {
        title: spec.title,
        readOnlyHint: spec.readOnly,
        destructiveHint: false,
        idempotentHint: spec.readOnly,
        openWorldHint: false
      }
    }
    return { spec, definition }
  })
  const inputOf = new Map(tools.map((tool) => [tool.spec.name, tool.definition.inputSchema]))
  const { catalogue, recommender } = app
  return {
    serverInfo: { name: 'procurement-route-advisor', title: 'Procurement Route Advisor', version: API_VERSION },
    instructions: INSTRUCTIONS,
    tools,
    rulesetVersion: catalogue.rulesetVersion,
    words: {
      money: recommender.compiled.formatMoney,
      procedureName: (id) => catalogue.publicProcedureById.get(id)?.name ?? id
    },
    checkArguments(spec: ToolSpec, args: unknown) {
      let validate = validators.get(spec.name)
      if (!validate) {
        validate = compileGuarded(ajv, inputOf.get(spec.name)!)
        validators.set(spec.name, validate)
      }
      if (validate(args)) return undefined
      const list = fieldErrorList(validate.errors, 'body')
      const count = list.errors.length + (list.moreErrors ?? 0)
      return {
        title: 'Invalid arguments',
        detail: `${count} field${count === 1 ? '' : 's'} at fault in the arguments of ${spec.name}.`,
        ...list
      }
    }
  }
}

export default async function mcpRoutes(app: FastifyInstance, opts: McpRouteOptions) {
  // Unknown paths under /mcp, and other methods than POST (405), run the access hooks too.
  app.setNotFoundHandler((request, reply) => app.notFound(request, reply))
  const setup = mcpSetup(app, opts)
  // The SDK (and the schema library it carries) is loaded on the first request, not at start.
  let sdk: Promise<typeof import('../mcp/server.js')> | undefined

  /** The /v1 request a tool stands for, made with the caller's key, address and request id. */
  function callerOf(request: FastifyRequest) {
    const credentials: Record<string, string> = {}
    for (const name of CREDENTIALS) {
      const value = request.headers[name]
      if (typeof value === 'string') credentials[name] = value
    }
    return {
      async call(api: ApiRequest): Promise<ApiAnswer> {
        const json = api.payload !== undefined
        const res = await app.inject({
          method: api.method,
          url: api.url,
          remoteAddress: request.ip,
          headers: {
            ...credentials,
            ...COUNTED_CALL_HEADERS,
            accept: 'application/json',
            'x-request-id': request.id,
            ...(json ? { 'content-type': 'application/json' } : {})
          },
          ...(json ? { payload: JSON.stringify(api.payload) } : {})
        })
        return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body) }
      }
    }
  }

  app.post('', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    // One JSON-RPC message per request (MCP 2025-06-18 dropped batches), so one request to /mcp is
    // at most one tool call against the rate limit.
    if (Array.isArray(request.body)) {
      const message = 'must be one JSON-RPC message: batches are not accepted'
      const problem = app.problem(request, 'PRA_ERR_VALIDATION', `The body ${message}.`, {
        errors: [{ pointer: '', in: 'body', message }]
      })
      return reply.code(400).type('application/problem+json').send(problem)
    }
    sdk ??= import('../mcp/server.js')
    const { answer } = await sdk
    const response = await answer(setup, callerOf(request), webRequest(request), request.body)
    reply.code(response.status)
    response.headers.forEach((value, name) => reply.header(name, value))
    reply.header('cache-control', 'no-store')
    const body = await response.text()
    return reply.send(body === '' ? undefined : body)
  })
}
