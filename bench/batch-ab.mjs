#!/usr/bin/env node
// A/B of POST /v1/recommendations/batch between two builds: a development tool, not part of
// `npm run bench`. For each round and each build, in alternation (A B A B ...), starts the built
// server with the bench's production settings, sends the bench's batch body (bench/profiles.mjs
// makeProfiles(100)) one request at a time on a keep-alive socket (10 warm-up, then
// BATCH_AB_REQUESTS), then loads it with autocannon on 4 connections for BATCH_AB_SECONDS, and
// reports per build the median over rounds of: the median and p90 latency of the sequential
// requests, the server's CPU time per batch (from /proc, user + system), its RSS peak, the
// batches per second on 4 connections, and how long a GET /health/live sent 1 ms after a batch
// waits (an event loop frozen by a batch shows there). The bodies of both builds are compared
// byte for byte once.
//
//   npm run build && node bench/batch-ab.mjs /work/main/dist dist
//   BATCH_AB_ROUNDS=6 BATCH_AB_REQUESTS=100 BATCH_AB_SECONDS=5 node bench/batch-ab.mjs A/dist B/dist
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { HOST, freePort, rssBytes, serverEnv } from './lib.mjs'
import { makeProfiles } from './profiles.mjs'

// A build is a dist folder, optionally with environment variables for its server: dist#NAME=value,NAME=value.
const builds = process.argv.slice(2)
const distOf = (build) => resolve(build.split('#')[0])
const envOf = (build) =>
  Object.fromEntries(
    (build.split('#')[1] ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('='))
  )
if (builds.length < 1) throw new Error('usage: node bench/batch-ab.mjs <dist A> [<dist B> ...]')
const rounds = Number(process.env.BATCH_AB_ROUNDS ?? 4)
const requests = Number(process.env.BATCH_AB_REQUESTS ?? 100)
const seconds = Number(process.env.BATCH_AB_SECONDS ?? 5)
const size = Number(process.env.BATCH_AB_SIZE ?? 100)
const nodeBin = process.env.BATCH_AB_NODE ?? process.execPath
// A folder: each server runs under the V8 profiler and writes its profile there.
const profDir = process.env.BATCH_AB_CPU_PROF
const body = JSON.stringify({ profiles: makeProfiles(size) })

const apiKey = randomBytes(24).toString('base64url')
const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }

function ticks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12])
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}

function request(agent, url, { method = 'POST', body: b, keepBody = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => keepBody && chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          ms: performance.now() - started,
          headers: res.headers,
          body: keepBody ? Buffer.concat(chunks) : null
        })
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(b)
  })
}

async function start(build) {
  const dist = distOf(build)
  const port = await freePort()
  const child = spawn(nodeBin, [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), resolve(dist, 'src', 'server.js')], {
    cwd: resolve(dist, '..'),
    env: { PATH: process.env.PATH ?? '', ...serverEnv(apiKey), LOG_LEVEL: 'warn', PORT: String(port), ...envOf(build) },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const base = `http://${HOST}:${port}`
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false
    )
    if (ok) break
    if (i > 600) throw new Error(`${dist}: the server did not become ready`)
    await sleep(50)
  }
  return { child, base }
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(profDir ? 'SIGINT' : 'SIGKILL') // SIGINT: the profile is written at exit
  await exited
}

function cannon(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method: 'POST', headers, body, connections: 4, duration: seconds }, (err, r) => (err ? reject(err) : resolve(r)))
  })
}

const results = new Map(builds.map((b) => [b, []]))
const bodies = new Map()
process.on('exit', () => {})
for (let round = 0; round < rounds; round++) {
  for (const dist of round % 2 ? [...builds].reverse() : builds) {
    const { child, base } = await start(dist)
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      const url = `${base}/v1/recommendations/batch`
      for (let i = 0; i < 10; i++) {
        const r = await request(agent, url, { body, keepBody: i === 0 && !bodies.has(dist) })
        if (r.status !== 200) throw new Error(`${dist}: ${r.status}`)
        if (r.body) {
          bodies.set(dist, {
            body: r.body,
            type: r.headers['content-type'],
            length: r.headers['content-length'],
            te: r.headers['transfer-encoding']
          })
        }
      }
      let rssPeak = 0
      const t0 = ticks(child.pid)
      const latencies = []
      for (let i = 0; i < requests; i++) {
        const r = await request(agent, url, { body })
        if (r.status !== 200) throw new Error(`${dist}: ${r.status}`)
        latencies.push(r.ms)
        if (i % 10 === 0) rssPeak = Math.max(rssPeak, rssBytes(child.pid) ?? 0)
      }
      const cpuMsPerBatch = ((ticks(child.pid) - t0) * 10) / requests
      // /health/live sent 1 ms after each of 10 batches, on its own socket.
      const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      const healthWaits = []
      for (let i = 0; i < 10; i++) {
        const sent = request(agent, url, { body })
        await sleep(1)
        const h = await request(healthAgent, `${base}/health/live`, { method: 'GET' })
        healthWaits.push(h.ms)
        await sent
      }
      agent.destroy()
      healthAgent.destroy()
      const c = await cannon(url)
      if (c.non2xx || c.errors) throw new Error(`${dist}: autocannon non2xx ${c.non2xx} errors ${c.errors}`)
      const r = {
        p50: median(latencies),
        p90: pct(latencies, 90),
        cpuMsPerBatch,
        rssMB: rssPeak / 1048576,
        healthMaxMs: Math.max(...healthWaits),
        healthMedMs: median(healthWaits),
        bps4: c.requests.total / c.duration
      }
      results.get(dist).push(r)
      console.log(
        `round ${round} ${dist}: p50 ${r.p50.toFixed(2)} ms, p90 ${r.p90.toFixed(2)}, CPU ${r.cpuMsPerBatch.toFixed(2)} ms/batch, ` +
          `RSS ${r.rssMB.toFixed(0)} MB, health med ${r.healthMedMs.toFixed(2)} max ${r.healthMaxMs.toFixed(2)} ms, 4 conn ${r.bps4.toFixed(1)} batches/s`
      )
    } finally {
      await stop(child)
    }
  }
}

// Every report of a batch carries the time it was generated at: compared without it.
const normal = (buf) => buf.toString('utf8').replace(/"generatedAt":"[^"]*"/g, '"generatedAt":""')
const [first, ...others] = builds
const ref = bodies.get(first)
for (const dist of others) {
  const b = bodies.get(dist)
  console.log(
    `${dist}: body ${normal(b.body) === normal(ref.body) ? 'identical' : 'DIFFERENT'} (${b.body.length} bytes); content-type ${b.type}; ` +
      `content-length ${b.length ?? '-'}; transfer-encoding ${b.te ?? '-'} (first: ${ref.length ?? '-'} / ${ref.te ?? '-'})`
  )
}
const fmt = (xs) => `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}]`
for (const [dist, rs] of results) {
  console.log(
    `${dist}: median over ${rs.length} rounds [min-max]: p50 ${fmt(rs.map((r) => r.p50))} ms; p90 ${fmt(rs.map((r) => r.p90))} ms; ` +
      `CPU ${fmt(rs.map((r) => r.cpuMsPerBatch))} ms/batch; RSS ${fmt(rs.map((r) => r.rssMB))} MB; ` +
      `health max ${fmt(rs.map((r) => r.healthMaxMs))} ms; 4 conn ${fmt(rs.map((r) => r.bps4))} batches/s`
  )
}
