// The only reader of process.env. Every variable is validated at start; a bad value stops the
// process with a message that names the variable.
import Type from 'typebox'
import envSchema from 'env-schema'

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
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

/** Reads and validates the environment. Throws ConfigError naming the variable at fault. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return envSchema<Config>({ schema: ConfigSchema, data: env, env: false, dotenv: false })
  } catch (err) {
    const message = (err as Error).message.replace(/env\/?/g, '')
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
}

/** A complete configuration with every default, for tests and the OpenAPI export. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides }
}
