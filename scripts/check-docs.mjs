#!/usr/bin/env node
// Docs that run: every code block in README.md and docs/*.md is run or compiled against this
// checkout, every relative link must resolve, and every file path and npm script named in the
// text must exist, so a renamed option, field, file or script fails CI rather than the reader.
//
//   npm run build && node scripts/check-docs.mjs      (CI: .ci/run, after the e2e tests built dist/)
//   node scripts/check-docs.mjs --links-only          (links, paths and npm scripts: no build, no server)
//
// What each code block gets, by its language:
//   sh, bash   run by bash (set -euo pipefail) beside a real server process (dist/src/server.js on a
//              free loopback port; "localhost:3000" in the block is rewritten to it). Every curl in
//              the block must get a 2xx answer, or the statuses its directive names.
//   json       parsed; a "request" directive sends it to the server, an "answer" directive compares
//              it with the last answer the file's blocks got.
//   jsonc      the same, comments removed; a fragment ("key": value) is read as one member of an object.
//   ts         compiled with strict settings (tsc), beside the repository's files.
//   text       its directive says how it is checked ("paths": the first word of every line that
//              does not start with a space is a path that exists).
// A block that cannot run in CI says so, and why, in the document's source: an HTML comment on the
// line before its fence (invisible to a reader), one of:
//   <!-- check-docs: skip: REASON -->                    not run; the reason is printed
//   <!-- check-docs: server -->                          a command that starts the service: it must
//                                                        answer /health/live, then it is stopped
//   <!-- check-docs: status 201 200 -->                  the statuses of the block's curl calls, in
//                                                        order (one number: every call)
//   <!-- check-docs: request METHOD PATH STATUS [with JSON] -->  sent as the body (merged into JSON)
//   <!-- check-docs: answer -->                          what the last call answered: every field
//                                                        shown must be there with that value; "…" or
//                                                        "..." in a string stands for text left out,
//                                                        and a last array item "…" for items left out
// and, anywhere in a file, <!-- check-docs: pending PATH... (REASON) --> names link targets another
// branch is writing: missing is allowed, and once they exist the mark must go.
// A block in any other language, or with no language, is a fault: nothing is left unchecked silently.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import GithubSlugger from 'github-slugger'
import MarkdownIt from 'markdown-it'

const root = fileURLToPath(new URL('..', import.meta.url))
const DOCS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`)
]
const DIRECTIVE = /^<!--\s*check-docs:\s*([\s\S]*?)\s*-->\s*$/
const PATH_PREFIXES = /^(?:src|test|schemas|scripts|bench|deploy|openapi|docs|clients|\.ci)\/[\w./-]*$/
const ELLIPSIS = /…|\.\.\./
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
const md = new MarkdownIt({ html: true })

const faults = []
const counts = { run: 0, compiled: 0, parsed: 0, skipped: 0, links: 0, paths: 0, scripts: 0 }
const fault = (where, message) => {
  faults.push(`${where}: ${message}`)
  console.log(`FAIL ${where}: ${message}`)
}

/** The document's code blocks with their directives, links, inline code and heading anchors. */
function read(file) {
  const tokens = md.parse(readFileSync(join(root, file), 'utf8'), {})
  const slugger = new GithubSlugger()
  const doc = { file, blocks: [], links: [], inline: [], anchors: new Set(), pending: new Set() }
  let directive
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const line = (token.map?.[0] ?? 0) + 1
    const m = token.type === 'html_block' ? DIRECTIVE.exec(token.content.trim()) : null
    if (m) {
      const pending = /^pending\s+(.*?)\s*(?:\(.*\))?$/.exec(m[1])
      if (pending) for (const target of pending[1].split(/\s+/)) doc.pending.add(target)
      else directive = { text: m[1], line }
      continue
    }
    if (token.type === 'fence') {
      doc.blocks.push({
        where: `${file}:${line}`,
        lang: token.info.trim().split(/\s+/)[0],
        content: token.content,
        directive: directive?.text
      })
      directive = undefined
      continue
    }
    if (directive && token.nesting !== -1 && token.type !== 'inline') {
      fault(`${file}:${directive.line}`, 'a check-docs comment must stand on the line before its code block')
      directive = undefined
    }
    if (token.type === 'heading_open') doc.anchors.add(slugger.slug(tokens[i + 1].content))
    for (const child of token.children ?? []) {
      if (child.type === 'link_open') doc.links.push({ href: child.attrGet('href'), line })
      if (child.type === 'image') doc.links.push({ href: child.attrGet('src'), line })
      if (child.type === 'code_inline') doc.inline.push({ text: child.content, line })
    }
  }
  return doc
}

const docs = DOCS.map(read)
const anchorsOf = new Map(docs.map((d) => [resolve(root, d.file), d.anchors]))

// Links: a file or folder of this checkout, and a heading of a Markdown file when an anchor is given.
for (const doc of docs) {
  for (const { href, line } of doc.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue
    counts.links++
    const [path, anchor] = href.split('#')
    const target = path ? resolve(root, dirname(doc.file), decodeURIComponent(path)) : resolve(root, doc.file)
    const name = relative(root, target)
    const where = `${doc.file}:${line}`
    if (doc.pending.has(name)) {
      if (existsSync(target)) fault(where, `${name} exists now: remove it from the pending mark`)
      continue
    }
    if (!existsSync(target)) {
      fault(where, `the link ${href} leads nowhere (${name} does not exist)`)
      continue
    }
    if (anchor && target.endsWith('.md')) {
      const anchors = anchorsOf.get(target) ?? read(name).anchors
      if (!anchors.has(anchor)) fault(where, `the link ${href}: ${name} has no heading #${anchor}`)
    }
  }
}

// npm scripts anywhere, and repository paths named in inline code, must exist.
const ignored = (path) => spawnSync('git', ['check-ignore', '-q', path], { cwd: root }).status === 0
function checkNames(where, text, inline) {
  for (const [, name] of text.matchAll(/\bnpm run(?:-script)? ([\w:-]+)/g)) {
    counts.scripts++
    if (!scripts[name]) fault(where, `npm run ${name}: package.json has no such script`)
  }
  const path = text.replace(/^\.\//, '')
  if (inline && PATH_PREFIXES.test(path)) {
    counts.paths++
    // A generated file (openapi/client/api.ts) is named though it is not committed: it is ignored.
    if (!existsSync(join(root, path)) && !ignored(path)) fault(where, `${path} does not exist`)
  }
}
for (const doc of docs) {
  for (const { text, line } of doc.inline) checkNames(`${doc.file}:${line}`, text, true)
  for (const block of doc.blocks) checkNames(block.where, block.content, false)
}

const linksOnly = process.argv.includes('--links-only')
if (linksOnly) {
  console.log(
    `check-docs: ${DOCS.length} files; ${counts.links} links, ${counts.paths} paths, ${counts.scripts} npm scripts; ${faults.length} faults`
  )
  process.exit(faults.length ? 1 : 0)
}

// The blocks, in order, beside one server process.
const work = mkdtempSync(join(tmpdir(), 'check-docs-'))
// Inside the checkout (ignored by git), so that npm finds the project from a block's folder.
const cwd = join(root, 'test-artifacts', 'check-docs')
rmSync(cwd, { recursive: true, force: true })
mkdirSync(cwd, { recursive: true })
const serverEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? work,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  // A busy CI machine must not make the documented calls 503.
  MAX_EVENT_LOOP_DELAY_MS: '0',
  MAX_RSS_BYTES: '0',
  // Stopped at once when the blocks are done: no drain for a load balancer that is not there.
  SHUTDOWN_DRAIN_MS: '0',
  // npm start runs only `node dist/src/server.js`: the build ran once, before this script.
  npm_config_ignore_scripts: 'true'
}
let dataDirs = 0
const freshEnv = () => ({ ...serverEnv, DATA_DIR: join(work, `data-${++dataDirs}`) })

/** Runs `command` until it logs that it listens; resolves with the URL, or rejects with its output. */
function startServer(command, args, env) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const url = new Promise((resolve, reject) => {
    // Not a test of speed: a bound so that CI cannot hang here.
    const timer = setTimeout(() => reject(new Error(`did not listen within 120 s: ${out}`)), 120_000)
    const onData = (chunk) => {
      out += chunk
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited (${code}) before listening: ${out}`))
    })
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGTERM')
    await exited
  }
  return { url, stop }
}

const entry = join(root, 'dist', 'src', 'server.js')
if (!existsSync(entry)) spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
const server = startServer(process.execPath, [entry], freshEnv())
let base
try {
  base = await server.url
} catch (err) {
  fault('scripts/check-docs.mjs', `the server did not start: ${err.message}`)
}

const CURL = `set -euo pipefail
__calls=0
curl() {
  __calls=$((__calls + 1))
  command curl --silent --show-error --output "$CHECK_DOCS_OUT/$__calls" --write-out '%{http_code}\\n' "$@" >> "$CHECK_DOCS_OUT/statuses"
  cat "$CHECK_DOCS_OUT/$__calls"
}
`

/** Runs a shell block; returns the statuses of its curl calls and the last answer's body. */
function runShell(block) {
  const out = mkdtempSync(join(work, 'block-'))
  const script = CURL + block.content.replaceAll('localhost:3000', base.replace('http://', ''))
  const result = spawnSync('bash', ['-c', script], { cwd, env: { ...freshEnv(), CHECK_DOCS_OUT: out }, encoding: 'utf8', timeout: 600_000 })
  const statusFile = join(out, 'statuses')
  const statuses = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []
  const last = statuses.length ? readFileSync(join(out, String(statuses.length)), 'utf8') : undefined
  return { result, statuses, last }
}

/** The differences between a documented value and the real one ("…" stands for what is left out). */
function differences(documented, actual, path = '') {
  const at = path || '/'
  if (documented === '…') return []
  if (typeof documented === 'string' && ELLIPSIS.test(documented)) {
    if (typeof actual !== 'string') return [`${at}: documented as text, answered ${JSON.stringify(actual)}`]
    const parts = documented.split(ELLIPSIS)
    let from = 0
    for (const [i, part] of parts.entries()) {
      const found = i === 0 ? (actual.startsWith(part) ? 0 : -1) : actual.indexOf(part, from)
      if (found < 0 || (i === parts.length - 1 && part && !actual.endsWith(part))) {
        return [`${at}: documented ${JSON.stringify(documented)}, answered ${JSON.stringify(actual)}`]
      }
      from = found + part.length
    }
    return []
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return [`${at}: documented as a list, answered ${JSON.stringify(actual)}`]
    const open = documented.at(-1) === '…'
    const items = open ? documented.slice(0, -1) : documented
    const out = items.flatMap((d, i) => (i < actual.length ? differences(d, actual[i], `${path}/${i}`) : [`${path}/${i}: not answered`]))
    if (!open && actual.length !== items.length) out.push(`${at}: ${items.length} items documented, ${actual.length} answered`)
    return out
  }
  if (documented && typeof documented === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${at}: documented as an object, answered ${JSON.stringify(actual)}`]
    }
    return Object.entries(documented).flatMap(([k, d]) =>
      k in actual ? differences(d, actual[k], `${path}/${k}`) : [`${path}/${k}: not in the answer`]
    )
  }
  return documented === actual ? [] : [`${at}: documented ${JSON.stringify(documented)}, answered ${JSON.stringify(actual)}`]
}

/** JSON with // comments; a bare member ("key": value) is read as an object of that one member. */
function parseJsonc(text) {
  let out = ''
  for (let i = 0, inString = false; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i]
      else if (c === '"') inString = false
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else {
      if (c === '"') inString = true
      out += c
    }
  }
  const body = out.trim()
  return JSON.parse(body.startsWith('"') ? `{${body}}` : body)
}

const merge = (a, b) =>
  a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)
    ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]))
    : b

/** Compiles a TypeScript block as a file at the repository's root, so its relative imports resolve. */
async function compileTs(block) {
  const ts = (await import('typescript')).default
  const file = join(root, `check-docs-block.ts`)
  const virtual = new Map([[file, block.content]])
  // The client's types are generated, not committed (openapi/client/api.ts): made here as the block says.
  const api = join(root, 'openapi', 'client', 'api.ts')
  if (!existsSync(api)) {
    const { default: openapiTS, astToString } = await import('openapi-typescript')
    const document = JSON.parse(readFileSync(join(root, 'openapi', 'openapi.json'), 'utf8'))
    virtual.set(api, astToString(await openapiTS(document, { cwd: new URL('../openapi/openapi.json', import.meta.url) })))
  }
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node']
  }
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f)
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f)
  host.getSourceFile = (f, version, ...rest) =>
    virtual.has(f) ? ts.createSourceFile(f, virtual.get(f), version) : getSourceFile.call(host, f, version, ...rest)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : ''
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
  })
}

if (base) {
  for (const doc of docs) {
    let answer // the last answer a block of this document got
    for (const block of doc.blocks) {
      const { where, lang, content, directive = '' } = block
      const skip = /^skip:\s*(.+)$/s.exec(directive)
      if (/^skip\b/.test(directive)) {
        if (!skip) fault(where, 'a skipped block must say why: <!-- check-docs: skip: REASON -->')
        else {
          counts.skipped++
          console.log(`skip ${where} (${lang}): ${skip[1]}`)
        }
        continue
      }
      if (lang === 'sh' || lang === 'bash') {
        if (directive === 'server') {
          const started = startServer('bash', ['-c', content], freshEnv())
          try {
            const url = await started.url
            const live = await fetch(`${url}/health/live`)
            if (live.status !== 200) fault(where, `the service started but /health/live answered ${live.status}`)
            else console.log(`ok   ${where} (sh): started, listened, answered /health/live`)
            counts.run++
          } catch (err) {
            fault(where, `the service did not start: ${err.message}`)
          } finally {
            await started.stop()
          }
          continue
        }
        if (directive && !/^status( \d{3})+$/.test(directive)) {
          fault(where, `unknown directive for a shell block: ${directive}`)
          continue
        }
        const { result, statuses, last } = runShell(block)
        counts.run++
        if (result.status !== 0) {
          fault(where, `exited ${result.status ?? result.signal}: ${(result.stderr || result.stdout).trim().slice(-2000)}`)
          continue
        }
        const expected = directive ? directive.split(' ').slice(1).map(Number) : []
        const wrong =
          expected.length > 1
            ? statuses.join(' ') !== expected.join(' ')
            : statuses.some((s) => (expected.length ? s !== expected[0] : s < 200 || s > 299))
        if (wrong) fault(where, `answered ${statuses.join(' ')}; documented ${expected.join(' ') || 'success (2xx)'}`)
        else console.log(`ok   ${where} (sh): ${statuses.length ? `answered ${statuses.join(' ')}` : 'ran'}`)
        if (last !== undefined) answer = last
        continue
      }
      if (lang === 'json' || lang === 'jsonc') {
        let value
        try {
          value = lang === 'json' ? JSON.parse(content) : parseJsonc(content)
        } catch (err) {
          fault(where, `not valid ${lang.toUpperCase()}: ${err.message}`)
          continue
        }
        counts.parsed++
        const request = /^request (GET|POST) (\/\S*) (\d{3})(?: with (.+))?$/s.exec(directive)
        if (request) {
          const [, method, path, status, withJson] = request
          const body = JSON.stringify(withJson ? merge(JSON.parse(withJson), value) : value)
          const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body })
          answer = await res.text()
          if (res.status !== Number(status)) {
            fault(where, `${method} ${path} answered ${res.status}, documented ${status}: ${answer.slice(0, 600)}`)
          } else console.log(`ok   ${where} (${lang}): ${method} ${path} answered ${res.status}`)
        } else if (directive === 'answer') {
          if (answer === undefined) {
            fault(where, 'an answer, but no block before it made a call')
            continue
          }
          let actual
          try {
            actual = JSON.parse(answer)
          } catch {
            fault(where, `the answer documented as JSON is not JSON: ${answer.slice(0, 200)}`)
            continue
          }
          const diff = differences(value, actual)
          if (diff.length) fault(where, `the answer differs:\n  ${diff.slice(0, 20).join('\n  ')}`)
          else console.log(`ok   ${where} (${lang}): the answer as documented`)
        } else if (directive) fault(where, `unknown directive for a JSON block: ${directive}`)
        else console.log(`ok   ${where} (${lang}): parsed`)
        continue
      }
      if (lang === 'ts' || lang === 'typescript') {
        const diagnostics = await compileTs(block)
        counts.compiled++
        if (diagnostics.length) fault(where, `does not compile:\n  ${diagnostics.join('\n  ')}`)
        else console.log(`ok   ${where} (ts): compiles`)
        continue
      }
      if (lang === 'text' && directive === 'paths') {
        const missing = content
          .split('\n')
          .filter((l) => /^\S/.test(l))
          .map((l) => l.split(/\s+/)[0])
          .filter((p) => !existsSync(join(root, p)))
        counts.parsed++
        if (missing.length) fault(where, `names paths that do not exist: ${missing.join(', ')}`)
        else console.log(`ok   ${where} (text): every path exists`)
        continue
      }
      fault(where, `a ${lang || 'plain'} block with no way to check it: give it a language (sh, json, jsonc, ts) or a directive`)
    }
  }
}
await server.stop()
rmSync(work, { recursive: true, force: true })

console.log(
  `check-docs: ${DOCS.length} files; ${counts.run} blocks run, ${counts.compiled} compiled, ${counts.parsed} parsed, ` +
    `${counts.skipped} skipped with a reason; ${counts.links} links, ${counts.paths} paths, ${counts.scripts} npm scripts; ` +
    `${faults.length} faults`
)
process.exit(faults.length ? 1 : 0)
