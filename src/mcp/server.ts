// One MCP request, answered with the official SDK's low-level Server (tools with the REST API's
// JSON Schemas, no second schema library) over its Web-standard Streamable HTTP transport,
// stateless: a new server and transport for each HTTP request, so any replica answers any
// request. Everything the server says comes from the REST API through `call` (routes/mcp.ts).
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type GetPromptResult,
  type Tool
} from '@modelcontextprotocol/sdk/types.js'
import type { Problem } from '../../schemas/problem.js'
import type { RecommendationReport } from '../../schemas/report.js'
import { RESOURCES, RESOURCE_TEMPLATES, resourceRequest, type ApiRequest, type ToolSpec, type Words } from './tools.js'
import { interviewPrompt, PROMPT } from './prompt.js'

/** The REST API's answer: its status and its JSON body. */
export interface ApiAnswer {
  status: number
  body: unknown
}

/** What every request's server shares: built once when the route is registered. */
export interface McpSetup {
  serverInfo: { name: string; title: string; version: string }
  instructions: string
  tools: readonly { spec: ToolSpec; definition: Tool }[]
  rulesetVersion: string
  words: Words
  /** What is wrong with arguments that fail the tool's input schema, or undefined when they pass. */
  checkArguments(tool: ToolSpec, args: unknown): Fault | undefined
}

/** What belongs to one HTTP request: its caller. */
export interface McpCaller {
  /** Makes `request` to the REST API as the caller (its key, its tenant). */
  call(request: ApiRequest): Promise<ApiAnswer>
}

/** MCP resource not found (the specification's code; the SDK names none). */
const RESOURCE_NOT_FOUND = -32002

/** What a refusal says: a problem of the REST API, or the faults of a tool's arguments. */
export type Fault = Pick<Problem, 'title' | 'detail' | 'errors' | 'moreErrors'>

/** A refusal as a person (or a model) reads it: what went wrong, and each field at fault by its JSON pointer. */
export function problemText(problem: Fault): string {
  const lines = [`${problem.title}: ${problem.detail}`]
  for (const error of problem.errors ?? []) lines.push(`- ${error.pointer === '' ? '(the whole input)' : error.pointer}: ${error.message}`)
  if (problem.moreErrors) lines.push(`... and ${problem.moreErrors} more.`)
  return lines.join('\n')
}

function toolError(problem: Fault): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: problemText(problem) }] }
}

function createServer(setup: McpSetup, caller: McpCaller): Server {
  const server = new Server(setup.serverInfo, {
    capabilities: { tools: {}, resources: {}, prompts: {} },
    instructions: setup.instructions
  })
  const byName = new Map(setup.tools.map((tool) => [tool.spec.name, tool.spec]))

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: setup.tools.map((tool) => tool.definition) }))
  server.setRequestHandler(CallToolRequestSchema, async ({ params }): Promise<CallToolResult> => {
    const spec = byName.get(params.name)
    if (!spec) throw new McpError(ErrorCode.InvalidParams, `There is no tool named ${params.name}.`)
    const args = params.arguments ?? {}
    const invalid = setup.checkArguments(spec, args)
    if (invalid) return toolError(invalid)
    const answer = await caller.call(spec.request(args))
    if (answer.status >= 400) return toolError(answer.body as Problem)
    return {
      content: [{ type: 'text', text: spec.text(answer.body as never, setup.words) }],
      structuredContent: answer.body as Record<string, unknown>
    }
  })

  const version = ` (ruleset ${setup.rulesetVersion}).`
  const json = 'application/json'
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: RESOURCES.map((r) => ({ ...r, description: r.description + version, mimeType: json }))
  }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: RESOURCE_TEMPLATES.map((r) => ({ ...r, description: r.description + version, mimeType: json }))
  }))
  server.setRequestHandler(ReadResourceRequestSchema, async ({ params }) => {
    const request = resourceRequest(params.uri)
    if (!request) throw new McpError(RESOURCE_NOT_FOUND, `There is no resource ${params.uri}.`)
    const answer = await caller.call(request)
    if (answer.status >= 400) {
      const problem = answer.body as Problem
      throw new McpError(problem.status === 404 ? RESOURCE_NOT_FOUND : ErrorCode.InvalidParams, problemText(problem))
    }
    return { contents: [{ uri: params.uri, mimeType: json, text: JSON.stringify(answer.body) }] }
  })

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [PROMPT] }))
  server.setRequestHandler(GetPromptRequestSchema, async ({ params }): Promise<GetPromptResult> => {
    if (params.name !== PROMPT.name) throw new McpError(ErrorCode.InvalidParams, `There is no prompt named ${params.name}.`)
    const args = params.arguments ?? {}
    const write = byName.has('record_decision')
    if (args.profile === undefined || args.profile.trim() === '') return interviewPrompt({ purchase: args.purchase, write })
    let profile: unknown
    try {
      profile = JSON.parse(args.profile)
    } catch {
      throw new McpError(ErrorCode.InvalidParams, 'The profile argument is not JSON: give a procurement profile as a JSON object.')
    }
    const recommend = byName.get('recommend_procedure')!
    const invalid = setup.checkArguments(recommend, profile)
    if (invalid) throw new McpError(ErrorCode.InvalidParams, problemText(invalid))
    const answer = await caller.call(recommend.request(profile as Record<string, unknown>))
    if (answer.status >= 400) throw new McpError(ErrorCode.InvalidParams, problemText(answer.body as Problem))
    return interviewPrompt({ purchase: args.purchase, write, profile, report: answer.body as RecommendationReport })
  })
  return server
}

/**
 * Answers one HTTP request to /mcp: `request` carries the method and headers (the body is
 * `body`, already parsed within the body limit). JSON answers only (no event stream): every
 * request of this server is answered at once.
 */
export async function answer(setup: McpSetup, caller: McpCaller, request: Request, body: unknown): Promise<Response> {
  const server = createServer(setup, caller)
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  await server.connect(transport)
  try {
    return await transport.handleRequest(request, { parsedBody: body })
  } finally {
    await server.close()
  }
}
