// Builds the real app (the same buildApp the server uses) with a fixed clock and no logs.
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../../src/app.js'
import { defaultConfig, type Config } from '../../src/config.js'

export const NOW = new Date('2026-11-25T10:00:00.000Z')

export async function testApp(config: Partial<Config> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Load shedding is off unless a test turns it on: a busy test machine must not shed, and a
  // test process holding many apps must not shed on its memory.
  const app = await buildApp(defaultConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: 0, MAX_RSS_BYTES: 0, ...config }), {
    now: () => NOW,
    // No decision store unless the test brings one (test/decisions.test.ts): most tests never write.
    store: null,
    ...options
  })
  await app.ready()
  return app
}

export const PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'
