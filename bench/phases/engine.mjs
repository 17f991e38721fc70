// Phase 1, engine: the pure engine in this process, before any server runs (one core, nothing
// else busy), with tinybench over a varied set of profiles (bench/profiles.mjs). One tinybench
// iteration evaluates the whole set, so the numbers are an average over the mix.
import { die } from '../children.mjs'
import { cpuSnapshot, foreignCpuPercent, round } from '../measure.mjs'
import { makeProfiles } from '../profiles.mjs'

/** The clock every evaluation uses: the same thresholds are in force on every run. */
const NOW = new Date('2026-11-25T10:00:00.000Z')

/** Resolves with the `engine` object of the results JSON. */
export async function runEngine({ Bench, recommender, settings }) {
  const profiles = makeProfiles(settings.engineProfiles)
  for (const [i, profile] of profiles.entries()) {
    const result = recommender.recommend(profile, NOW)
    if (!result.ok) await die(`engine: generated profile ${i} cannot be evaluated: ${JSON.stringify(result.error)}`)
  }
  console.log(`bench: engine: ${profiles.length} profiles, ${settings.engineTimeMs / 1000} s (tinybench)`)
  // Consumed below (checksum), so the evaluations cannot be optimised away.
  let sink = 0
  const bench = new Bench({ name: 'engine', time: settings.engineTimeMs, warmupTime: 500, throws: true })
  bench.add(`recommend() x ${profiles.length} profiles`, () => {
    for (const profile of profiles) {
      const result = recommender.recommend(profile, NOW)
      sink += result.ok ? result.report.recommendations.length : 0
    }
  })
  const cpu0 = cpuSnapshot()
  await bench.run()
  const foreignCpu = foreignCpuPercent(cpu0, cpuSnapshot())
  const taskResult = bench.tasks[0].result
  if (!taskResult || taskResult.error) await die(`engine: ${taskResult?.error?.stack ?? 'no result'}`)
  const msPerIteration = taskResult.latency.mean
  return {
    profiles: profiles.length,
    iterations: taskResult.latency.samples?.length ?? null,
    evaluationsPerSecond: round((profiles.length * 1000) / msPerIteration, 0),
    meanMicrosecondsPerEvaluation: round((msPerIteration * 1000) / profiles.length, 3),
    p99MicrosecondsPerEvaluation: round((taskResult.latency.p99 * 1000) / profiles.length, 3),
    rmePercent: round(taskResult.latency.rme, 2),
    otherProcessesCpuPercent: foreignCpu,
    checksum: sink > 0
  }
}
