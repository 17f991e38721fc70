// Builds the real app (the same buildApp the server uses) with a fixed clock and no logs.
import { setTimeout as sleep } from 'node:timers/promises'
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

/**
 * Resolves once the app's load sampler has found a bound passed, for a test that sets a bound
 * every sample passes (MAX_HEAP_USED_BYTES: 1): however late a busy machine takes the first
 * sample, the test then sees the service shedding, never a race with a fixed sleep. A service
 * that never sheds fails on tap's timeout.
 */
export async function untilShedding(app: FastifyInstance): Promise<void> {
  while (!app.isUnderPressure()) await sleep(5)
}

export const PROBLEM_BASE = 'https://procurement-route-advisor.example/problems/'
