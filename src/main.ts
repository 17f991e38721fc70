// The service: loadConfig -> buildApp -> listen; graceful shutdown. Nothing else. Run through server.ts.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { CatalogueError } from './catalogue/load.js'

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

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CatalogueError) {
    process.stderr.write(`${err.message}\n`)
  } else {
    process.stderr.write(`Failed to start: ${(err as Error).stack ?? String(err)}\n`)
  }
  process.exit(1)
})
