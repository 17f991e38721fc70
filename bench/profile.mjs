#!/usr/bin/env node
// Where the CPU of one recommendation goes: a development tool, not part of `npm run bench`.
// Starts the built server with the bench's production settings (under the V8 profiler with
// --cpu-prof), loads POST /v1/recommendations with a distinct profile in every request
// (bench/distinct.mjs), and prints the server's CPU time per request (from /proc, user + system)
// and the self time of the costliest functions and packages in the profile, per request.
//
// CPU time per request is what to compare between two builds on a busy machine: other processes
// lower the throughput a lot, the CPU each request takes much less.
//
//   npm run build && node bench/profile.mjs                 # 10 s, 50 connections, with the profiler
//   PROFILE_SECONDS=20 PROFILE_CPU_PROF=0 node bench/profile.mjs   # CPU per request only
//   PROFILE_NODE=/path/to/node node bench/profile.mjs       # the server under another Node
//   PROFILE_DIST=/tmp/old/dist node bench/profile.mjs       # another build (e.g. of the main branch)
//   PROFILE_PATH='/v1/recommendations?view=compact' node bench/profile.mjs   # the compact view
//   PROFILE_TARGET=payload node bench/profile.mjs           # the headline's baseline (hello.mjs POST /payload)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { HOST, freePort, serverEnv } from './lib.mjs'
import { distinctBodies } from './distinct.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const seconds = Number(process.env.PROFILE_SECONDS ?? 10)
const connections = Number(process.env.PROFILE_CONNECTIONS ?? 50)
const withProfiler = process.env.PROFILE_CPU_PROF !== '0'
const nodeBin = process.env.PROFILE_NODE ?? process.execPath
// PROFILE_TARGET=payload: the same load on the headline's baseline, bare Fastify answering with the
// example's report as bytes it holds (bench/hello.mjs), so both CPU figures come from one method.
const baseline = process.env.PROFILE_TARGET === 'payload'
const path = baseline ? '/payload' : (process.env.PROFILE_PATH ?? '/v1/recommendations')
const DIST = process.env.PROFILE_DIST ?? join(ROOT, 'dist')
const { PROFILE_EXAMPLE } = await import(pathToFileURL(join(DIST, 'schemas', 'profile.js')).href)

const apiKey = randomBytes(24).toString('base64url')
const port = await freePort()
const profDir = mkdtempSync(join(os.tmpdir(), 'pra-prof-'))
let payloadEnv = {}
if (baseline) {
  const { createRecommender } = await import(pathToFileURL(join(DIST, 'src', 'recommender.js')).href)
  const { loadCatalogue } = await import(pathToFileURL(join(DIST, 'src', 'catalogue', 'load.js')).href)
  const report = createRecommender(loadCatalogue()).recommend(PROFILE_EXAMPLE, new Date()).report
  writeFileSync(join(profDir, 'payload.json'), JSON.stringify(report))
  payloadEnv = { PAYLOAD_FILE: join(profDir, 'payload.json') }
}
const entry = baseline ? join(ROOT, 'bench', 'hello.mjs') : join(DIST, 'src', 'server.js')
const args = [...(withProfiler ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), entry]
const server = spawn(nodeBin, args, {
  cwd: ROOT,
  env: { PATH: process.env.PATH ?? '', ...serverEnv(apiKey), ...payloadEnv, PORT: String(port) },
  stdio: ['ignore', 'ignore', 'inherit']
})
process.on('exit', () => server.kill('SIGKILL'))

const base = `http://${HOST}:${port}`
for (let i = 0; ; i++) {
  const ok = await fetch(`${base}${baseline ? '/' : '/health/ready'}`).then(
    (r) => r.ok,
    () => false
  )
  if (ok) break
  if (i > 600) throw new Error('the server did not become ready')
  await sleep(50)
}

function ticks() {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12])
}

const next = distinctBodies(PROFILE_EXAMPLE)
function load(duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${base}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        connections,
        duration,
        requests: [{ setupRequest: (req) => ({ ...req, body: next() }) }]
      },
      (err, result) => (err ? reject(err) : resolve(result))
    )
  })
}

await load(2) // warm-up
const t0 = ticks()
// The monotonic clock V8 stamps its samples with, in µs: the window of the measured load.
const windowStart = Number(process.hrtime.bigint() / 1000n)
const result = await load(seconds)
const windowEnd = Number(process.hrtime.bigint() / 1000n)
const cpuMs = (ticks() - t0) * (1000 / 100) // USER_HZ is 100 on Linux
const responses = result['2xx']
if (result.non2xx > 0 || result.errors > 0) console.error(`profile: ${result.non2xx} non-2xx, ${result.errors} errors`)
console.log(
  `profile: node ${nodeBin === process.execPath ? process.version : nodeBin}; ${responses} responses in ${seconds} s ` +
    `(${Math.round(responses / seconds)} req/s, p99 ${result.latency.p99} ms); server CPU ${Math.round((cpuMs * 1000) / responses)} µs per request`
)

const exited = new Promise((resolve) => server.once('exit', resolve))
server.kill('SIGINT')
await exited
if (!withProfiler) process.exit(0)

// The profile: self time per function and per package, over the load window only.
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const selfUs = new Map()
let t = profile.startTime
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]
  const dt = profile.timeDeltas[i + 1] ?? 0
  if (t < windowStart || t > windowEnd) continue
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt)
}
const byFunction = new Map()
const byPackage = new Map()
let busy = 0
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id)
  const name = callFrame.functionName || '(anonymous)'
  if (name === '(idle)' || name === '(program)') continue
  busy += us
  const url = callFrame.url.replace(`file://${ROOT}/`, '').replace(`file://${dirname(DIST)}/`, '')
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('dist/') ? url : url.startsWith('node:') ? 'node:' : name)
  const key = `${name} ${url}:${callFrame.lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
}
const all = responses
const show = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `  ${(us / all).toFixed(1).padStart(6)} µs  ${k}`)
    .join('\n')
console.log(`profile: ${(busy / all).toFixed(0)} µs of sampled CPU per request (main thread, measured window only)\nby package or file:`)
console.log(show(byPackage, 25))
console.log('by function:')
console.log(show(byFunction, 40))
console.log(`profile: ${join(profDir, file)}`)
