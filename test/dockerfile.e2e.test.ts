// Offline checks of the container image definition. There is no Docker engine in CI, so the
// Dockerfile is linted with dockerfilelint (a devDependency, run through its CLI with JSON
// output) and its security/operability properties are asserted on a small parse of the file.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const dockerfilePath = fileURLToPath(new URL('../Dockerfile', import.meta.url))
const dockerignorePath = fileURLToPath(new URL('../.dockerignore', import.meta.url))
// Resolve the package's bin script and run it with this Node binary: no reliance on the
// shebang or on node_modules/.bin shims (which are .cmd files on Windows).
const lintBin = createRequire(import.meta.url).resolve('dockerfilelint/bin/dockerfilelint')

interface LintIssue {
  line: string
  content: string
  category: string
  title: string
  description: string
}
interface LintReport {
  files: Array<{ file: string; issues_count: number; issues: LintIssue[] }>
  totalIssues: number
}

/** Runs dockerfilelint on a file path or on Dockerfile text. Its exit code is the issue count. */
function lint(target: string): LintReport {
  let stdout: string
  try {
    stdout = execFileSync(process.execPath, [lintBin, '--json', target], { encoding: 'utf8' })
  } catch (err) {
    const e = err as { stdout?: string; status?: number | null }
    if (typeof e.stdout !== 'string' || e.stdout.trim() === '') throw err
    stdout = e.stdout
  }
  return JSON.parse(stdout) as LintReport
}

interface Instruction {
  keyword: string
  args: string
  line: number
}

/** Minimal Dockerfile reader: drops comments and blank lines, joins `\` continuations. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = []
  let buffer = ''
  let startLine = 0
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (buffer === '' && (line === '' || line.startsWith('#'))) return
    if (buffer !== '' && line.startsWith('#')) return // comment inside a continuation
    if (buffer === '') startLine = i + 1
    if (line.endsWith('\\')) {
      buffer += line.slice(0, -1) + ' '
      return
    }
    buffer += line
    const match = /^(\S+)\s*(.*)$/s.exec(buffer.trim())
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: startLine })
    buffer = ''
  })
  return out
}

/** Splits instructions into build stages, each starting at a FROM. */
function stages(instructions: Instruction[]): Instruction[][] {
  const result: Instruction[][] = []
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') result.push([ins])
    else result.at(-1)?.push(ins)
  }
  return result
}

function lastIndexWhere<T>(items: T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i
  return -1
}

function execForm(args: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(args)
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined
  } catch {
    return undefined
  }
}

t.test('the Dockerfile exists and is a regular file', async (t) => {
  // dockerfilelint lints its argument as Dockerfile *text* when no such file exists, so a
  // missing file must fail here rather than be linted as the string "…/Dockerfile".
  t.ok(existsSync(dockerfilePath) && statSync(dockerfilePath).isFile(), dockerfilePath)
})

t.test('dockerfilelint reports zero problems', async (t) => {
  const report = lint(dockerfilePath)
  t.equal(report.files.length, 1, 'one file linted')
  t.equal(report.files[0]?.file, dockerfilePath, 'the Dockerfile itself was linted, not its name as text')
  const issues = report.files.flatMap((f) => f.issues)
  t.same(
    issues.map((i) => `line ${i.line}: ${i.title} (${i.category}): ${i.content}`),
    [],
    'no lint issues'
  )
  t.equal(report.totalIssues, 0, 'totalIssues is 0')
})

t.test('the linter is live: a known-bad Dockerfile is flagged', async (t) => {
  const report = lint('FROM node:latest\nexpose 80:80\n')
  t.ok(report.totalIssues >= 2, `bad input produced ${report.totalIssues} issues`)
  const titles = report.files.flatMap((f) => f.issues.map((i) => i.title))
  t.ok(
    titles.some((title) => /latest/i.test(title)),
    'flags the :latest tag'
  )
})

t.test('image structure', async (t) => {
  const instructions = parseDockerfile(readFileSync(dockerfilePath, 'utf8'))
  const allStages = stages(instructions)

  t.test('multi-stage, pinned to a Node major version', async (t) => {
    t.ok(allStages.length >= 2, `at least two FROM stages (found ${allStages.length})`)
    for (const stage of allStages) {
      const from = stage[0]!
      const image = from.args.split(/\s+/).find((w) => !w.startsWith('--')) ?? ''
      t.match(image, /^node:\d+(-[a-z0-9.]+)*$/, `line ${from.line}: ${image} is pinned to a major tag`)
      t.notMatch(image, /:(latest|lts|current)\b/, `line ${from.line}: not a floating tag`)
    }
  })

  const build = allStages[0] ?? []
  const runtime = allStages.at(-1) ?? []
  const runs = (stage: Instruction[]) => stage.filter((i) => i.keyword === 'RUN').map((i) => i.args)

  t.test('build stage installs all dependencies and builds', async (t) => {
    t.ok(
      runs(build).some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r)),
      'runs npm ci with dev dependencies'
    )
    t.ok(
      runs(build).some((r) => /\bnpm run build\b/.test(r)),
      'runs npm run build'
    )
  })

  t.test('runtime stage', async (t) => {
    t.not(runtime, build, 'runtime is a separate stage from build')
    t.ok(
      runs(runtime).some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r)),
      'installs production dependencies only (npm ci --omit=dev)'
    )
    t.ok(
      runtime.some((i) => i.keyword === 'COPY' && /--from=\S+/.test(i.args) && /\bdist\b/.test(i.args)),
      'copies dist from an earlier stage'
    )
    t.ok(
      runtime.some((i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args)),
      'sets NODE_ENV=production'
    )
    t.ok(
      runtime.some((i) => i.keyword === 'EXPOSE' && i.args.split(/\s+/).includes('3000')),
      'EXPOSE 3000'
    )
  })

  t.test('runs as a non-root user, set before CMD', async (t) => {
    const cmdIndex = lastIndexWhere(runtime, (i) => i.keyword === 'CMD')
    const users = runtime.filter((i, idx) => i.keyword === 'USER' && (cmdIndex < 0 || idx < cmdIndex))
    t.ok(cmdIndex >= 0, 'runtime stage has a CMD')
    t.ok(users.length >= 1, 'a USER instruction precedes CMD in the runtime stage')
    const effective = users.at(-1)?.args.split(':')[0] ?? 'root'
    t.equal(effective, 'node', 'effective user is the unprivileged node user')
    t.notOk(['root', '0'].includes(effective), 'effective user is not root')
    const after = runtime.slice(cmdIndex + 1).filter((i) => i.keyword === 'USER')
    t.same(after, [], 'no USER instruction after CMD switches back')
  })

  t.test('HEALTHCHECK probes /health/live with node, not curl', async (t) => {
    const checks = runtime.filter((i) => i.keyword === 'HEALTHCHECK')
    t.equal(checks.length, 1, 'exactly one HEALTHCHECK in the runtime stage')
    const check = checks[0]?.args ?? ''
    // Liveness: shedding load or draining makes readiness 503, and must not get a healthy
    // container restarted.
    t.match(check, /\/health\/live\b/, 'probes /health/live')
    t.notMatch(check, /\/health\/ready/, 'not /health/ready')
    t.match(check, /127\.0\.0\.1/, 'targets the loopback address')
    const cmdPart = /\bCMD\s+(.*)$/s.exec(check)?.[1] ?? ''
    const argv = execForm(cmdPart)
    t.ok(argv, 'HEALTHCHECK CMD is exec form')
    t.equal(argv?.[0], 'node', 'runs node')
    t.match(cmdPart, /\bfetch\(/, "uses Node's built-in fetch")
    t.notMatch(check, /\b(curl|wget)\b/, 'no curl or wget (absent from slim images)')
  })

  t.test('final CMD is exec form starting with node', async (t) => {
    const cmds = instructions.filter((i) => i.keyword === 'CMD')
    const last = cmds.at(-1)
    t.ok(last, 'has a CMD')
    t.ok(last !== undefined && runtime.includes(last), 'the final CMD is in the runtime stage')
    const argv = execForm(last?.args ?? '')
    t.ok(argv, `CMD is a JSON array (exec form): ${last?.args}`)
    t.equal(argv?.[0], 'node', 'first element is "node"')
    t.same(argv, ['node', 'dist/src/server.js'], 'runs the compiled server entry')
    t.notOk(
      instructions.some((i) => i.keyword === 'ENTRYPOINT'),
      'no ENTRYPOINT wraps the command in a shell'
    )
  })
})

t.test('.dockerignore keeps local state out of the build context', async (t) => {
  t.ok(existsSync(dockerignorePath), '.dockerignore exists')
  const entries = existsSync(dockerignorePath)
    ? readFileSync(dockerignorePath, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim().replace(/\/$/, ''))
        .filter((l) => l !== '' && !l.startsWith('#'))
    : []
  for (const required of ['node_modules', 'dist', '.git', '.tap', 'coverage']) {
    t.ok(entries.includes(required), `excludes ${required}`)
  }
})
