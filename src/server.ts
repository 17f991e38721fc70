// Entry point: loadConfig -> buildApp -> listen; graceful shutdown. Nothing else.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { CatalogueError } from './catalogue/load.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing')
        process.exit(1)
      }
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
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
