// scripts/responses.mjs, the check that a refactor changes no response: the same build answers
// the same bytes twice, and a changed response is named, with where it differs, and fails.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/responses.mjs', ...args], { cwd: root, encoding: 'utf8' })

t.test('the same build answers byte for byte the same; a changed response fails the check', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'responses-')), 'before.jsonl')
  const written = run('--out', file)
  t.equal(written.status, 0, written.stderr)
  const lines = readFileSync(file, 'utf8').trim().split('\n')
  t.ok(lines.length > 700, `${lines.length} responses: scenarios, notices, plans, examples, catalogue, decisions`)
  const same = run('--compare', file)
  t.equal(same.status, 0, same.stdout)
  t.match(same.stdout, new RegExp(`responses: ${lines.length} compared, 0 changed, 0 unexpected`))

  // One response edited as a regression would change it.
  const index = lines.findIndex((l) => (JSON.parse(l) as { name: string }).name === 'procedure open-tender')
  const edited = JSON.parse(lines[index]!) as { body: string }
  edited.body = edited.body.replace('Open tender', 'Open tendering')
  lines[index] = JSON.stringify(edited)
  writeFileSync(file, `${lines.join('\n')}\n`)
  const changed = run('--compare', file)
  t.equal(changed.status, 1)
  t.match(changed.stdout, /CHANGED: procedure open-tender\n {2}first difference at character \d+/)
  t.match(changed.stdout, /1 changed, 1 unexpected/)
  const allowed = run('--compare', file, '--allow', 'procedure open-tender')
  t.equal(allowed.status, 0, 'an intended change, named with --allow, passes')
})
