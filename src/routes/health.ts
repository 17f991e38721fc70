import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import { problemExamples, problemResponses } from './responses.js'

const HealthSchema = Type.Object(
  { status: Type.Enum(['ok']), rulesetVersion: Type.Optional(Type.String()) },
  { additionalProperties: false, description: 'The service is up', examples: [{ status: 'ok' }] }
)

export default async function healthRoutes(app: FastifyInstance) {
  app.docExamples.set('getReadiness', { responses: problemExamples(503) })
  app.get(
    '/health/live',
    {
      // Never shed: an orchestrator must not restart a busy but healthy process.
      config: { pressureHandler: () => undefined },
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'Answers 200 while the process is running. For orchestrators; never rate limited.',
        response: { 200: HealthSchema }
      }
    },
    async () => ({ status: 'ok' as const })
  )
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'getReadiness',
        summary: 'Readiness',
        description: 'Answers 200 once the catalogue is loaded and validated and the service can take requests; 503 (with Retry-After) while it sheds load.',
        response: { 200: { ...HealthSchema, examples: [{ status: 'ok', rulesetVersion: '2026.11.0+3f2a9c1b7d4e' }] }, ...problemResponses(503) }
      }
    },
    async () => ({ status: 'ok' as const, rulesetVersion: app.catalogue.rulesetVersion })
  )
}
