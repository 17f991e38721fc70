// buildApp(config): the one factory used by the server, the tests and the OpenAPI export.
// Plugins are registered explicitly, top to bottom, so the order reads as code.
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { corsOrigins, loadApiKeys, loadChainKeys, trustProxy, type Config } from './config.js'
import type { Catalogue } from './catalogue/load.js'
import { compileGuarded, createAjv } from './validation.js'
import { CompileQueue, lazySerializerFactory, lazyValidator } from './lazy-compilers.js'
import { ProcurementProfileSchema } from '../schemas/profile.js'
import {
  AgreementSetUpSchema,
  ConcessionSchema,
  LegalRouteRefSchema,
  NotRecommendedSchema,
  PsrProcessSchema,
  ReasonSchema,
  RecommendationReportSchema,
  RecommendationSchema,
  WarningSchema,
  AlternativeReadingSchema,
  RuleNoteSchema,
  ToConfirmSchema,
  DirectAwardGroundSchema,
  AssumedInputSchema,
  QuestionSchema
} from '../schemas/report.js'
import { RaciMatrixSchema } from '../schemas/common.js'
import {
  ChainVerificationSchema,
  DecisionListSchema,
  DecisionRecordSchema,
  DecisionRequestSchema,
  DecisionSummarySchema,
  EntryFaultSchema,
  ReceiptSchema
} from '../schemas/decision.js'
import storePlugin from './plugins/store.js'
import type { DecisionStore } from './store/records.js'
import { ProblemSchema } from '../schemas/problem.js'
import { LegalRouteSchema, ProcedureDetailSchema, ProcedureListSchema, ProcedureSchema } from '../schemas/procedure.js'
import { ThresholdListSchema, ThresholdSchema } from '../schemas/threshold.js'
import { BatchRequestSchema, BatchResponseSchema } from '../schemas/batch.js'
import { MilestoneSchema, PlanOptionsSchema, PlanRequestSchema, PlanSchema } from '../schemas/plan.js'
import { OcdsFieldsSchema } from '../schemas/ocds.js'
import problems from './plugins/problems.js'
import edge, { clientErrorHandler, frameworkErrors } from './plugins/edge.js'
import docs from './plugins/swagger.js'
import cataloguePlugin from './plugins/catalogue.js'
import security from './plugins/security.js'
import loadShedding from './plugins/load-shedding.js'
import drain from './plugins/drain.js'
import metrics from './plugins/metrics.js'
import rateLimitStore from './plugins/rate-limit-store.js'
import slowReaders from './plugins/slow-readers.js'
import lingeringClose from './plugins/lingering-close.js'
import healthRoutes from './routes/health.js'
import api from './routes/api.js'

export interface BuildOptions {
  /** The clock; tests fix it. */
  now?: () => Date
  /** A catalogue already loaded; default: load the data files. */
  catalogue?: Catalogue
  /** The folder of the catalogue data files (tests); default: beside the loader. */
  catalogueDir?: string
  /** Pino destination override (tests capture log lines). */
  logStream?: NodeJS.WritableStream
  /** The decision store: one already open, null for none, or (default) opened from the configuration. */
  store?: DecisionStore | null
}

/** Every schema with an $id: added once, named after its $id in the OpenAPI document. */
export const SHARED_SCHEMAS = [
  RaciMatrixSchema,
  ReasonSchema,
  ToConfirmSchema,
  DirectAwardGroundSchema,
  AssumedInputSchema,
  QuestionSchema,
  LegalRouteRefSchema,
  PsrProcessSchema,
  OcdsFieldsSchema,
  RecommendationSchema,
  NotRecommendedSchema,
  WarningSchema,
  AlternativeReadingSchema,
  RuleNoteSchema,
  AgreementSetUpSchema,
  ConcessionSchema,
  LegalRouteSchema,
  ProcurementProfileSchema,
  RecommendationReportSchema,
  ProblemSchema,
  ProcedureSchema,
  ProcedureListSchema,
  ProcedureDetailSchema,
  ThresholdSchema,
  ThresholdListSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  DecisionRequestSchema,
  ReceiptSchema,
  EntryFaultSchema,
  DecisionRecordSchema,
  DecisionSummarySchema,
  DecisionListSchema,
  ChainVerificationSchema,
  PlanOptionsSchema,
  PlanRequestSchema,
  MilestoneSchema,
  PlanSchema
]

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date())
  const edgeOptions = {
    problemTypeBase: config.PROBLEM_TYPE_BASE,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxUrlLength: config.MAX_URL_LENGTH
  }
  // The handlers below run only after Fastify() has returned, when `built.app` is set.
  const built: { app?: FastifyInstance } = {}
  // Schemas compile on first use, and in the background once the server listens (lazy-compilers.ts).
  const compileQueue = new CompileQueue()
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
      // The request line is logged as edge.ts builds it (URL redacted, client address kept);
      // Fastify's default serializer expects a request object and would drop remoteAddress.
      serializers: {
        req: (req: { method?: string; url?: string; remoteAddress?: string }) => ({
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress
        })
      }
    },
    // The service makes every request id itself (see plugins/problems.ts for the caller's own).
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // The client address behind TRUST_PROXY proxies (X-Forwarded-For), for limits and logs.
    trustProxy: trustProxy(config),
    // One log line per request (written by the edge plugin) rather than two.
    logController: new LogController({ disableRequestLogging: true }),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A slow client cannot hold the server: the whole request must arrive in time, idle
    // sockets are closed. The idle timeout is also the write timeout: a socket whose client
    // stops reading is destroyed, releasing the answer it holds, after one to two
    // connectionTimeouts (Node re-arms the timer once if the write progressed since it began;
    // test/slow-readers.e2e.test.ts). A client that keeps reading, however slowly, is not cut.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // Node checks request and header deadlines on this interval (default 30 s).
    http: { connectionsCheckingInterval: 500, headersTimeout: config.REQUEST_TIMEOUT_MS },
    // At shutdown, requests already accepted on open connections are still served.
    return503OnClosing: false,
    // Errors before a request exists, and before routing, are problems too (plugins/edge.ts).
    clientErrorHandler: clientErrorHandler(edgeOptions, () => (built.app as FastifyInstance).log),
    frameworkErrors: frameworkErrors(() => built.app as FastifyInstance),
    // At close, idle keep-alive connections are closed at once (on SIGTERM only after the
    // drain: plugins/drain.ts).
    forceCloseConnections: 'idle',
    // Response serializers are compiled on first use (lazy-compilers.ts).
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory(compileQueue) } }
  })
  built.app = app

  // One Ajv for every request schema: unknown fields rejected, no coercion, all errors listed; the
  // query string's own, which reads its text as the integers and booleans its schema declares.
  // Query schemas are flat (no $ref), so it holds none of the shared ones: adding them costs
  // start-up time that the first requests would feel.
  const ajv = createAjv(SHARED_SCHEMAS)
  const queryAjv = createAjv([], { coerce: true })
  app.setValidatorCompiler(({ schema, httpPart }) =>
    lazyValidator(compileQueue, () => compileGuarded(httpPart === 'querystring' ? queryAjv : ajv, schema))
  )
  // Listening (not under inject): what no request has needed yet compiles in the background.
  app.addHook('onListen', (done) => {
    const started = performance.now()
    compileQueue.warmUp().then(
      (count) => app.log.debug({ count, ms: Math.round(performance.now() - started) }, 'schemas compiled in the background'),
      (err: unknown) => app.log.error({ err }, 'compiling the schemas in the background failed')
    )
    done()
  })
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)

  const apiKeys = loadApiKeys(config)
  await app.register(problems, { problemTypeBase: config.PROBLEM_TYPE_BASE })
  // Before every other hook: the HTTP metrics time and count every request, shed ones too.
  await app.register(metrics, {
    port: config.METRICS_PORT,
    host: config.HOST,
    token: config.METRICS_TOKEN,
    authFailureMax: config.AUTH_FAILURE_LIMIT,
    windowMs: config.RATE_LIMIT_WINDOW_MS
  })
  // server.ts starts the drain on SIGTERM; until then it does nothing.
  await app.register(drain, { drainMs: config.SHUTDOWN_DRAIN_MS, quietMaxMs: Math.min(1000, config.SHUTDOWN_GRACE_MS / 2) })
  // Before load shedding: a pipelined request is checked when it is handled, not when it queued.
  await app.register(slowReaders, { maxConnections: config.MAX_CONNECTIONS })
  await app.register(lingeringClose, { maxBytes: config.LINGER_MAX_BYTES, maxMs: config.REQUEST_TIMEOUT_MS })
  await app.register(loadShedding, {
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES,
    maxRssBytes: config.MAX_RSS_BYTES,
    sampleIntervalMs: config.LOAD_SAMPLE_INTERVAL_MS,
    retryAfterSeconds: config.SHED_RETRY_AFTER_S
  })
  await app.register(docs, { problemTypeBase: config.PROBLEM_TYPE_BASE })
  await app.register(rateLimitStore, {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    timeoutMs: config.REDIS_TIMEOUT_MS
  })
  await app.register(security, { corsOrigins: corsOrigins(config) })
  // After the security headers' hook, so a 414 from its hook carries them too.
  await app.register(edge, edgeOptions)
  await app.register(cataloguePlugin, {
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
    ...(options.catalogueDir ? { dir: options.catalogueDir } : {})
  })
  await app.register(storePlugin, {
    ...(options.store !== undefined ? { store: options.store } : {}),
    databaseUrl: config.DATABASE_URL,
    databaseTimeoutMs: config.DATABASE_TIMEOUT_MS,
    dataDir: config.DATA_DIR,
    open: apiKeys.length === 0,
    chainKeys: () => loadChainKeys(config),
    quota: config.DECISION_QUOTA
  })
  await app.register(healthRoutes, { retryAfterSeconds: config.SHED_RETRY_AFTER_S })
  const validateProfile = compileGuarded(ajv, { $ref: 'ProcurementProfile' })
  // /v1 and /mcp: one encapsulated plugin whose hooks check the key and the limits (routes/api.ts).
  await app.register(api, {
    access: {
      apiKeys,
      rateLimitMax: config.RATE_LIMIT_MAX,
      rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS,
      authFailureMax: config.AUTH_FAILURE_LIMIT
    },
    v1: {
      recommendations: { now, validateProfile, batchBodyLimit: config.BATCH_BODY_LIMIT_BYTES },
      decisions: { now, retryAfterSeconds: config.SHED_RETRY_AFTER_S },
      plans: { now }
    },
    mcp: { write: config.MCP_WRITE }
  })
  return app
}
