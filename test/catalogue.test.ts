// The catalogue is validated at start: a broken file stops the start naming the file and the
// JSON pointer of the fault.
import t, { type Test } from 'tap'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOGUE_DIR, CatalogueError, loadCatalogue } from '../src/catalogue/load.js'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'

function brokenCopy(file: string, edit: (data: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'))
  cpSync(CATALOGUE_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') })
  const data = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  edit(data)
  writeFileSync(join(dir, file), JSON.stringify(data))
  return dir
}

function expectFault(t: Test, dir: string, file: string, pointer: string, message: RegExp) {
  try {
    loadCatalogue(dir)
    t.fail(`expected ${file} to be rejected`)
  } catch (err) {
    t.type(err, CatalogueError)
    t.equal((err as CatalogueError).file, file)
    t.equal((err as CatalogueError).pointer, pointer)
    t.match((err as Error).message, message)
  }
}

t.test('the shipped catalogue loads and is complete', async (t) => {
  const c = loadCatalogue()
  t.equal(c.procedures.length, 13)
  t.match(c.rulesetVersion, /^\d{4}\.\d{1,2}\.\d+\+[0-9a-f]{12}$/)
  t.equal(c.earliestThresholdDate, '2022-01-01')
  // Same files, same version: the version is a content hash, not a timestamp.
  t.equal(loadCatalogue().rulesetVersion, c.rulesetVersion)
})

t.test('a changed data file changes the ruleset version', async (t) => {
  const dir = brokenCopy('rules.json', (d) => {
    d.scoring.minimumScore = 31
  })
  t.not(loadCatalogue(dir).rulesetVersion, loadCatalogue().rulesetVersion)
})

t.test('a value of the wrong type is reported with file and pointer', async (t) => {
  const dir = brokenCopy('thresholds.json', (d) => {
    d.thresholds[3].amount = 'a lot'
  })
  expectFault(t, dir, 'thresholds.json', '/thresholds/3/amount', /thresholds\.json is invalid at \/thresholds\/3\/amount: must be number/)
})

t.test('an unknown field in a data file is a fault, not ignored', async (t) => {
  const dir = brokenCopy('procedures.json', (d) => {
    d.procedures[2].routes.pa2023.legalBasiss = 'typo'
  })
  expectFault(t, dir, 'procedures.json', '/procedures/2/routes/pa2023/legalBasiss', /procedures\.json is invalid at \/procedures\/2\/routes\/pa2023\/legalBasiss: is not a known field$/)
})

t.test('a missing citation is a fault', async (t) => {
  const dir = brokenCopy('procedures.json', (d) => {
    delete d.procedures[0].routes.pcr2015.source.citation
  })
  expectFault(t, dir, 'procedures.json', '/procedures/0/routes/pcr2015/source/citation', /procedures\.json is invalid at \/procedures\/0\/routes\/pcr2015\/source\/citation: is required$/)
})

t.test('a RACI activity without exactly one A is a fault', async (t) => {
  const dir = brokenCopy('raci.json', (d) => {
    const activity = d.templates[1].activities[0]
    for (const role of Object.keys(activity.assignments)) if (activity.assignments[role] === 'A') activity.assignments[role] = 'C'
  })
  expectFault(t, dir, 'raci.json', '/templates/1/activities/0/assignments', /exactly one A \(has 0\)/)
})

t.test("a template that breaks the guidance's split for choosing the procedure is a fault", async (t) => {
  const dir = brokenCopy('raci.json', (d) => {
    const i = d.templates[0].activities.findIndex((a: { id: string }) => a.id === 'choose-procedure')
    d.templates[0].activities[i].assignments['service-team'] = 'I'
  })
  try {
    loadCatalogue(dir)
    t.fail('expected a fault')
  } catch (err) {
    t.equal((err as CatalogueError).file, 'raci.json')
    t.match((err as CatalogueError).pointer, /^\/templates\/0\/activities\/\d+\/assignments\/service-team$/)
  }
})

t.test('overlapping thresholds for the same kind and regime are a fault', async (t) => {
  const dir = brokenCopy('thresholds.json', (d) => {
    const copy = { ...d.thresholds.find((x: { id: string }) => x.id === '2026-sub-central-goods-services'), id: 'duplicate-2026' }
    d.thresholds.push(copy)
  })
  try {
    loadCatalogue(dir)
    t.fail('expected a fault')
  } catch (err) {
    t.equal((err as CatalogueError).file, 'thresholds.json')
    t.match((err as Error).message, /overlaps "2026-sub-central-goods-services"/)
  }
})

t.test('a procedure route whose minimum is longer than its typical duration is a fault', async (t) => {
  const dir = brokenCopy('procedures.json', (d) => {
    d.procedures[0].routes.pa2023.minimumWeeks = 99
  })
  expectFault(t, dir, 'procedures.json', '/procedures/0/routes/pa2023/minimumWeeks', /more than typicalWeeks\.min/)
})

t.test('a file that is not JSON is named', async (t) => {
  const dir = brokenCopy('rules.json', () => {})
  writeFileSync(join(dir, 'rules.json'), '{ "scoring": ')
  expectFault(t, dir, 'rules.json', '', /rules\.json is invalid at \/: is not valid JSON/)
})

t.test('buildApp refuses to start on a broken catalogue', async (t) => {
  const dir = brokenCopy('regimes.json', (d) => {
    d.selection.psrCpvList = 'no-such-list'
  })
  await t.rejects(buildApp(defaultConfig({ LOG_LEVEL: 'silent' }), { catalogueDir: dir }), {
    name: 'CatalogueError',
    file: 'regimes.json',
    pointer: '/selection/psrCpvList',
    message: 'Catalogue file regimes.json is invalid at /selection/psrCpvList: no CPV list "no-such-list" in cpv-lists.json'
  })
})

t.test('every legal value carries a citation and a confidence', async (t) => {
  const c = loadCatalogue()
  for (const p of c.procedures) {
    for (const route of Object.values(p.routes)) {
      if (!route) continue
      t.ok(route.legalBasis.length > 0 && route.source.citation.length > 0, `${p.id} ${route.regime} has a legal basis and a source`)
      for (const limit of route.timeLimits) t.ok(['confirmed', 'secondary', 'unconfirmed'].includes(limit.confidence), `${p.id} ${route.regime} ${limit.stage}`)
    }
  }
  for (const th of c.thresholds) t.ok(th.legalBasis && th.source.citation && th.source.confidence, th.id)
})
