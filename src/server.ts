// Entry point: loadConfig -> buildApp -> listen; graceful shutdown. Nothing else.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { CatalogueError } from './catalogue/load.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  // On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit 0; past the grace
  // period, exit 1.
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'shutting down')
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
