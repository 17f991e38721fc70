// Phase 3, HTTP: POST /v1/recommendations against the same Fastify sending the very report bytes
// (bench/hello.mjs POST /payload: the headline baseline) and a bare hello-world, in alternating
// rounds (A B A B ...) so drift hits all of them. Every recommendation request carries a profile
// no earlier request carried (bench/distinct.mjs); the payload baseline receives the same bodies.
// `prepareHttp` starts the baseline and checks every endpoint answers 200 (the bench never
// measures an error path); `runHttp` loads them.
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { HOST, freePort } from '../lib.mjs'
import { checkErrors, die, spawnChild, waitFor } from '../children.mjs'
import { cpuSnapshot, foreignCpuPercent, percentile, round } from '../measure.mjs'
import { distinctBodies } from '../distinct.mjs'
import { makeProfiles } from '../profiles.mjs'
import { cannon, request } from '../requests.mjs'
import { int } from '../report.mjs'

/**
 * Starts the hello-world (with the payload file), runs the preflight, and resolves with what the
 * HTTP, batch and worst-body phases send: `base` (the server's URL), `headers`, `recBody`,
 * `batchBody`, `recBytes` (the size of a report), `payloadFile` (to remove at the end) and `targets`.
 */
export async function prepareHttp({ settings, helloScript, serverPort, apiKey, recommender, profileExample, node = process.execPath }) {
  const helloPort = await freePort()
  // The same report the service sends for the example profile, for the payload baseline.
  const payloadFile = join(os.tmpdir(), `bench-payload-${process.pid}.json`)
  writeFileSync(payloadFile, JSON.stringify(recommender.recommend(profileExample, new Date()).report))
  const hello = spawnChild(
    'hello-world',
    helloScript,
    { NODE_ENV: 'production', PORT: String(helloPort), PAYLOAD_FILE: payloadFile },
    { node }
  )
  await waitFor(`http://${HOST}:${helloPort}/`, hello, 15_000).catch((err) => die(`hello-world: ${err.message}`))

  const base = `http://${HOST}:${serverPort}`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }
  const recBody = JSON.stringify(profileExample)
  const batchBody = JSON.stringify({ profiles: makeProfiles(settings.batchSize) })
  const timeoutS = settings.requestTimeoutS

  // Preflight: the bench must measure the success path, never an error path.
  {
    const res = await request(`${base}/v1/recommendations`, { method: 'POST', headers, body: recBody, keepBody: true, timeoutS })
    if (res.status !== 200) await die(`preflight POST /v1/recommendations answered ${res.status}: ${res.body.slice(0, 500)}`)
    const report = JSON.parse(res.body)
    if (!Array.isArray(report.recommendations) || report.recommendations.length === 0) {
      await die('preflight: the report has no recommendations')
    }
    const batch = await request(`${base}/v1/recommendations/batch`, { method: 'POST', headers, body: batchBody, keepBody: true, timeoutS })
    if (batch.status !== 200) await die(`preflight POST /v1/recommendations/batch answered ${batch.status}: ${batch.body.slice(0, 500)}`)
    const bad = JSON.parse(batch.body).results.filter((r) => r.status !== 200)
    if (bad.length > 0) await die(`preflight: ${bad.length} batch profiles were not evaluated: ${JSON.stringify(bad[0]).slice(0, 500)}`)
  }
  const recBytes = (await request(`${base}/v1/recommendations`, { method: 'POST', headers, body: recBody, timeoutS })).bytes

  // A new profile in every request, to the service and to the payload baseline alike.
  const next = distinctBodies(profileExample)
  const distinct = [{ setupRequest: (req) => ({ ...req, body: next() }) }]
  const targets = {
    recommendation: { url: `${base}/v1/recommendations`, method: 'POST', headers, body: recBody, requests: distinct },
    payload: {
      url: `http://${HOST}:${helloPort}/payload`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: recBody,
      requests: distinct
    },
    hello: { url: `http://${HOST}:${helloPort}/`, method: 'GET' }
  }
  return { base, headers, recBody, batchBody, recBytes, payloadFile, targets, hello }
}

/** Resolves with the `http` object of the results JSON. */
export async function runHttp({ autocannon, settings, targets, recBytes, label = '' }) {
  const load = { connections: settings.connections, timeoutS: settings.requestTimeoutS }
  console.log(
    `bench: HTTP${label}: ${settings.rounds} rounds x ${settings.roundSeconds} s per target, ${settings.connections} connections, alternating recommendation (a distinct profile each request) / same-payload baseline / hello-world (after ${settings.warmupSeconds} s warm-up each)`
  )
  for (const [name, target] of Object.entries(targets)) {
    await cannon(autocannon, `warm-up ${name}`, target, { ...load, seconds: settings.warmupSeconds })
  }
  await checkErrors('warm-up')

  const ok2xx = { recommendation: 0, hello: 0, payload: 0 }
  const seconds = { recommendation: 0, hello: 0, payload: 0 }
  // Every response's latency, so the percentiles are over all rounds together.
  const latencies = { recommendation: [], hello: [], payload: [] }
  const rounds = []
  for (let r = 1; r <= settings.rounds; r++) {
    const row = { round: r }
    for (const [name, target] of Object.entries(targets)) {
      const cpu0 = cpuSnapshot()
      const { result, statuses } = await cannon(autocannon, name, target, {
        ...load,
        seconds: settings.roundSeconds,
        latencies: latencies[name]
      })
      const foreign = foreignCpuPercent(cpu0, cpuSnapshot())
      await checkErrors(`round ${r} ${name}`)
      const ok = Object.entries(statuses).reduce((n, [s, c]) => (s >= 200 && s < 300 ? n + c : n), 0)
      ok2xx[name] += ok
      seconds[name] += result.duration
      row[name] = {
        reqPerSecond: round(ok / result.duration, 0),
        p50: result.latency.p50,
        p99: result.latency.p99,
        responses: ok,
        seconds: result.duration,
        otherProcessesCpuPercent: foreign
      }
    }
    row.ratio = round(row.recommendation.reqPerSecond / row.hello.reqPerSecond, 3)
    row.ratioToPayload = round(row.recommendation.reqPerSecond / row.payload.reqPerSecond, 3)
    rounds.push(row)
    console.log(
      `bench:   round ${r}: recommendation ${int(row.recommendation.reqPerSecond)} req/s, same payload ${int(row.payload.reqPerSecond)} req/s, ratio ${row.ratioToPayload};` +
        ` hello-world ${int(row.hello.reqPerSecond)} req/s` +
        ` (other processes' CPU: ${row.recommendation.otherProcessesCpuPercent ?? 'n/a'}% / ${row.payload.otherProcessesCpuPercent ?? 'n/a'}% / ${row.hello.otherProcessesCpuPercent ?? 'n/a'}%)`
    )
  }

  const summarise = (name) => {
    const sorted = Float64Array.from(latencies[name]).sort()
    return {
      reqPerSecond: round(ok2xx[name] / seconds[name], 0),
      responses: ok2xx[name],
      seconds: round(seconds[name], 2),
      latencyMs: {
        p50: round(percentile(sorted, 50), 3),
        p90: round(percentile(sorted, 90), 3),
        p99: round(percentile(sorted, 99), 3),
        max: round(sorted.at(-1), 3)
      }
    }
  }
  const http = { recommendation: summarise('recommendation'), hello: summarise('hello'), payload: summarise('payload') }
  http.ratio = round(http.recommendation.reqPerSecond / http.hello.reqPerSecond, 3)
  // Against bare Fastify sending the same bytes: what the service itself costs beyond the payload.
  http.ratioToPayload = round(http.recommendation.reqPerSecond / http.payload.reqPerSecond, 3)
  http.ratioPerRound = { min: Math.min(...rounds.map((r) => r.ratio)), max: Math.max(...rounds.map((r) => r.ratio)) }
  http.ratioToPayloadPerRound = {
    min: Math.min(...rounds.map((r) => r.ratioToPayload)),
    max: Math.max(...rounds.map((r) => r.ratioToPayload))
  }
  return { ...http, distinctProfileEveryRequest: true, recommendationResponseBytes: recBytes, rounds }
}
