// The service: loadConfig -> buildApp -> listen; graceful shutdown. Nothing else. Run through server.ts.
import closeWithGrace from 'close-with-grace'
import { pino } from 'pino'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  // SIGTERM comes from an orchestrator that still routes requests here for a moment: drain
  // first (plugins/drain.ts), then close. SIGINT is a developer's Ctrl-C, and an error leaves
  // nothing worth draining for: close at once. Closing stops accepting and lets in-flight
  // requests finish; exit 0. Past drain + grace, exit 1.
  closeWithGrace({ delay: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'shutting down')
    if (signal === 'SIGTERM') await app.drain()
    await app.close()
  })
  await app.listen({ port: config.PORT, host: config.HOST })
}

// Refusals whose message says it all (a value to fix, a process to stop): logged without a stack.
const REFUSALS = new Set(['ConfigError', 'CatalogueError', 'CalendarDataError', 'StoreLockedError'])

// Whatever stops the start (the configuration, the catalogue, the store, the port), one line in
// the service's log format (pino's, level 60), so a log pipeline reads it as one event rather than
// a stack trace split into lines of text. Written synchronously, before the exit.
main().catch((err: unknown) => {
  const error = err instanceof Error ? err : new Error(String(err))
  const logged = REFUSALS.has(error.name) ? { type: error.name, message: error.message } : pino.stdSerializers.err(error)
  pino({ serializers: { err: (value: unknown) => value } }).fatal({ err: logged }, 'failed to start')
  process.exit(1)
})
