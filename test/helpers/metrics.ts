// Reading the Prometheus exposition text, and a free loopback port for a second listener.
import { createServer } from 'node:net'

/** The samples of an exposition text: `name{labels}` (labels as written) -> value. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line)
    if (!match) throw new Error(`not a sample line: ${line}`)
    samples.set(match[1] as string, Number(match[2]))
  }
  return samples
}

/** The service's own samples (pra_*) that counting fixes, for exact comparisons: no buckets, no sums of times. */
export function ownSamples(samples: Map<string, number>, prefix = 'pra_'): Record<string, number> {
  return Object.fromEntries([...samples].filter(([name]) => name.startsWith(prefix) && !/_(bucket|sum)(\{|$)/.test(name)))
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
