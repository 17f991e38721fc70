// buildApp(config): the one factory used by the server, the tests and the OpenAPI export.
// Plugins are registered explicitly, top to bottom, so the order reads as code.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { corsOrigins, loadApiKeys, type Config } from './config.js'
import type { Catalogue } from './catalogue/load.js'
import { createAjv } from './validation.js'
import { ProcurementProfileSchema } from '../schemas/profile.js'
import { RecommendationReportSchema } from '../schemas/report.js'
import { ProblemSchema } from '../schemas/problem.js'
import { ProcedureDetailSchema, ProcedureListSchema, ProcedureSchema } from '../schemas/procedure.js'
import { ThresholdListSchema, ThresholdSchema } from '../schemas/threshold.js'
import { BatchRequestSchema, BatchResponseSchema } from '../schemas/batch.js'
import problems from './plugins/problems.js'
import docs from './plugins/swagger.js'
import cataloguePlugin from './plugins/catalogue.js'
import security from './plugins/security.js'
import loadShedding from './plugins/load-shedding.js'
import healthRoutes from './routes/health.js'
import procedureRoutes from './routes/v1/procedures.js'
import thresholdRoutes from './routes/v1/thresholds.js'
import recommendationRoutes from './routes/v1/recommendations.js'

export interface BuildOptions {
  /** The clock; tests fix it. */
  now?: () => Date
  /** A catalogue already loaded; default: load the data files. */
  catalogue?: Catalogue
  /** Pino destination override (tests capture log lines). */
  logStream?: NodeJS.WritableStream
}

/** Every schema with an $id: added once, named after its $id in the OpenAPI document. */
export const SHARED_SCHEMAS = [
  ProcurementProfileSchema,
  RecommendationReportSchema,
  ProblemSchema,
  ProcedureSchema,
  ProcedureListSchema,
  ProcedureDetailSchema,
  ThresholdSchema,
  ThresholdListSchema,
  BatchRequestSchema,
  BatchResponseSchema
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date())
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' }
    },
    // A caller's x-request-id is kept when it is a UUID (so it can be the problem instance).
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID()
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A slow client cannot hold the server: the whole request must arrive in time, idle
    // sockets are closed.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // At shutdown, requests already accepted on open connections are still served.
    return503OnClosing: false,
    forceCloseConnections: 'idle'
  })

  // One Ajv for every request schema: unknown fields rejected, no coercion, all errors listed.
  const ajv = createAjv(SHARED_SCHEMAS)
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema))
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  // JSON bodies only: 415 for anything else.
  app.removeContentTypeParser('text/plain')

  const apiKeys = loadApiKeys(config)
  await app.register(problems, { problemTypeBase: config.PROBLEM_TYPE_BASE })
  await app.register(loadShedding, {
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES,
    maxRssBytes: config.MAX_RSS_BYTES,
    sampleIntervalMs: config.LOAD_SAMPLE_INTERVAL_MS,
    retryAfterSeconds: config.SHED_RETRY_AFTER_S
  })
  await app.register(docs)
  await app.register(security, {
    apiKeys,
    corsOrigins: corsOrigins(config),
    rateLimitMax: config.RATE_LIMIT_MAX,
    rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS
  })
  await app.register(cataloguePlugin, options.catalogue ? { catalogue: options.catalogue } : {})
  await app.register(healthRoutes)
  await app.register(procedureRoutes)
  await app.register(thresholdRoutes, { now })
  const validateProfile = ajv.getSchema('ProcurementProfile')
  if (!validateProfile) throw new Error('ProcurementProfile schema missing')
  await app.register(recommendationRoutes, { now, validateProfile, batchBodyLimit: config.BATCH_BODY_LIMIT_BYTES })
  return app
}
