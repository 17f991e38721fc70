// The catalogue is validated at start: a broken file stops the start naming the file and the
// JSON pointer of the fault.
import t, { type Test } from 'tap'
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOGUE_DIR, CatalogueError, loadCatalogue } from '../src/catalogue/load.js'
import { CHECKED_FILE, readCatalogueFiles, recordChecked } from '../src/catalogue/read.js'
import { WARNING_CODES } from '../schemas/common.js'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'

/** A copy of the data files, byte for byte. */
function catalogueCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'))
  cpSync(CATALOGUE_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') })
  return dir
}

function brokenCopy(file: string, edit: (data: any) => void): string {
  const dir = catalogueCopy()
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
  const procedureDir = brokenCopy('procedures/design-contest.json', (d) => {
    d.routes.pa2023.typicalWeeks.note += ' (revised)'
  })
  t.not(loadCatalogue(procedureDir).rulesetVersion, loadCatalogue().rulesetVersion, 'a procedure file is part of the version too')
})

t.test('files the build checked load the same; a file changed since is checked again and its fault reported', async (t) => {
  const dir = catalogueCopy()
  recordChecked(dir)
  t.ok(existsSync(join(dir, CHECKED_FILE)), 'the build records what it checked')
  t.same(readCatalogueFiles(dir), readCatalogueFiles(dir, { trustChecked: false }), 'the same data, checked or not')
  t.equal(loadCatalogue(dir).rulesetVersion, loadCatalogue().rulesetVersion)

  const data = JSON.parse(readFileSync(join(dir, 'thresholds.json'), 'utf8'))
  data.thresholds[3].amount = 'a lot'
  writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(data))
  expectFault(t, dir, 'thresholds.json', '/thresholds/3/amount', /thresholds\.json is invalid at \/thresholds\/3\/amount: must be number/)

  writeFileSync(join(dir, CHECKED_FILE), 'not the fingerprint of these files\n')
  expectFault(t, dir, 'thresholds.json', '/thresholds/3/amount', /must be number/)
})

t.test('the build refuses a faulty data file and records nothing', async (t) => {
  const dir = brokenCopy('procedures/competitive-negotiation.json', (d) => {
    d.routes.pa2023.legalBasiss = 'typo'
  })
  t.throws(() => recordChecked(dir), { name: 'CatalogueError', file: 'procedures/competitive-negotiation.json' })
  t.notOk(existsSync(join(dir, CHECKED_FILE)))
})

t.test('a value of the wrong type is reported with file and pointer', async (t) => {
  const dir = brokenCopy('thresholds.json', (d) => {
    d.thresholds[3].amount = 'a lot'
  })
  expectFault(t, dir, 'thresholds.json', '/thresholds/3/amount', /thresholds\.json is invalid at \/thresholds\/3\/amount: must be number/)
})

t.test('an unknown field in a data file is a fault, not ignored', async (t) => {
  const dir = brokenCopy('procedures/competitive-negotiation.json', (d) => {
    d.routes.pa2023.legalBasiss = 'typo'
  })
  expectFault(
    t,
    dir,
    'procedures/competitive-negotiation.json',
    '/routes/pa2023/legalBasiss',
    /procedures\/competitive-negotiation\.json is invalid at \/routes\/pa2023\/legalBasiss: is not a known field$/
  )
})

t.test('a missing citation is a fault', async (t) => {
  const dir = brokenCopy('procedures/open-tender.json', (d) => {
    delete d.routes.pcr2015.source.citation
  })
  expectFault(
    t,
    dir,
    'procedures/open-tender.json',
    '/routes/pcr2015/source/citation',
    /procedures\/open-tender\.json is invalid at \/routes\/pcr2015\/source\/citation: is required$/
  )
})

t.test('procedures/ holds exactly one file per procedure id, named after it', async (t) => {
  await t.test('a missing file', async (t) => {
    const dir = catalogueCopy()
    rmSync(join(dir, 'procedures/light-touch.json'))
    expectFault(t, dir, 'procedures/light-touch.json', '', /procedures\/light-touch\.json is invalid at \/: is missing/)
  })
  await t.test('an extra file', async (t) => {
    const dir = catalogueCopy()
    writeFileSync(join(dir, 'procedures/light-touch-2.json'), readFileSync(join(dir, 'procedures/light-touch.json')))
    expectFault(t, dir, 'procedures/light-touch-2.json', '', /procedures\/light-touch-2\.json is invalid at \/: is not a procedure file/)
  })
  await t.test('a file renamed', async (t) => {
    const dir = catalogueCopy()
    renameSync(join(dir, 'procedures/direct-award.json'), join(dir, 'procedures/Direct-Award.json'))
    expectFault(t, dir, 'procedures/Direct-Award.json', '', /is not a procedure file/)
  })
  await t.test("a file whose procedure is not the file's name", async (t) => {
    const dir = brokenCopy('procedures/dynamic-market.json', (d) => {
      d.id = 'framework-call-off'
    })
    expectFault(
      t,
      dir,
      'procedures/dynamic-market.json',
      '/id',
      /must be "dynamic-market", the name of its file \(is "framework-call-off"\)/
    )
  })
  await t.test("an editor's hidden file is not data", async (t) => {
    const dir = catalogueCopy()
    writeFileSync(join(dir, 'procedures/.open-tender.json.swp'), 'not JSON')
    t.equal(loadCatalogue(dir).rulesetVersion, loadCatalogue().rulesetVersion)
  })
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
  const dir = brokenCopy('procedures/open-tender.json', (d) => {
    d.routes.pa2023.minimumWeeks = 99
  })
  expectFault(t, dir, 'procedures/open-tender.json', '/routes/pa2023/minimumWeeks', /more than typicalWeeks\.min/)
})

t.test('a procedure naming a RACI template that raci.json lacks is a fault', async (t) => {
  const dir = brokenCopy('procedures/innovation-partnership.json', (d) => {
    d.raciTemplate = 'no-such-template'
  })
  expectFault(t, dir, 'procedures/innovation-partnership.json', '/raciTemplate', /no RACI template "no-such-template" in raci\.json/)
})

t.test('a fault in the CPV 2008 list names the code', async (t) => {
  // The schema leaves the 9,454 tuples to a loop in invariants.ts: these are its faults.
  const cases: [string, (codes: unknown[][]) => void, string, RegExp][] = [
    ['a tuple of two', (codes) => codes[3]?.pop(), '/codes/3', /must be \[code, check digit, label\], three strings/],
    [
      'a short code',
      (codes) => {
        codes[4] = ['0311110', '3', 'Soya beans']
      },
      '/codes/4/0',
      /must be 8 digits/
    ],
    [
      'a check digit that is not a digit',
      (codes) => {
        codes[5] = ['03111200', 'x', 'Peanuts']
      },
      '/codes/5/1',
      /must be one digit/
    ],
    [
      'an empty label',
      (codes) => {
        codes[6] = ['03111300', '5', ' ']
      },
      '/codes/6/2',
      /must not be empty/
    ],
    ['a repeated code', (codes) => codes.splice(8, 0, codes[7] as unknown[]), '/codes/8/0', /03111400 is repeated/],
    [
      'codes out of order',
      (codes) => {
        ;[codes[9], codes[10]] = [codes[10] as unknown[], codes[9] as unknown[]]
      },
      '/codes/10/0',
      /03111600 is out of order \(after 03111700\)/
    ],
    ['a code without its division', (codes) => codes.shift(), '/codes/0/0', /03100000 has no division 03000000 listed/]
  ]
  for (const [name, edit, pointer, message] of cases) {
    await t.test(name, async (t) =>
      expectFault(
        t,
        brokenCopy('cpv-2008.json', (d) => edit(d.codes)),
        'cpv-2008.json',
        pointer,
        message
      )
    )
  }
  await t.test('a source without where it was taken from', async (t) => {
    const dir = brokenCopy('cpv-2008.json', (d) => {
      delete d.source.retrievedFrom
    })
    expectFault(t, dir, 'cpv-2008.json', '/source/retrievedFrom', /is required$/)
  })
})

t.test("the warning codes are the contract's, written out: renaming one in the code must fail here", async (t) => {
  t.same(WARNING_CODES, [
    'value-near-threshold',
    'timeline-too-short',
    'timeline-tight',
    'legacy-regime',
    'light-touch-from-category',
    'mixed-subject-matter',
    'psr-award-process',
    'no-cpv-code',
    'unconfirmed-facts',
    'urgency-justification',
    'psr-process-choice',
    'health-care-inputs-unused',
    'broad-cpv-code',
    'unknown-cpv-code',
    'cpv-check-digit'
  ])
  t.same([...loadCatalogue().warningMessages.keys()].sort(), [...WARNING_CODES].sort())
})

t.test('warnings.json has a message for each warning code of the contract and for no other', async (t) => {
  await t.test('a code the contract does not know', async (t) => {
    const dir = brokenCopy('warnings.json', (d) => {
      d.warnings[3].code = 'legacy-regimes'
    })
    expectFault(t, dir, 'warnings.json', '/warnings/3/code', /"legacy-regimes" is not a warning code of the contract/)
  })
  await t.test('a code without a message', async (t) => {
    const dir = brokenCopy('warnings.json', (d) => {
      d.warnings = d.warnings.filter((w: { code: string }) => w.code !== 'no-cpv-code')
    })
    expectFault(t, dir, 'warnings.json', '/warnings', /no message for warning "no-cpv-code"/)
  })
  await t.test('a code twice', async (t) => {
    const dir = brokenCopy('warnings.json', (d) => {
      d.warnings.push({ ...d.warnings[0] })
    })
    expectFault(t, dir, 'warnings.json', `/warnings/${WARNING_CODES.length}/code`, /duplicate warning code "value-near-threshold"/)
  })
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
  await t.rejects(buildApp(defaultConfig({ LOG_LEVEL: 'silent' }), { catalogueDir: dir, store: null }), {
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
      for (const limit of route.timeLimits) {
        t.ok(['confirmed', 'secondary', 'unconfirmed'].includes(limit.confidence), `${p.id} ${route.regime} ${limit.stage}`)
      }
    }
  }
  for (const th of c.thresholds) t.ok(th.legalBasis && th.source.citation && th.source.confidence, th.id)
})

t.test("a rule that takes one of the engine's own rule ids is a fault", async (t) => {
  const dir = brokenCopy('rules.json', (d) => {
    d.rules[3].id = 'no-legal-route'
  })
  expectFault(t, dir, 'rules.json', '/rules/3/id', /"no-legal-route" is reserved for the engine's own reasons/)
})

t.test('two grounds with one id in a rule are a fault (reasons name them by id)', async (t) => {
  const dir = brokenCopy('rules.json', (d) => {
    const i = d.rules.findIndex((r: { id: string }) => r.id === 'direct-award-ground')
    d.rules[i].grounds[1].id = d.rules[i].grounds[0].id
  })
  const i = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'rules.json'), 'utf8')).rules.findIndex(
    (r: { id: string }) => r.id === 'direct-award-ground'
  )
  expectFault(t, dir, 'rules.json', `/rules/${i}/grounds/1/id`, /duplicate ground id "extreme-urgency" in rule "direct-award-ground"/)
})

t.test("the direct award ground ids in rules.json are the profile's, and every one is read", async (t) => {
  const i = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'rules.json'), 'utf8')).rules.findIndex(
    (r: { id: string }) => r.id === 'direct-award-ground'
  )
  await t.test('a misspelt ground id in a condition', async (t) => {
    const dir = brokenCopy('rules.json', (d) => {
      const g = d.rules[i].grounds.find((x: { id: string }) => x.id === 'commodity-market')
      g.when.value = 'commodities'
    })
    const j = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'rules.json'), 'utf8')).rules[i].grounds.findIndex(
      (x: { id: string }) => x.id === 'commodity-market'
    )
    expectFault(t, dir, 'rules.json', `/rules/${i}/grounds/${j}/when/value`, /"commodities" is not a direct award ground id/)
  })
  await t.test('a ground id no rule reads (a claim of it would be ignored)', async (t) => {
    const dir = brokenCopy('rules.json', (d) => {
      // The extreme urgency ground claimed through constraints.urgency only.
      const g = d.rules[i].grounds.find((x: { id: string }) => x.id === 'extreme-urgency')
      g.when = g.when.any[0]
    })
    expectFault(t, dir, 'rules.json', '/rules', /no rule reads the direct award ground "extreme-urgency"/)
  })
  await t.test('two conditions of one ground with one id under the same regime', async (t) => {
    const dir = brokenCopy('rules.json', (d) => {
      const g = d.rules[i].grounds.find((x: { id: string }) => x.id === 'no-suitable-tenders')
      g.conditions[1].id = g.conditions[0].id
      g.conditions[1].regimes = ['pa2023']
    })
    const j = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'rules.json'), 'utf8')).rules[i].grounds.findIndex(
      (x: { id: string }) => x.id === 'no-suitable-tenders'
    )
    expectFault(
      t,
      dir,
      'rules.json',
      `/rules/${i}/grounds/${j}/conditions/1/id`,
      /duplicate condition or duty in ground "no-suitable-tenders" id/
    )
  })
})

t.test('psr-processes.json: every process of the contract once, each depending only on processes before it', async (t) => {
  await t.test('a process missing', async (t) => {
    const dir = brokenCopy('psr-processes.json', (d) => {
      d.processes = d.processes.filter((p: { id: string }) => p.id !== 'urgent-award')
    })
    expectFault(t, dir, 'psr-processes.json', '/processes', /process "urgent-award" is missing/)
  })
  await t.test('a process twice', async (t) => {
    const dir = brokenCopy('psr-processes.json', (d) => {
      d.processes.push(d.processes[0])
    })
    expectFault(t, dir, 'psr-processes.json', '/processes/6/id', /duplicate process id "direct-award-a"/)
  })
  await t.test('a process that reads the outcome of a later one', async (t) => {
    const dir = brokenCopy('psr-processes.json', (d) => {
      const [a, ...rest] = d.processes
      d.processes = [...rest.slice(0, 2), a, ...rest.slice(2)]
    })
    // direct-award-c (now second) reads whether direct-award-a holds, which is now evaluated after it.
    expectFault(
      t,
      dir,
      'psr-processes.json',
      '/processes/1/routes/0/conditions/0/when/all/0/value',
      /"direct-award-a" is not evaluated before "direct-award-c": list it earlier in the file/
    )
  })
  await t.test('an unknown process id', async (t) => {
    const dir = brokenCopy('psr-processes.json', (d) => {
      d.processes[0].id = 'direct-award-d'
    })
    expectFault(t, dir, 'psr-processes.json', '/processes/0/id', /must be equal to one of the allowed values|is not|must/)
  })
})

t.test('agreements.json has one kind per value of agreement.establishes, in order', async (t) => {
  const dir = brokenCopy('agreements.json', (d) => {
    d.kinds = d.kinds.slice(0, 2)
  })
  expectFault(t, dir, 'agreements.json', '/kinds', /must be exactly framework, open-framework, dynamic-market, in that order/)
})

t.test('two notes or refusals with one id in agreements.json are a fault (reports name them by id)', async (t) => {
  const dir = brokenCopy('agreements.json', (d) => {
    d.rules[2].id = d.rules[0].id
  })
  expectFault(t, dir, 'agreements.json', '/rules/2/id', /duplicate id "framework-award"/)
})

t.test('a note of agreements.json whose condition names an unknown fact is a fault', async (t) => {
  const dir = brokenCopy('agreements.json', (d) => {
    d.rules[0].when = { fact: 'agreement.termYears', op: 'gt', value: 4 }
  })
  try {
    loadCatalogue(dir)
    t.fail('expected a fault')
  } catch (err) {
    t.equal((err as CatalogueError).file, 'agreements.json')
    t.match((err as CatalogueError).pointer, /^\/rules\/0\/when/)
  }
})

t.test('every note and refusal of agreements.json carries a legal basis and a confidence', async (t) => {
  const c = loadCatalogue()
  for (const r of [...c.agreements.rules, ...c.agreements.refusals]) {
    t.ok(r.legalBasis.length > 0 && ['confirmed', 'secondary', 'unconfirmed'].includes(r.confidence), r.id)
  }
  // The thresholds of issue 14: concessions (Sch 1 rows 7 and 9) and s.85(3), for both types of authority.
  const ids = c.thresholds.map((x) => x.id)
  for (const kind of ['concession', 'light-touch-concession', 'works-suitability-stage']) {
    for (const year of ['2025-pa2023', '2026']) {
      for (const authority of ['central', 'sub-central']) t.ok(ids.includes(`${year}-${authority}-${kind}`), `${year}-${authority}-${kind}`)
    }
  }
})

t.test("the RACI roles a decision may name (schemas/decision.ts) are exactly raci.json's", async (t) => {
  // The request schema lists them so the OpenAPI document shows them; the data stays the source.
  const { RACI_ROLE_IDS } = await import('../schemas/decision.js')
  t.same(
    [...RACI_ROLE_IDS].sort(),
    loadCatalogue()
      .raciRoles.map((r) => r.id)
      .sort()
  )
})
