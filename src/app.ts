// buildApp(config): the one factory used by the server, the tests and the OpenAPI export.
// Plugins are registered explicitly, top to bottom, so the order reads as code.
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { corsOrigins, loadApiKeys, type Config } from './config.js'
import type { Catalogue } from './catalogue/load.js'
import { compileGuarded, createAjv } from './validation.js'
import { PROBLEMS } from './errors.js'
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
import slowReaders from './plugins/slow-readers.js'
import healthRoutes from './routes/health.js'
import v1 from './routes/v1/index.js'

export interface BuildOptions {
  /** The clock; tests fix it. */
  now?: () => Date
  /** A catalogue already loaded; default: load the data files. */
  catalogue?: Catalogue
  /** The folder of the catalogue data files (tests); default: beside the loader. */
  catalogueDir?: string
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
    // One log line per request (written in onResponse below) rather than two.
    logController: new LogController({ disableRequestLogging: true }),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A slow client cannot hold the server: the whole request must arrive in time, idle
    // sockets are closed. The idle timeout is also the write timeout: a socket whose client
    // stops reading is destroyed, releasing the answer it holds, after one to two
    // connectionTimeouts (Node re-arms the timer once if the write progressed since it began;
    // test/slow-readers.test.ts). A client that keeps reading, however slowly, is not cut.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // Node checks request and header deadlines on this interval (default 30 s).
    http: { connectionsCheckingInterval: 500, headersTimeout: config.REQUEST_TIMEOUT_MS },
    // At shutdown, requests already accepted on open connections are still served.
    return503OnClosing: false,
    // Errors Node raises before a request exists (timeouts, malformed HTTP) are problems too.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code
      const timeout = code === 'ERR_HTTP_REQUEST_TIMEOUT'
      const key = timeout ? 'requestTimeout' : 'badHttp'
      const status = timeout ? 408 : 400
      const body = JSON.stringify({
        type: `${config.PROBLEM_TYPE_BASE}${PROBLEMS[key].type}`,
        title: PROBLEMS[key].title,
        status,
        detail: timeout ? `The request did not arrive in full within ${config.REQUEST_TIMEOUT_MS} ms.` : 'The HTTP request could not be parsed.',
        instance: `urn:uuid:${randomUUID()}`,
        code: timeout ? 'PRA_ERR_REQUEST_TIMEOUT' : 'PRA_ERR_BAD_HTTP'
      })
      // A socket still holding an earlier answer (its client is not reading) gets no 408: it
      // could not be delivered, and end() would keep the socket and that answer for as long as
      // the client trickles bytes, each one restarting the idle timeout.
      if (socket.writable && socket.writableLength === 0) {
        socket.end(
          `HTTP/1.1 ${status} ${timeout ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
        )
      } else socket.destroy(err)
    },
    forceCloseConnections: 'idle'
  })

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { req: { method: request.method, url: request.url, remoteAddress: request.ip }, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 100) / 100 },
      'request completed'
    )
  })

  // One Ajv for every request schema: unknown fields rejected, no coercion, all errors listed.
  const ajv = createAjv(SHARED_SCHEMAS)
  app.setValidatorCompiler(({ schema }) => compileGuarded(ajv, schema))
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  // JSON bodies only: 415 for anything else.
  app.removeContentTypeParser('text/plain')

  const apiKeys = loadApiKeys(config)
  await app.register(problems, { problemTypeBase: config.PROBLEM_TYPE_BASE })
  // Before load shedding: a pipelined request is checked when it is handled, not when it queued.
  await app.register(slowReaders, { maxConnections: config.MAX_CONNECTIONS })
  await app.register(loadShedding, {
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES,
    maxRssBytes: config.MAX_RSS_BYTES,
    sampleIntervalMs: config.LOAD_SAMPLE_INTERVAL_MS,
    retryAfterSeconds: config.SHED_RETRY_AFTER_S
  })
  await app.register(docs)
  await app.register(security, { corsOrigins: corsOrigins(config) })
  await app.register(cataloguePlugin, { ...(options.catalogue ? { catalogue: options.catalogue } : {}), ...(options.catalogueDir ? { dir: options.catalogueDir } : {}) })
  await app.register(healthRoutes)
  const validateProfile = compileGuarded(ajv, { $ref: 'ProcurementProfile' })
  // Everything under /v1 is one encapsulated plugin whose hooks check the key and the limits.
  await app.register(v1, {
    prefix: '/v1',
    access: { apiKeys, rateLimitMax: config.RATE_LIMIT_MAX, rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS, authFailureMax: config.AUTH_FAILURE_LIMIT },
    recommendations: { now, validateProfile, batchBodyLimit: config.BATCH_BODY_LIMIT_BYTES }
  })
  return app
}
