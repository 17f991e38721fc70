// The README's example is this package's test, run as an integrator would from a clean folder:
// types generated from the /openapi.json a real server process serves (openapi-typescript, no
// options), the package's index.ts beside them, the example compiled with `strict` (and the
// stricter index and optional-property checks), then run against that server. Its output is
// compared with what the service answers the test directly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const pkg = fileURLToPath(new URL('..', import.meta.url))
const root = join(pkg, '..', '..')
const server = join(root, 'dist', 'src', 'server.js')
const bin = (name, file) => join(pkg, 'node_modules', name, 'bin', file)
const PACKAGE = '@procurement-route-advisor/client'

/** The README's TypeScript code: every ```ts block, in order. */
function readmeExample() {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1])
  assert.ok(blocks.length > 0, 'the README has a ```ts example')
  return blocks.join('\n')
}

/** `node dist/src/server.js` on a port the OS picks; resolves with its URL once it listens. */
async function startServer(t, env) {
  const child = spawn(process.execPath, [server], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.after(() => child.kill('SIGKILL'))
  let out = ''
  child.stderr.on('data', (chunk) => (out += chunk))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) resolve(match[1])
    })
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)))
  })
}

test('the README example compiles strictly against the served document and runs against the service', async (t) => {
  assert.ok(existsSync(server), `${server} is missing: run npm run build in the repository root first`)
  const key = randomBytes(24).toString('base64url')
  const dataDir = mkdtempSync(join(tmpdir(), 'advisor-client-data-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const baseUrl = await startServer(t, {
    API_KEYS: `readme:sha256:${createHash('sha256').update(key).digest('hex')}`,
    DATA_DIR: dataDir
  })

  // A clean folder inside the package, so that openapi-fetch and @types/node resolve from its node_modules.
  const dir = mkdtempSync(join(pkg, '.check-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  await run(process.execPath, [bin('openapi-typescript', 'cli.js'), `${baseUrl}/openapi.json`, '-o', join(dir, 'api.ts')])
  assert.equal(
    readFileSync(join(dir, 'api.ts'), 'utf8'),
    readFileSync(join(pkg, 'src', 'api.ts'), 'utf8'),
    'src/api.ts is what the served document generates (after a change of the document: npm run generate)'
  )

  const example = readmeExample()
  // What an integrator is promised: the example needs no cast, no type assertion, no typeof.
  assert.doesNotMatch(example, /\bas\s+(const|unknown|any|[A-Z{[])|\btypeof\b|[\w\])]![.[)]|<[A-Z]\w*>\s*[({[]/)
  assert.ok(example.includes(`from '${PACKAGE}'`), `the example imports ${PACKAGE}`)
  copyFileSync(join(pkg, 'src', 'index.ts'), join(dir, 'index.ts'))
  writeFileSync(join(dir, 'example.ts'), example.replaceAll(`from '${PACKAGE}'`, "from './index.js'"))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  const flags = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--target', 'es2022']
  const compiled = await run(
    process.execPath,
    [bin('typescript', 'tsc'), ...flags, '--module', 'nodenext', '--types', 'node', '--outDir', join(dir, 'out'), join(dir, 'example.ts')],
    { cwd: dir }
  ).catch((err) => err)
  assert.equal(compiled.stdout, '', 'the example compiles with no diagnostics')

  const { stdout } = await run(process.execPath, [join(dir, 'out', 'example.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PRA_URL: baseUrl, PRA_API_KEY: key },
    timeout: 60_000
  })
  const lines = stdout.trim().split('\n')

  // The same questions, asked directly: the example printed the service's answers.
  const ask = async (path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {})
    })
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`)
    return res.json()
  }
  const profile = {
    reference: 'LBX-2026-031',
    title: 'Digital social care referrals platform',
    contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] },
    constraints: { startDate: '2026-12-01' }
  }
  const report = await ask('/v1/recommendations', profile)
  const top = report.recommendations[0]
  assert.equal(report.regime.id, 'pa2023', 'a start in December 2026 is under the Procurement Act 2023')
  const plan = await ask('/v1/plans', { profile, procedureId: top.procedureId })
  const list = await ask('/v1/decisions?reference=LBX-2026-031')
  assert.equal(list.items.length, 1, 'the example recorded one decision')
  assert.equal(list.items[0].title, 'Digital social care referrals platform', 'the list item carries the title')
  assert.deepEqual(lines, [
    `Recommended: ${top.procedureId} (${top.legalRoute.legalBasis})`,
    ...plan.milestones.map((m) => `${m.date} ${m.name}`),
    `Decided: Digital social care referrals platform -> ${top.procedureId}`
  ])
  assert.ok(plan.milestones.length >= 3, 'a plan has its notices and deadlines')

  const calendar = readFileSync(join(dir, 'LBX-2026-031.ics'), 'utf8')
  assert.match(calendar, /^BEGIN:VCALENDAR\r\n/)
  assert.match(calendar, /\r\nSUMMARY:LBX-2026-031: /, 'event titles carry the reference')
})
