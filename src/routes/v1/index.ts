// The versioned API as one encapsulated plugin, registered with { prefix: '/v1' }. Its first
// child adds the access hooks (API key, failed-key limit, per-client rate limit) to this context,
// so every route below, and every 404 or 405 under /v1, runs them: no route under /v1 can exist
// without them, however a client spells the path. The OpenAPI security requirement is declared
// here once, for the same routes.
import type { FastifyInstance } from 'fastify'
import apiAccess, { type ApiAccessOptions } from '../../plugins/api-access.js'
import { API_SECURITY } from '../responses.js'
import procedureRoutes from './procedures.js'
import thresholdRoutes from './thresholds.js'
import recommendationRoutes, { type RecommendationRouteOptions } from './recommendations.js'

export interface V1Options {
  access: ApiAccessOptions
  recommendations: RecommendationRouteOptions
}

export default async function v1(app: FastifyInstance, opts: V1Options) {
  await app.register(apiAccess, opts.access)
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: API_SECURITY }
  })
  app.setNotFoundHandler((request, reply) => app.notFound(request, reply))
  await app.register(procedureRoutes)
  await app.register(thresholdRoutes, { now: opts.recommendations.now })
  await app.register(recommendationRoutes, opts.recommendations)
}
