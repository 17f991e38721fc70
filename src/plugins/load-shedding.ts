// Load shedding: when event-loop delay or memory passes its bound, answer 503 with Retry-After
// at once instead of queueing without end. Liveness is never shed; readiness reports 503.
import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import { OverloadedError } from '../errors.js'

export interface LoadSheddingOptions {
  maxEventLoopDelayMs: number
  maxHeapUsedBytes: number
  maxRssBytes: number
  sampleIntervalMs: number
  retryAfterSeconds: number
}

export default fp<LoadSheddingOptions>(
  async function loadShedding(app: FastifyInstance, opts: LoadSheddingOptions) {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      maxHeapUsedBytes: opts.maxHeapUsedBytes,
      maxRssBytes: opts.maxRssBytes,
      sampleInterval: opts.sampleIntervalMs,
      retryAfter: opts.retryAfterSeconds,
      customError: OverloadedError
    })
  },
  { name: 'load-shedding', dependencies: ['problems'] }
)
