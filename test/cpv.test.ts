// The CPV 2008 list (src/catalogue/cpv-2008.json) and its index (src/catalogue/cpv.ts): every
// official code with its check digit and English label, the hierarchy by trailing zeros, and the
// check of a profile's code (a warning for the engine, never a refusal).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CATALOGUE_DIR, loadCatalogue } from '../src/catalogue/load.js'
import { level, significantPrefix, type CpvCheck, type CpvTuple } from '../src/catalogue/cpv.js'
import { CPV_2008_CODE_COUNT, parseCpvSource, renderCpvFile, sortedCodes, type CpvFileSource } from '../src/scripts/refresh-cpv.js'

const { cpv, cpvSource } = loadCatalogue()
const fileText = readFileSync(join(CATALOGUE_DIR, 'cpv-2008.json'), 'utf8')
const file = JSON.parse(fileText) as { source: CpvFileSource; codes: CpvTuple[] }
const codes = file.codes.map(([code]) => code)

t.test('the list has every code of CPV 2008 once, in code order, with its source', async (t) => {
  t.equal(cpv.size, 9454)
  t.equal(CPV_2008_CODE_COUNT, 9454)
  t.equal(new Set(codes).size, 9454, 'no code is repeated')
  t.ok(
    codes.every((code, i) => i === 0 || (codes[i - 1] as string) < code),
    'in ascending code order'
  )
  const byLevel = { division: 0, group: 0, class: 0, category: 0 }
  for (const code of codes) byLevel[level(code)]++
  t.same(byLevel, { division: 45, group: 272, class: 1002, category: 8135 })

  t.match(cpvSource.citation, /Regulation \(EC\) No 213\/2008/)
  t.match(cpvSource.citation, /OJ L 74, 15\.3\.2008/)
  t.equal(cpvSource.retrievedFrom, 'openprocurement/standards@a0f4c8aff81405b0fda9e2376e2fdcc8c69132df:classifiers/cpv/en.json')
  t.equal(cpvSource.retrieved, '2026-11-26')
  t.equal(cpvSource.confidence, 'secondary', 'a republication of the list, cross-checked, not the Official Journal itself')
})

t.test('known codes have their official check digit, label and level', async (t) => {
  t.same(cpv.get('85000000'), { code: '85000000', checkDigit: '9', label: 'Health and social work services', level: 'division' })
  t.same(cpv.get('85100000'), { code: '85100000', checkDigit: '0', label: 'Health services', level: 'group' })
  t.same(cpv.get('85310000'), { code: '85310000', checkDigit: '5', label: 'Social work services', level: 'class' })
  t.same(cpv.get('85311000'), { code: '85311000', checkDigit: '2', label: 'Social work services with accommodation', level: 'category' })
  t.same(cpv.get('03000000'), {
    code: '03000000',
    checkDigit: '1',
    label: 'Agricultural, farming, fishing, forestry and related products',
    level: 'division'
  })
  t.equal(cpv.get('72000000')?.checkDigit, '5')
  t.equal(cpv.get('98910000')?.label, 'Services specific to international organisations and bodies', 'the last code')
  t.equal(cpv.get('99999999'), undefined)
  t.equal(cpv.get('8500000'), undefined, 'not 8 digits')
})

t.test('significant prefix and level come from the trailing zeros', async (t) => {
  for (const [code, prefix, lvl] of [
    ['85000000', '85', 'division'],
    ['85100000', '851', 'group'],
    ['85310000', '8531', 'class'],
    ['85311000', '85311', 'category'],
    ['85311100', '853111', 'category'],
    ['30192121', '30192121', 'category'],
    ['10000000', '10', 'division'],
    ['00000000', '00', 'division']
  ] as const) {
    t.equal(significantPrefix(code), prefix, code)
    t.equal(level(code), lvl, code)
  }
})

t.test('a profile code is checked against the list: ok, unknown or a wrong check digit', async (t) => {
  const expected: [string, CpvCheck, string][] = [
    ['85311000-2', 'ok', ''],
    ['85311000', 'ok', 'no check digit given: nothing to contradict'],
    ['72000000-5', 'ok', ''],
    ['85100000-0', 'ok', ''],
    ['85311000-3', 'bad-check-digit', ''],
    ['85000000-0', 'bad-check-digit', ''],
    ['99999999', 'unknown', ''],
    ['99999999-9', 'unknown', ''],
    ['85311999-1', 'unknown', 'under a listed code, but not listed'],
    ['8531100', 'unknown', 'not of the profile form'],
    ['85311000-', 'unknown', 'not of the profile form'],
    // Official digits that the nearest weighted-sum formula (weights 3,7,1 mod 10) gets wrong: the
    // listed digit is the reference, so these pass.
    ...['72400000-4', '85210000-3', '03300000-2', '09100000-0', '42100000-0'].map((c): [string, CpvCheck, string] => [
      c,
      'ok',
      'off the formula'
    ])
  ]
  for (const [input, check, why] of expected) t.equal(cpv.checkCode(input), check, `${input} ${why}`)
})

t.test('descendants, parent and broad codes follow the hierarchy', async (t) => {
  const under85 = cpv.descendants('85000000').map((e) => e.code)
  t.ok(under85.includes('85100000') && under85.includes('85311000'))
  t.notOk(under85.includes('85000000'), 'not itself')
  t.equal(under85.length, codes.filter((c) => c.startsWith('85')).length - 1)
  t.ok(
    under85.every((c) => c.startsWith('85')),
    'all in division 85'
  )
  t.same(
    cpv.descendants('85311000').map((e) => e.code),
    ['85311100', '85311200', '85311300']
  )
  t.same(cpv.descendants('85311100'), [])
  t.same(cpv.descendants('99999999'), [])

  for (const [code, parent, why] of [
    ['85311000', '85310000', ''],
    ['85310000', '85300000', ''],
    ['85300000', '85000000', ''],
    ['85000000', undefined, 'a division has none'],
    ['30192121', '30192100', 'skips 30192120, which the list does not have'],
    ['85311999', '85311000', 'an unlisted code gets its nearest listed ancestor']
  ] as const) {
    t.equal(cpv.parent(code)?.code, parent, `${code} ${why}`)
  }

  for (const [code, broad, why] of [
    ['85000000', true, 'division'],
    ['85100000', true, 'group'],
    ['85310000', true, 'class'],
    ['85311000', false, 'a category, even with codes under it'],
    ['09230000', false, 'a class with nothing listed under it'],
    ['98200000', false, 'a group with nothing listed under it'],
    ['99999999', false, 'unknown']
  ] as const) {
    t.equal(cpv.isBroad(code), broad, `${code} ${why}`)
  }
})

t.test("every code's parent chain reaches its own listed division", async (t) => {
  const skipsALevel: string[] = []
  for (const code of codes) {
    let top = cpv.get(code)
    for (let up = cpv.parent(code); up; up = cpv.parent(up.code)) top = up
    if (top?.level !== 'division' || top.code.slice(0, 2) !== code.slice(0, 2)) t.fail(`${code} does not reach its division`)
    const parent = cpv.parent(code)
    if (parent && significantPrefix(parent.code).length < significantPrefix(code).length - 1) skipsALevel.push(code)
  }
  // The list's own gaps, recorded in the note of cpv-2008.json: parent() climbs over them.
  t.equal(skipsALevel.length, 35)
  t.same(skipsALevel.slice(0, 8), ['30192121', '30192122', '30192123', '30192124', '30192125', '30192126', '30192127', '34511100'])
  t.same(skipsALevel.slice(-3), ['44115310', '44613110', '60112000'])
})

t.test('the light-touch and PSR lists name only codes of CPV 2008', async (t) => {
  const lists = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'cpv-lists.json'), 'utf8')) as {
    lists: { id: string; entries: { from: string; to: string }[] }[]
  }
  t.same(
    lists.lists.map((l) => l.id),
    ['light-touch-pa2023', 'light-touch-pcr2015', 'psr-health-care']
  )
  const missing = lists.lists.flatMap((l) => l.entries.flatMap((e) => [e.from, e.to]).filter((code) => !cpv.get(code)))
  t.same(missing, [])
})

t.test('the refresh script rebuilds the committed file from its source', async (t) => {
  t.equal(renderCpvFile(file.source, sortedCodes(file.codes)), fileText, 'the committed file is what the script writes')

  const json = '\uFEFF{"85311000-2": "Social work services with accommodation", "03000000-1": " Agricultural,\\n farming "}'
  t.same(parseCpvSource(json), [
    ['85311000', '2', 'Social work services with accommodation'],
    ['03000000', '1', 'Agricultural, farming']
  ])
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<CPV_CODE>
  <CPV CODE="03131300-1"><TEXT LANG="BG">Мате</TEXT><TEXT LANG="EN">Mat&#233;</TEXT></CPV>
  <CPV CODE="15332200-6"><TEXT LANG="EN">Jams &amp; marmalades</TEXT><TEXT LANG="FR">Confitures</TEXT></CPV>
</CPV_CODE>`
  t.same(parseCpvSource(xml), [
    ['03131300', '1', 'Maté'],
    ['15332200', '6', 'Jams & marmalades']
  ])

  t.throws(() => parseCpvSource('{"85311000": "no check digit"}'), /not a CPV code with its check digit/)
  t.throws(() => parseCpvSource('{"85311000-2": ""}'), /no English label/)
  t.throws(() => parseCpvSource('<CPV CODE="85311000-2"><TEXT LANG="FR">Services</TEXT></CPV>'), /no <TEXT LANG="EN">/)
  t.throws(() => parseCpvSource('85311000-2;Social work'), /neither JSON nor XML/)
  t.throws(
    () =>
      sortedCodes([
        ['85311000', '2', 'a'],
        ['85311000', '2', 'a']
      ]),
    /85311000 is given twice/
  )
})
