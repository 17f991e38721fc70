// The MCP endpoint as an assistant meets it: the SDK's own client over a real socket, against a
// real server process with API keys. Every tool is called; a missing or wrong key is refused;
// one client never sees another's decisions; bad input is a tool error naming the field by its
// JSON pointer; every golden scenario gets the same ranking as POST /v1/recommendations; and the
// route's hooks (rate limit shared with /v1, body limit, security headers, logging) still apply.
import t from 'tap'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { startServer, type ServerProcess } from './helpers/server-process.js'

const KEY_A = 'mcp-test-key-of-hackney-0123456789'
const KEY_B = 'mcp-test-key-of-camden-0123456789'
const KEY_C = 'mcp-test-key-of-islington-0123456789'
const sha = (key: string) => createHash('sha256').update(key).digest('hex')
const API_KEYS = [`lb-hackney:${KEY_A}`, `lb-camden:${KEY_B}`, `lb-islington:${KEY_C}`]
  .map((entry) => entry.replace(/:(.*)$/, (_m, key: string) => `:sha256:${sha(key)}`))
  .join(',')

const SOCIAL_CARE = {
  reference: 'LBH-MCP-1',
  contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] },
  constraints: { startDate: '2026-12-01' }
}

async function connect(server: ServerProcess, key?: string): Promise<Client> {
  const client = new Client({ name: 'mcp-e2e-test', version: '1.0.0' })
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {}
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }))
  return client
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')

/** One JSON-RPC message to /mcp, as any HTTP client would send it. */
function post(server: ServerProcess, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }

async function rest(server: ServerProcess, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

t.test('with MCP_WRITE=true', async (t) => {
  const server = await startServer({ API_KEYS, MCP_WRITE: 'true' })
  t.teardown(() => server.child.kill('SIGKILL'))
  const hackney = await connect(server, KEY_A)
  const camden = await connect(server, KEY_B)
  t.teardown(() => Promise.all([hackney.close(), camden.close()]))

  t.test('lists the six tools, the resources and the prompt', async (t) => {
    const { tools } = await hackney.listTools()
    t.same(
      tools.map((tool) => tool.name),
      ['recommend_procedure', 'plan_procurement', 'get_procedure', 'thresholds_on', 'list_decisions', 'record_decision']
    )
    const recommend = tools.find((tool) => tool.name === 'recommend_procedure')!
    t.same(recommend.inputSchema.required, ['contract'], 'the input schema is the profile of the REST API')
    t.notOk(JSON.stringify(tools).includes('"$ref"'), 'every schema is self-contained')
    t.equal(tools.find((tool) => tool.name === 'record_decision')!.annotations?.readOnlyHint, false)
    const { resources } = await hackney.listResources()
    t.same(
      resources.map((r) => r.uri),
      ['procurement-route-advisor://procedures', 'procurement-route-advisor://thresholds']
    )
    t.match(resources[0]!.description, /\(ruleset \d{4}\.\d+\.\d+/)
    const { prompts } = await hackney.listPrompts()
    t.same(
      prompts.map((p) => p.name),
      ['choose_procedure']
    )
  })

  t.test('recommend_procedure answers the compact report of POST /v1/recommendations', async (t) => {
    const result = (await hackney.callTool({ name: 'recommend_procedure', arguments: SOCIAL_CARE })) as CallToolResult
    t.notOk(result.isError)
    const report = result.structuredContent as { view: string; recommendations: { procedureId: string; fit: string }[] }
    t.equal(report.view, 'compact')
    t.equal(report.recommendations[0]!.procedureId, 'light-touch')
    t.match(
      textOf(result),
      /^Procurement Act 2023 applies \(start date 2026-12-01\)\. £850,000 including VAT is at or above the £663,540 threshold/
    )
    t.match(textOf(result), /\n1\. Light touch regime \(strong fit, score \d+\): .*Procurement Act 2023, s\.9/)
  })

  t.test('plan_procurement answers what POST /v1/plans answers', async (t) => {
    const request = { profile: SOCIAL_CARE, procedureId: 'open-tender' }
    const result = (await hackney.callTool({ name: 'plan_procurement', arguments: request })) as CallToolResult
    t.notOk(result.isError)
    const plan = result.structuredContent as { procedureId: string; milestones: { id: string; date: string }[] }
    const direct = await rest(server, KEY_A, 'POST', '/v1/plans', request)
    t.equal(direct.status, 200)
    t.equal(plan.procedureId, 'open-tender')
    t.same(
      plan.milestones.map((m) => [m.id, m.date]),
      (direct.body.milestones as { id: string; date: string }[]).map((m) => [m.id, m.date])
    )
    t.match(textOf(result), /- \d{4}-\d{2}-\d{2}: Contract entry/)
  })

  t.test('get_procedure and thresholds_on read the catalogue', async (t) => {
    const procedure = (await hackney.callTool({ name: 'get_procedure', arguments: { id: 'competitive-dialogue' } })) as CallToolResult
    t.equal((procedure.structuredContent as { procedure: { id: string } }).procedure.id, 'competitive-dialogue')
    t.match(textOf(procedure), /Competitive flexible procedure: Procurement Act 2023, s\.20\(2\)\(b\)/)
    const thresholds = (await hackney.callTool({ name: 'thresholds_on', arguments: { date: '2026-12-01' } })) as CallToolResult
    const list = thresholds.structuredContent as { date: string; thresholds: { kind: string; authorityType: string; amount: number }[] }
    t.equal(list.date, '2026-12-01')
    t.equal(list.thresholds.find((x) => x.kind === 'goods-services' && x.authorityType === 'sub-central')?.amount, 207720)
    t.match(textOf(thresholds), /- Goods and services: £207,720 from 2026-01-01/)
  })

  t.test('a resource reads the catalogue; the prompt interviews with the service\u2019s answer', async (t) => {
    const read = await hackney.readResource({ uri: 'procurement-route-advisor://thresholds/2026-12-01' })
    const body = JSON.parse(String((read.contents[0] as { text: string }).text)) as { date: string; rulesetVersion: string }
    t.equal(body.date, '2026-12-01')
    t.match(body.rulesetVersion, /^\d{4}\.\d+\.\d+/)
    await t.rejects(hackney.readResource({ uri: 'procurement-route-advisor://procedures/no-such-procedure' }), { code: -32002 })
    const prompt = await hackney.getPrompt({
      name: 'choose_procedure',
      arguments: { purchase: 'home care for older people', profile: JSON.stringify(SOCIAL_CARE) }
    })
    const text = (prompt.messages[0]!.content as { text: string }).text
    t.match(text, /The purchase, in the officer’s words: home care for older people/)
    t.match(text, /The service’s answer to it now: Light touch regime \(strong fit\)/)
    t.match(text, /record_decision once the officer has decided/)
  })

  t.test('decisions: recorded and listed per client, never across clients', async (t) => {
    const recommended = (await hackney.callTool({ name: 'recommend_procedure', arguments: SOCIAL_CARE })) as CallToolResult
    const top = (recommended.structuredContent as { recommendations: { procedureId: string }[] }).recommendations[0]!.procedureId
    const recorded = (await hackney.callTool({
      name: 'record_decision',
      arguments: { profile: SOCIAL_CARE, procedureId: top, decidedBy: { name: 'A. Officer', role: 'cio-cdo' } }
    })) as CallToolResult
    t.notOk(recorded.isError, textOf(recorded))
    const record = recorded.structuredContent as { id: string; client: string; rank: number; receipt: { seq: number } }
    t.equal(record.client, 'lb-hackney')
    t.equal(record.rank, 1)
    t.equal(record.receipt.seq, 1)
    t.match(textOf(recorded), /^Recorded on \d{4}-\d{2}-\d{2}: Light touch regime, rank 1, decided by A\. Officer\./)

    const mine = (await hackney.callTool({ name: 'list_decisions', arguments: { reference: 'LBH-MCP-1' } })) as CallToolResult
    t.same(
      (mine.structuredContent as { items: { id: string }[] }).items.map((i) => i.id),
      [record.id]
    )
    t.match(textOf(mine), /: Light touch regime, rank 1, decided by A\. Officer/)
    const theirs = (await camden.callTool({ name: 'list_decisions', arguments: {} })) as CallToolResult
    t.same((theirs.structuredContent as { items: unknown[] }).items, [], "another client's decisions are invisible over MCP")
    t.equal((await rest(server, KEY_B, 'GET', `/v1/decisions/${record.id}`)).status, 404, 'and over REST')
    t.equal((await rest(server, KEY_A, 'GET', `/v1/decisions/${record.id}`)).status, 200, 'the same record, for its own client, over REST')
  })

  t.test('bad input is a tool error naming each field by its JSON pointer', async (t) => {
    const invalid = (await hackney.callTool({
      name: 'recommend_procedure',
      arguments: { contract: { type: 'services', estimatedValue: -1, colour: 'blue' } }
    })) as CallToolResult
    t.equal(invalid.isError, true)
    t.match(textOf(invalid), /- \/contract\/estimatedValue: must be >= 0/)
    t.match(textOf(invalid), /- \/contract\/colour: is not a known field/)
    const limit = (await hackney.callTool({ name: 'list_decisions', arguments: { limit: '500' } })) as CallToolResult
    t.equal(limit.isError, true)
    t.match(textOf(limit), /- \/limit: /)
    const excluded = (await hackney.callTool({
      name: 'plan_procurement',
      arguments: { profile: SOCIAL_CARE, procedureId: 'provider-selection-regime' }
    })) as CallToolResult
    t.equal(excluded.isError, true, 'a procedure the report excludes, refused by the REST route')
    t.match(textOf(excluded), /- \/procedureId: /)
    const unknown = (await hackney.callTool({ name: 'get_procedure', arguments: { id: 'negotiated-lunch' } })) as CallToolResult
    t.equal(unknown.isError, true)
    t.match(textOf(unknown), /negotiated-lunch/)
    const rationale = (await hackney.callTool({
      name: 'record_decision',
      arguments: { profile: SOCIAL_CARE, procedureId: 'open-tender', decidedBy: { name: 'A. Officer', role: 'cio-cdo' } }
    })) as CallToolResult
    t.equal(rationale.isError, true, 'a choice other than rank 1 needs a rationale, as at POST /v1/decisions')
    t.match(textOf(rationale), /- \/rationale: is required/)
  })

  t.test('every golden scenario gets the same ranking as POST /v1/recommendations', async (t) => {
    const dir = new URL('./scenarios/', import.meta.url)
    const scenarios = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { scenarios: { name: string; profile: unknown }[] }).scenarios)
    t.ok(scenarios.length >= 40, `${scenarios.length} scenarios`)
    const ranking = (report: {
      recommendations: { procedureId: string; fit: string; score: number }[]
      notRecommended: { procedureId: string }[]
    }) => ({
      recommended: report.recommendations.map((r) => `${r.procedureId} ${r.fit} ${r.score}`),
      notRecommended: report.notRecommended.map((r) => r.procedureId)
    })
    let refused = 0
    for (const scenario of scenarios) {
      const direct = await rest(server, KEY_A, 'POST', '/v1/recommendations', scenario.profile)
      const viaMcp = (await hackney.callTool({
        name: 'recommend_procedure',
        arguments: scenario.profile as Record<string, unknown>
      })) as CallToolResult
      if (direct.status !== 200) {
        refused++
        t.equal(viaMcp.isError, true, `${scenario.name}: refused over MCP too`)
        t.ok(textOf(viaMcp).includes(String(direct.body.detail)), `${scenario.name}: with the same detail`)
        continue
      }
      t.same(ranking(viaMcp.structuredContent as never), ranking(direct.body as never), scenario.name)
    }
    t.equal(refused, 10, 'the scenarios the service refuses (5 invalid, 5 not covered) are refused over MCP with the same words')
  })
})

t.test('without MCP_WRITE, and the hooks of the route', async (t) => {
  // An allowance of 4 requests an hour per client: each subtest below uses a client of its own.
  const server = await startServer({
    API_KEYS,
    RATE_LIMIT_MAX: '4',
    RATE_LIMIT_WINDOW_MS: '3600000',
    CORS_ORIGINS: 'https://assistant.example'
  })
  t.teardown(() => server.child.kill('SIGKILL'))

  t.test('a missing or wrong key is refused before the protocol starts', async (t) => {
    const missing = await post(server, LIST_TOOLS)
    t.equal(missing.status, 401)
    t.equal(missing.headers.get('www-authenticate'), 'Bearer realm="procurement-route-advisor"')
    t.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    const wrong = await post(server, LIST_TOOLS, { authorization: 'Bearer not-a-key-of-this-service' })
    t.equal(wrong.status, 401)
    t.match(wrong.headers.get('www-authenticate'), /error="invalid_token"/)
    for (const path of ['/mcp/', '/MCP', '/%6Dcp', '/mcp/x/..']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      t.not(res.status, 200, `${path} without a key`)
      t.ok([401, 404, 405].includes(res.status), `${path}: ${res.status}`)
    }
    const get = await fetch(`${server.url}/mcp`, { headers: { accept: 'text/event-stream' } })
    t.equal(get.status, 401, 'a method the route does not have is refused without a key too')
    await t.rejects(connect(server), 'the SDK client cannot connect without a key')
    await t.rejects(connect(server, 'not-a-key-of-this-service'), 'nor with a wrong one')
  })

  t.test('record_decision is not offered', async (t) => {
    const res = await post(server, LIST_TOOLS, { 'x-api-key': KEY_B })
    t.equal(res.status, 200)
    const body = (await res.json()) as { result: { tools: { name: string }[] } }
    t.same(
      body.result.tools.map((tool) => tool.name),
      ['recommend_procedure', 'plan_procurement', 'get_procedure', 'thresholds_on', 'list_decisions']
    )
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', 'security headers')
    t.match(res.headers.get('content-security-policy'), /default-src 'self'/)
    t.equal(res.headers.get('cache-control'), 'no-store')
    t.match(res.headers.get('x-request-id'), /^[0-9a-f-]{36}$/)
    const call = await post(
      server,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'record_decision', arguments: {} } },
      { 'x-api-key': KEY_B }
    )
    const error = (await call.json()) as { error: { code: number; message: string } }
    t.equal(error.error.code, -32602)
    t.equal(error.error.message, 'MCP error -32602: There is no tool named record_decision.')
  })

  t.test('a browser-based assistant of an allowed origin may send the MCP headers', async (t) => {
    const preflight = await fetch(`${server.url}/mcp`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://assistant.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version'
      }
    })
    t.equal(preflight.status, 204)
    t.equal(preflight.headers.get('access-control-allow-origin'), 'https://assistant.example')
    t.match(preflight.headers.get('access-control-allow-headers'), /mcp-protocol-version/)
  })

  t.test('the body limit, one message per request, and GET', async (t) => {
    const big = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'thresholds_on', arguments: { pad: 'x'.repeat(70000) } } }
    const tooLarge = await post(server, big, { 'x-api-key': KEY_C })
    t.equal(tooLarge.status, 413)
    t.equal(((await tooLarge.json()) as { code: string }).code, 'FST_ERR_CTP_BODY_TOO_LARGE')
    const batch = await post(server, [LIST_TOOLS, { ...LIST_TOOLS, id: 2 }], { 'x-api-key': KEY_C })
    t.equal(batch.status, 400)
    t.same(((await batch.json()) as { errors: unknown }).errors, [
      { pointer: '', in: 'body', message: 'must be one JSON-RPC message: batches are not accepted' }
    ])
    const get = await fetch(`${server.url}/mcp`, { headers: { 'x-api-key': KEY_C, accept: 'text/event-stream' } })
    t.equal(get.status, 405, 'no event stream: the server is stateless')
    t.match(get.headers.get('allow'), /\bPOST\b/)
  })

  t.test('one request to /mcp is one request against the allowance /v1 shares', async (t) => {
    // RATE_LIMIT_MAX is 4 for this server: Hackney has made no request yet.
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'thresholds_on', arguments: { date: '2026-12-01' } }
    })
    const statuses: number[] = []
    for (let id = 1; id <= 3; id++) statuses.push((await post(server, call(id), { authorization: `Bearer ${KEY_A}` })).status)
    statuses.push((await fetch(`${server.url}/v1/procedures`, { headers: { authorization: `Bearer ${KEY_A}` } })).status)
    const over = await post(server, call(5), { authorization: `Bearer ${KEY_A}` })
    statuses.push(over.status)
    t.same(statuses, [200, 200, 200, 200, 429], 'three tool calls and one REST request use the allowance of four')
    t.ok(Number(over.headers.get('retry-after')) > 0, 'with Retry-After')
    t.equal(((await over.json()) as { code: string }).code, 'PRA_ERR_RATE_LIMITED')
    const forged = await fetch(`${server.url}/v1/procedures`, {
      headers: { authorization: `Bearer ${KEY_A}`, 'x-pra-counted-call': 'A'.repeat(43) }
    })
    t.equal(forged.status, 429, 'no header a client can send exempts its own request')
  })

  t.test('each request is logged, with the client; a tool call also as the /v1 request it made', async (t) => {
    type Line = {
      msg: string
      reqId?: string
      client?: string
      clientRequestId?: string
      req?: { url: string }
      res?: { statusCode: number }
    }
    const completed = (): Line[] =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line)
        .filter((line) => line.msg === 'request completed')
    // A request's line is written once its answer has gone out: wait for it to come through the pipe.
    for (let i = 0; i < 100 && !completed().some((l) => l.req?.url === '/mcp' && l.res?.statusCode === 429); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const lines = completed()
    const mcp = lines.find((l) => l.req?.url === '/mcp' && l.client === 'lb-hackney' && l.res?.statusCode === 200)
    t.ok(mcp, 'POST /mcp, its client and status')
    const inner = lines.find((l) => l.req?.url === '/v1/thresholds?date=2026-12-01' && l.clientRequestId === mcp?.reqId)
    t.ok(inner, 'the /v1 request of the tool call, under the request id of the /mcp request')
    t.equal(inner?.client, 'lb-hackney')
  })
})
