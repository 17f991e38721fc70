// The versioned API as one encapsulated plugin, registered with { prefix: '/v1' } by the API
// plugin (routes/api.ts), whose access hooks (API key, failed-key limit, per-client rate limit)
// every route below, and every 404 or 405 under /v1, runs: no route under /v1 can exist without
// them, however a client spells the path. The OpenAPI security requirement is declared here once,
// for the same routes.
import type { FastifyInstance } from 'fastify'
import etag from '@fastify/etag'
import { PAPER_CSP } from '../../plugins/security.js'
import { API_SECURITY } from '../../problem-responses.js'
import procedureRoutes from './procedures.js'
import thresholdRoutes from './thresholds.js'
import recommendationRoutes, { type RecommendationRouteOptions } from './recommendations.js'
import decisionRoutes, { type DecisionRouteOptions } from './decisions.js'
import planRoutes, { type PlanRouteOptions } from './plans.js'

/** Cache-Control of the catalogue (procedures, thresholds): five minutes, then revalidate. */
export const CATALOGUE_CACHE_CONTROL = 'private, max-age=300'

export interface V1Options {
  recommendations: RecommendationRouteOptions
  decisions: DecisionRouteOptions
  plans: PlanRouteOptions
}

export default async function v1(app: FastifyInstance, opts: V1Options) {
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: API_SECURITY }
  })
  app.setNotFoundHandler((request, reply) => app.notFound(request, reply))
  // Answers are computed for the caller, so no cache may keep them, unless a child says otherwise.
  // Every HTML answer here is a route-to-market paper, which runs no scripts: its own policy.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    if (String(reply.getHeader('content-type')).startsWith('text/html')) reply.header('content-security-policy', PAPER_CSP)
    done(null, payload)
  })
  await app.register(async function catalogue(catalogue) {
    // The catalogue changes only with the ruleset: clients may keep it briefly and revalidate
    // with If-None-Match (304). Private: it is served to API clients only.
    await catalogue.register(etag)
    catalogue.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.statusCode < 300 || reply.statusCode === 304) reply.header('cache-control', CATALOGUE_CACHE_CONTROL)
      done(null, payload)
    })
    await catalogue.register(procedureRoutes)
    await catalogue.register(thresholdRoutes, { now: opts.recommendations.now })
  })
  await app.register(recommendationRoutes, opts.recommendations)
  await app.register(decisionRoutes, opts.decisions)
  await app.register(planRoutes, opts.plans)
}
