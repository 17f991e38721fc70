// The OpenAPI document as the app generates it, serialised the way it is committed.
import { buildApp } from './app.js'
import { defaultConfig } from './config.js'

export async function generateOpenApi(): Promise<string> {
  const app = await buildApp(defaultConfig({ LOG_LEVEL: 'silent' }), { store: null })
  await app.ready()
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`
  await app.close()
  return text
}
