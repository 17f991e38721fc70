// Decorates the app with the decision store, opened at start (migrations run then, so a broken
// database stops the start, not the first request) and closed with the app. With DATABASE_URL
// the store is PostgreSQL, shared by replicas; otherwise the embedded SQLite file under DATA_DIR.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openDecisionStore, type DecisionStore } from '../store/records.js'
import { ChainSigner, localChainKey, type ChainKey } from '../store/signing.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Null only when the app was built without one (the OpenAPI export, most tests). */
    decisionStore: DecisionStore | null
  }
}

export interface StoreOptions {
  /** A store already open, null for none, or undefined to open one from the configuration. */
  store?: DecisionStore | null
  databaseUrl: string
  /** The deadline of every PostgreSQL operation (DATABASE_TIMEOUT_MS). */
  databaseTimeoutMs: number
  dataDir: string
  open: boolean
  /** The configured chain keys (read only when the store is opened here); none: the embedded store's own key. */
  chainKeys: () => ChainKey[]
  /** Entries one client's chain may hold. */
  quota: number
}

export default fp<StoreOptions>(
  async function store(app: FastifyInstance, opts: StoreOptions) {
    let store = opts.store
    if (store === undefined) {
      // Only the configured engine's driver is loaded (node-postgres or the SQLite WebAssembly
      // build): each costs tens of milliseconds of start-up.
      const configured = opts.chainKeys()
      const sql =
        opts.databaseUrl !== ''
          ? (await import('../store/postgres.js')).openPostgres(opts.databaseUrl, { timeoutMs: opts.databaseTimeoutMs })
          : (await import('../store/sqlite.js')).openSqlite(opts.dataDir)
      // Without configured keys (the embedded store only: config.ts refuses PostgreSQL without
      // them) the key lives beside the database file, made on first start.
      const signer = new ChainSigner(configured.length > 0 ? configured : [localChainKey(opts.dataDir)])
      store = await openDecisionStore(sql, { signer, quota: opts.quota })
      app.log.info(
        { engine: store.engine, keyId: signer.keyId, ...(opts.databaseUrl === '' ? { dataDir: opts.dataDir } : {}) },
        'decision store ready'
      )
      if (store.engine === 'sqlite') {
        app.log.warn('Decision records are kept in the embedded store under DATA_DIR: one process only; set DATABASE_URL for replicas')
      }
      const opened = store
      app.addHook('onClose', async () => opened.close())
    }
    if (store && opts.open) {
      app.log.warn('No API keys are configured: every decision record belongs to one anonymous client, which anyone can read')
    }
    app.decorate('decisionStore', store)
  },
  { name: 'decision-store' }
)
