// The only reader of process.env. Every variable is validated at start; a bad value stops the
// process with a message that names the variable.
import Type from 'typebox'
import envSchema from 'env-schema'
import { readFileSync } from 'node:fs'
import { ChainKeyError, parseChainKeys, type ChainKey } from './store/signing.js'

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  API_KEYS: Type.String({
    default: '',
    description: 'Comma-separated client:sha256:<hex> entries (the SHA-256 of each key). Empty: the API is open.'
  }),
  API_KEYS_FILE: Type.String({
    default: '',
    description: 'Path to a file with one client:sha256:<hex> entry per line (# comments allowed).'
  }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600, description: 'Requests per client per window.' }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60000 }),
  AUTH_FAILURE_LIMIT: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'Failed API key checks allowed per address per rate-limit window (429 after).'
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 10485760,
    default: 65536,
    description: 'Largest body of a single-profile request.'
  }),
  BATCH_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 52428800,
    // 100 of the largest valid profiles, written with 2-space indentation and every non-ASCII
    // character escaped, is 866,222 bytes (test/request-limits.e2e.test.ts measures it): 846 KiB.
    default: 866304,
    description: 'Largest body of a batch request (default: 100 of the largest valid profiles).'
  }),
  // Some 10 batch bodies: a client sending even a large body over the limit reads its 413.
  LINGER_MAX_BYTES: Type.Integer({
    minimum: 0,
    maximum: 1073741824,
    default: 8388608,
    description:
      'After an answer sent before the request body was all in (413), how much more of the body is read and ' +
      'discarded before the connection closes, so the client can read the answer; 0: close at once.'
  }),
  TRUST_PROXY: Type.String({
    default: '',
    description:
      'The reverse proxies in front of the service, whose X-Forwarded-For is believed: a hop count (1 for ' +
      'one load balancer) or comma-separated addresses or CIDR ranges. Empty: none (the socket address is ' +
      'the client).'
  }),
  MAX_URL_LENGTH: Type.Integer({
    minimum: 256,
    maximum: 16384,
    default: 8192,
    description: 'Longest request target (path and query) accepted; 414 above.'
  }),
  CORS_ORIGINS: Type.String({ default: '', description: 'Comma-separated origins allowed by CORS; empty: CORS off.' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 10000, description: 'Longest a request may take to arrive in full.' }),
  CONNECTION_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 15000, description: 'Idle socket timeout.' }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    default: 10000,
    description: 'Idle keep-alive connections are closed after this; keep it below CONNECTION_TIMEOUT_MS.'
  }),
  // A replica's two cores are busy at about 50 connections (docs/benchmarks.md); an idle
  // keep-alive connection costs about 8 KB, so 1024 is a cheap backstop on sockets and file
  // descriptors. It does not bound memory on its own (1024 unread 4.9 MB answers would be 4.9 GB):
  // MAX_RSS_BYTES does.
  MAX_CONNECTIONS: Type.Integer({
    minimum: 1,
    default: 1024,
    description: 'Most open connections; Node closes a connection over it at once, without an answer.'
  }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0,
    default: 1000,
    description: 'Shed load (503) above this event-loop delay; 0 disables.'
  }),
  MAX_HEAP_USED_BYTES: Type.Integer({ minimum: 0, default: 0, description: 'Shed load above this heap use; 0 disables.' }),
  // Idle the service takes about 120 MB, 185 MB at its peak under the HTTP benchmark and 350-370 MB
  // with 40 clients each leaving a 4.9 MB batch answer unread (test/slow-readers.e2e.test.ts). 512 MiB
  // sheds only above that, and is half of a 1 GiB container: room for what is produced
  // before the next sample (about 40 batch answers a second) and for the kernel's socket
  // buffers, which the container's memory limit counts but RSS does not.
  MAX_RSS_BYTES: Type.Integer({
    minimum: 0,
    default: 536870912,
    description: 'Shed load above this resident set size (default 512 MiB); 0 disables.'
  }),
  LOAD_SAMPLE_INTERVAL_MS: Type.Integer({ minimum: 5, default: 1000, description: 'How often event-loop delay and memory are sampled.' }),
  SHED_RETRY_AFTER_S: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'Retry-After of a 503: a shed response, or readiness while draining.'
  }),
  SHUTDOWN_DRAIN_MS: Type.Integer({
    minimum: 0,
    default: 5000,
    description:
      'After SIGTERM, how long the service keeps serving (readiness 503, Connection: close on every ' +
      'response) before it closes; 0: no drain.'
  }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    default: 10000,
    description: 'How long in-flight requests get to finish once the service closes (after the drain on SIGTERM, at once on SIGINT).'
  }),
  DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    description: 'Folder of the embedded decision store (SQLite), used when DATABASE_URL is not set; one process only.'
  }),
  DATABASE_URL: Type.String({
    default: '',
    pattern: '^(|postgres(ql)?://.+)$',
    description: 'postgres://user:pass@host:5432/db: decision records in PostgreSQL, shared by replicas. Empty: the embedded store.'
  }),
  CHAIN_KEYS: Type.String({
    default: '',
    description:
      'Keys that sign the decision chains: keyId:base64secret entries (a secret of at least 32 bytes), comma-separated; the ' +
      'first signs, all verify (rotation). Required with DATABASE_URL; empty with the embedded store: a key made once in DATA_DIR.'
  }),
  CHAIN_KEYS_FILE: Type.String({
    default: '',
    description: 'A file of CHAIN_KEYS entries, one per line (a mounted secret); read at start, after CHAIN_KEYS.'
  }),
  DECISION_QUOTA: Type.Integer({
    minimum: 1,
    maximum: 2147483647,
    default: 20000,
    description: "Entries (decision records) one client's chain may hold; the next is refused with 403 PRA_ERR_QUOTA_EXCEEDED."
  }),
  // Every store operation (a connection, a query, a whole transaction with its COMMIT) ends
  // within this: a database that hangs costs a request a 503, not its connection (store/postgres.ts).
  DATABASE_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 5000,
    description:
      'Longest an operation on PostgreSQL (a query, or a whole transaction, waiting for a connection included) may take ' +
      'before the request is answered 503; at least 1000 below CONNECTION_TIMEOUT_MS.'
  }),
  REDIS_URL: Type.String({
    default: '',
    pattern: '^(|rediss?://.+)$',
    description:
      'redis://[user:pass@]host:6379[/db] (rediss:// for TLS): the rate-limit counters in Redis, shared by replicas. ' +
      'Empty: counted in each process.'
  }),
  REDIS_KEY_PREFIX: Type.String({
    default: 'pra:',
    pattern: '^[A-Za-z0-9:._-]{0,64}$',
    description: 'Prefix of every Redis key the service writes, so several deployments can share one Redis.'
  }),
  // A rate-limit check is one round trip inside the request: a Redis that does not answer must
  // cost a request no more than this, then the limit fails open or closed (docs/running-at-scale.md).
  REDIS_TIMEOUT_MS: Type.Integer({
    minimum: 10,
    maximum: 10000,
    default: 250,
    description: 'Longest a rate-limit check (or a connection attempt) waits for Redis.'
  }),
  METRICS_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'Serve Prometheus metrics at GET /metrics on this separate port (on HOST); 0: no metrics listener.'
  }),
  METRICS_TOKEN: Type.String({
    default: '',
    pattern: '^(|[\\x21-\\x7e]{16,256})$',
    description:
      'Bearer token (16 to 256 visible ASCII characters) that GET /metrics requires: on the metrics port when ' +
      'METRICS_PORT is set, otherwise on the main port. Empty: no token (and no /metrics on the main port).'
  }),
  // Off by default: an assistant that can read the answers cannot also sign the borough up to one
  // unless the deployer says so (docs/mcp.md).
  MCP_WRITE: Type.Boolean({
    default: false,
    description:
      'true: the MCP endpoint (/mcp) also offers the tool record_decision, which stores a decision record as ' +
      'POST /v1/decisions does. false: its tools only read.'
  }),
  PROBLEM_TYPE_BASE: Type.String({
    pattern: '^https?://.+/$',
    default: 'https://procurement-route-advisor.example/problems/',
    description: 'Base URI of the RFC 9457 problem types; ends with a slash.'
  })
})

export type Config = Type.Static<typeof ConfigSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * How much of the idle-socket time a request's answer needs besides the database: computing and
 * writing it, on an event loop that may run up to a second late before load is shed.
 */
const ANSWER_MARGIN_MS = 1000

/** Reads and validates the environment. Throws ConfigError naming the variable at fault. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  let config: Config
  try {
    config = envSchema<Config>({ schema: ConfigSchema, data: env, env: false, dotenv: false })
  } catch (err) {
    const message = (err as Error).message.replace(/env\/?/g, '')
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
  // The socket closes after CONNECTION_TIMEOUT_MS without traffic, a request the database does not
  // answer included: its 503 must be written before that. (REQUEST_TIMEOUT_MS stops counting once
  // the request has arrived.)
  if (config.DATABASE_URL !== '' && config.DATABASE_TIMEOUT_MS > config.CONNECTION_TIMEOUT_MS - ANSWER_MARGIN_MS) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_TIMEOUT_MS (${config.DATABASE_TIMEOUT_MS}) must be at least ${ANSWER_MARGIN_MS} below ` +
        `CONNECTION_TIMEOUT_MS (${config.CONNECTION_TIMEOUT_MS}), so that a request PostgreSQL does not answer gets its 503 ` +
        'before its connection is closed'
    )
  }
  return config
}

/** TRUST_PROXY as Fastify's trustProxy: false, the nearest N hops, or addresses and ranges. */
export function trustProxy(config: Config): false | string[] | ((address: string, hop: number) => boolean) {
  const value = config.TRUST_PROXY.trim()
  if (value === '') return false
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    return (_address, hop) => hop < hops
  }
  if (/^(true|false|\*)$/i.test(value)) {
    throw new ConfigError(
      'Invalid configuration: TRUST_PROXY must be a hop count or the addresses of the proxies, not "' +
        value +
        '" (trusting every sender would let any client choose its own address)'
    )
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const bad = entries.find((entry) => !/^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i.test(entry))
  if (bad !== undefined) {
    throw new ConfigError(
      `Invalid configuration: TRUST_PROXY entry "${bad}" is not an address, a CIDR range, or loopback / linklocal / uniquelocal`
    )
  }
  return entries
}

/** A complete configuration with every default, for tests and the OpenAPI export. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides }
}

export interface ApiKey {
  client: string
  /** SHA-256 of the key; the key itself is never kept. */
  sha256: Buffer
}

const KEY_ENTRY = /^([A-Za-z0-9._-]{1,64}):sha256:([0-9a-f]{64})$/

function parseKeyEntries(text: string, where: string, separator: RegExp): ApiKey[] {
  const keys: ApiKey[] = []
  const clients = new Set<string>()
  text
    .split(separator)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .forEach((entry, i) => {
      const match = KEY_ENTRY.exec(entry)
      if (!match) throw new ConfigError(`Invalid configuration: ${where} entry ${i + 1} must be client:sha256:<64 hex digits>`)
      const [, client, hex] = match as unknown as [string, string, string]
      if (clients.has(client)) throw new ConfigError(`Invalid configuration: ${where} names client "${client}" twice`)
      clients.add(client)
      keys.push({ client, sha256: Buffer.from(hex, 'hex') })
    })
  return keys
}

/** The API keys from API_KEYS and API_KEYS_FILE; a bad entry names the variable. */
export function loadApiKeys(config: Config): ApiKey[] {
  const keys = parseKeyEntries(config.API_KEYS, 'API_KEYS', /,/)
  if (config.API_KEYS_FILE !== '') {
    let text: string
    try {
      text = readFileSync(config.API_KEYS_FILE, 'utf8')
    } catch (err) {
      throw new ConfigError(`Invalid configuration: API_KEYS_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
    }
    keys.push(...parseKeyEntries(text, 'API_KEYS_FILE', /\r?\n/))
  }
  const seen = new Set<string>()
  for (const key of keys) {
    if (seen.has(key.client)) {
      throw new ConfigError(`Invalid configuration: client "${key.client}" appears in both API_KEYS and API_KEYS_FILE`)
    }
    seen.add(key.client)
  }
  return keys
}

/**
 * The keys that sign decision chains: CHAIN_KEYS, then CHAIN_KEYS_FILE; the first signs. Empty
 * when neither is set (the embedded store then makes its own in DATA_DIR).
 */
export function loadChainKeys(config: Config): ChainKey[] {
  try {
    const keys = parseChainKeys(config.CHAIN_KEYS, 'CHAIN_KEYS')
    if (config.CHAIN_KEYS_FILE !== '') {
      let text: string
      try {
        text = readFileSync(config.CHAIN_KEYS_FILE, 'utf8')
      } catch (err) {
        throw new ConfigError(
          `Invalid configuration: CHAIN_KEYS_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`
        )
      }
      keys.push(...parseChainKeys(text, 'CHAIN_KEYS_FILE'))
    }
    const ids = keys.map((k) => k.id)
    const twice = ids.find((id, i) => ids.indexOf(id) !== i)
    if (twice !== undefined) throw new ChainKeyError(`key "${twice}" appears in both CHAIN_KEYS and CHAIN_KEYS_FILE`)
    if (keys.length === 0 && config.DATABASE_URL !== '') {
      throw new ChainKeyError(
        'DATABASE_URL is set but CHAIN_KEYS (or CHAIN_KEYS_FILE) is not: every replica must sign decision chains with the same ' +
          'secret key, kept out of the database'
      )
    }
    return keys
  } catch (err) {
    if (err instanceof ChainKeyError) throw new ConfigError(`Invalid configuration: ${err.message}`)
    throw err
  }
}

/** Origins allowed by CORS; empty when CORS is off. */
export function corsOrigins(config: Config): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
}
