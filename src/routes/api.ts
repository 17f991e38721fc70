// Everything a client needs an API key for, as one encapsulated plugin: its first child adds the
// access hooks (API key, failed-key limit, per-client rate limit) to this context, and the REST
// API (/v1) and the MCP endpoint (/mcp) are registered below it, so every route of either, and
// every 404 or 405 under them, runs the same hooks: one key, one tenant and one allowance per
// client for both, and no route under either without them, however a client spells the path.
import type { FastifyInstance } from 'fastify'
import apiAccess, { type ApiAccessOptions } from '../plugins/api-access.js'
import v1, { type V1Options } from './v1/index.js'
import mcpRoutes, { type McpRouteOptions } from './mcp.js'

export interface ApiOptions {
  access: ApiAccessOptions
  v1: V1Options
  mcp: McpRouteOptions
}

export default async function api(app: FastifyInstance, opts: ApiOptions) {
  await app.register(apiAccess, opts.access)
  await app.register(v1, { prefix: '/v1', ...opts.v1 })
  await app.register(mcpRoutes, { prefix: '/mcp', ...opts.mcp })
}
