#!/usr/bin/env node
// Refactors prove themselves: every response a user could see, for the golden scenarios, the
// real-notice corpus, the plan scenarios, the documented request examples (single and batch), the
// catalogue endpoints, decisions and their paper, written to one file, so that two builds can be
// compared byte for byte.
//
//   npm run build && node scripts/responses.mjs --out before.jsonl              (on the old commit)
//   npm run build && node scripts/responses.mjs --compare before.jsonl          (on the new one)
//   node scripts/responses.mjs --dist ../old/dist --out before.jsonl           (another checkout's build)
//
// The inputs are read from this checkout's test/ folder, so both builds answer the same requests.
// Each line is { name, status, type, body }. What differs by nature is replaced before writing:
// the ruleset version (it hashes the code and data), record ids, hashes and signatures (random ids
// feed them), and request ids. --compare exits 1 and prints the first differing lines of each
// response that changed; --allow NAME (repeatable) names responses expected to change.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: join(root, 'dist') },
    out: { type: 'string' },
    compare: { type: 'string' },
    allow: { type: 'string', multiple: true, default: [] }
  }
})
if (!args.out && !args.compare) {
  console.error('usage: node scripts/responses.mjs [--dist DIR] (--out FILE | --compare FILE [--allow NAME ...])')
  process.exit(2)
}

const dist = resolve(args.dist)
const load = (path) => import(pathToFileURL(join(dist, 'src', path)).href)
const { buildApp } = await load('app.js')
const { defaultConfig } = await load('config.js')
const json = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'))
const files = (dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f))

// A fixed clock and an embedded store of its own, with a fixed key: the same requests get the
// same answers on every run.
const NOW = new Date('2026-11-25T10:00:00.000Z')
const dataDir = mkdtempSync(join(tmpdir(), 'responses-'))
const app = await buildApp(
  defaultConfig({
    LOG_LEVEL: 'silent',
    MAX_EVENT_LOOP_DELAY_MS: 0,
    MAX_RSS_BYTES: 0,
    RATE_LIMIT_MAX: 1_000_000,
    DATA_DIR: dataDir,
    CHAIN_KEYS: `responses:${Buffer.alloc(32, 5).toString('base64')}`
  }),
  { now: () => NOW }
)
await app.ready()

const results = []
async function record(name, request) {
  const res = await app.inject(request)
  results.push({ name, status: res.statusCode, type: res.headers['content-type'] ?? null, body: res.body })
  return res
}
const post = (url, payload, headers = {}) => ({ method: 'POST', url, payload, headers })

for (const file of files('test/scenarios')) {
  for (const s of json(file).scenarios) {
    await record(`${file} ${s.name}: report`, post('/v1/recommendations', s.profile))
    await record(`${file} ${s.name}: compact`, post('/v1/recommendations?view=compact', s.profile))
    await record(`${file} ${s.name}: plan`, post('/v1/plans', { profile: s.profile }))
  }
}
for (const file of files('test/corpus/notices')) {
  const notice = json(file)
  await record(`${file}: report`, post('/v1/recommendations', notice.profile))
  await record(`${file}: plan`, post('/v1/plans', { profile: notice.profile }))
}
for (const file of files('test/plan-scenarios')) {
  const s = json(file)
  await record(`${file}: plan`, post('/v1/plans', s.request))
  await record(`${file}: calendar`, post('/v1/plans', s.request, { accept: 'text/calendar' }))
}
// The request examples moved to src/examples/ (issue 26); an older build has them in routes/v1/.
const requestExamples = await load('examples/requests.js').catch(() => load('routes/v1/recommendation-examples.js'))
const { REQUEST_EXAMPLES } = requestExamples
const examples = Object.entries(REQUEST_EXAMPLES)
for (const [name, example] of examples) {
  await record(`example ${name}: report`, post('/v1/recommendations', example.value))
  await record(`example ${name}: paper`, post('/v1/recommendations', example.value, { accept: 'text/html' }))
}
await record('examples: batch', post('/v1/recommendations/batch', { profiles: examples.map(([, e]) => e.value) }))

const procedures = await record('procedures', { url: '/v1/procedures' })
const procedureIds = JSON.parse(procedures.body).procedures.map((p) => p.id)
for (const p of JSON.parse(procedures.body).procedures) {
  await record(`procedure ${p.id}`, { url: `/v1/procedures/${p.id}` })
}
for (const date of ['2024-06-01', '2025-02-24', '2026-01-01', '2026-12-07', '2028-01-01']) {
  await record(`thresholds on ${date}`, { url: `/v1/thresholds?date=${date}` })
}
await record('openapi', { url: '/openapi.json' })

// Decisions: the example profiles' rank-1 choice (a rationale for every one, so direct awards
// are accepted), then each record read back as JSON and as the paper, the list and the chain.
const decided = []
for (const [name, example] of examples) {
  const report = JSON.parse((await app.inject(post('/v1/recommendations', example.value))).body)
  const procedureId = report.recommendations?.[0]?.procedureId
  if (!procedureId) continue
  const res = await record(
    `example ${name}: decision`,
    post('/v1/decisions', {
      profile: example.value,
      procedureId,
      rationale: 'The recommended route.',
      decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' }
    })
  )
  if (res.statusCode === 201) decided.push([name, JSON.parse(res.body).id])
}
// Every procedure of each example chosen without a rationale: excluded ones and choices that need
// a rationale are 400 problems naming the field; the rank-1 choice (not a direct award) is stored.
for (const [name, example] of examples) {
  for (const procedureId of procedureIds) {
    await record(
      `example ${name}: ${procedureId} chosen without a rationale`,
      post('/v1/decisions', { profile: example.value, procedureId, decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' } })
    )
  }
}
// A profile the service does not cover, as a decision (contract 1.2: a 422, as on the other routes).
const { NOT_COVERED_EXAMPLE } = requestExamples
await record(
  'not covered: decision',
  post('/v1/decisions', { profile: NOT_COVERED_EXAMPLE, procedureId: 'open-tender', decidedBy: { name: 'CDO', role: 'cio-cdo' } })
)
for (const [name, id] of decided) {
  await record(`example ${name}: decision read`, { url: `/v1/decisions/${id}` })
  await record(`example ${name}: decision paper`, { url: `/v1/decisions/${id}`, headers: { accept: 'text/html' } })
}
await record('decisions: list', { url: '/v1/decisions?limit=100' })
await record('decisions: chain', { url: '/v1/decisions/chain?full=true' })
await app.close()
rmSync(dataDir, { recursive: true, force: true })

// What differs by nature between two runs or two builds, replaced by a placeholder. Record ids
// are numbered in order of appearance, so a record and its read-back share one placeholder; the
// ids of the OpenAPI document's examples are numbered apart, so the records' numbers do not
// depend on what the document shows.
const recordIds = new Map()
const stable = (text, ids = recordIds) =>
  text
    .replace(/"rulesetVersion":"[^"]*"/g, '"rulesetVersion":"<ruleset>"')
    .replace(/Ruleset [0-9.]+\+[0-9a-f]+/g, 'Ruleset <ruleset>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<id-${ids.size + 1}>`)
      return ids.get(id)
    })
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/(eyJ[A-Za-z0-9_-]+)/g, '<cursor>')
    .replace(/urn:uuid:<id-\d+>/g, 'urn:uuid:<request>')
const lines = results.map((r) => JSON.stringify({ ...r, body: r.name === 'openapi' ? stable(r.body, new Map()) : stable(r.body) }))

if (args.out) {
  writeFileSync(args.out, `${lines.join('\n')}\n`)
  console.log(`responses: ${lines.length} written to ${args.out}`)
} else {
  const before = new Map(
    readFileSync(args.compare, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [JSON.parse(l).name, l])
  )
  const now = new Map(lines.map((l) => [JSON.parse(l).name, l]))
  const changed = []
  for (const [name, line] of now) if (before.get(name) !== line) changed.push(name)
  for (const name of before.keys()) if (!now.has(name)) changed.push(name)
  const unexpected = changed.filter((n) => !args.allow.includes(n))
  for (const name of changed) {
    const a = before.has(name) ? JSON.parse(before.get(name)) : undefined
    const b = now.has(name) ? JSON.parse(now.get(name)) : undefined
    console.log(`${args.allow.includes(name) ? 'changed (allowed)' : 'CHANGED'}: ${name}`)
    if (!a || !b) {
      console.log(a ? '  no longer answered' : '  new')
      continue
    }
    if (a.status !== b.status || a.type !== b.type) console.log(`  ${a.status} ${a.type} -> ${b.status} ${b.type}`)
    const [x, y] = [a.body, b.body]
    let i = 0
    while (i < x.length && x[i] === y[i]) i++
    console.log(
      `  first difference at character ${i}:\n  - ${x.slice(Math.max(0, i - 80), i + 120)}\n  + ${y.slice(Math.max(0, i - 80), i + 120)}`
    )
  }
  console.log(`responses: ${now.size} compared, ${changed.length} changed, ${unexpected.length} unexpected`)
  process.exit(unexpected.length > 0 ? 1 : 0)
}
