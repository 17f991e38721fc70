// A broad main CPV code never decides silently. The straddling codes are found here from the CPV
// 2008 list and the legal lists alone (not from the engine): a main code the list does not name,
// with narrower codes on both sides of the list's line. For every such code, on a profile where
// the line matters, the report must carry the broad-cpv-code warning naming the code, and either
// the main category settled it or `alternatives` gives the answer under the other reading.
import t from 'tap'
import fc from 'fast-check'
import { CATEGORIES } from '../schemas/profile.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CATALOGUE_DIR, loadCatalogue, type CpvList } from '../src/catalogue/load.js'
import { findCpv } from '../src/engine/classify.js'
import { createRecommender } from '../src/recommender.js'
import { validProfileWithStartDate } from './helpers/arbitraries.js'

const NOW = new Date('2026-11-25T10:00:00Z')
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000)
const catalogue = loadCatalogue()
const engine = createRecommender(catalogue)
const sel = catalogue.selection
const list = (id: string) => catalogue.cpvLists.get(id) as CpvList
const ALL_CODES = (JSON.parse(readFileSync(join(CATALOGUE_DIR, 'cpv-2008.json'), 'utf8')).codes as [string, string, string][]).map(
  ([code]) => ({ code })
)

/** Codes not on the list with narrower codes both on and off it. */
function straddling(l: CpvList): string[] {
  const on = (code: string) => findCpv(l, code) !== undefined
  return ALL_CODES.filter((e) => !on(e.code))
    .filter((e) => {
      const under = catalogue.cpv.descendants(e.code)
      return under.some((d) => on(d.code)) && under.some((d) => !on(d.code))
    })
    .map((e) => e.code)
}

const PSR = straddling(list(sel.psrCpvList))
const LIGHT_TOUCH = { pa2023: straddling(list(sel.lightTouchCpvLists.pa2023)), pcr2015: straddling(list(sel.lightTouchCpvLists.pcr2015)) }

t.test('the CPV hierarchy gives the straddling codes a reader would expect', async (t) => {
  t.ok(PSR.includes('85000000'), '85000000 Health and social work services straddles the PSR line')
  t.ok(PSR.includes('85300000'), '85300000 Social work services: 85312330 and 85312500 are PSR')
  t.notOk(PSR.includes('85100000'), '85100000 is named by PSR Sch 1 itself')
  t.ok(LIGHT_TOUCH.pa2023.includes('79000000'), '79000000 Business services straddles the light-touch line')
  t.notOk(LIGHT_TOUCH.pa2023.includes('85000000'), '85000000 is itself a light-touch service')
  t.notOk(LIGHT_TOUCH.pa2023.includes('72000000'), 'no IT service is light touch')
})

const line = (name: 'health-care' | 'light-touch', codes: string[]) =>
  fc.record({
    line: fc.constant(name),
    code: fc.constantFrom(...codes),
    profile: validProfileWithStartDate,
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined })
  })

t.test('a broad main code never decides silently', async (t) => {
  fc.assert(
    fc.property(fc.oneof(line('health-care', PSR), line('light-touch', LIGHT_TOUCH.pa2023)), ({ line, code, profile, category }) => {
      const p = {
        ...profile,
        authorityType: 'sub-central' as const,
        contract: {
          ...profile.contract,
          type: 'services' as const,
          cpvCodes: [code],
          ...(category ? { categories: [category] } : { categories: undefined })
        },
        constraints: {
          ...profile.constraints,
          startDate: profile.constraints!.startDate! < '2025-02-24' ? '2025-02-24' : profile.constraints!.startDate!
        }
      }
      if (p.contract.categories === undefined) delete p.contract.categories
      const result = engine.recommend(p, NOW)
      if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`)
      const r = result.report
      const warning = r.warnings.find((w) => w.code === 'broad-cpv-code')
      if (!warning?.message.includes(code)) throw new Error(`no broad-cpv-code warning naming ${code}`)
      const alternative = (r.alternatives ?? []).find((a) => a.line === line)
      const value = line === 'health-care' ? r.value.healthCare : r.value.lightTouch
      if (category !== undefined) {
        if (alternative) throw new Error('a category settled it, yet an alternative is shown')
        const why = line === 'health-care' ? r.regime.reason : r.value.lightTouchReason
        if (!why.includes(`category "${category}"`)) throw new Error(`the reason does not say the category decided: ${why}`)
        const onList = (line === 'health-care' ? sel.healthCareCategories : sel.lightTouchCategories).includes(category)
        if (value !== onList) throw new Error(`category ${category} should read ${line} as ${onList}`)
      } else {
        if (!alternative) throw new Error(`no alternative reading for ${code} on the ${line} line`)
        const other = line === 'health-care' ? alternative.value.healthCare : alternative.value.lightTouch
        if (other === value || alternative.reading !== other) throw new Error('the alternative does not take the other reading')
        if (line === 'health-care' && alternative.regime.id !== 'psr2023') throw new Error('the health-care reading must be the PSR')
      }
    }),
    { numRuns: RUNS }
  )
  t.pass(`held for ${RUNS} runs`)
})

t.test('codes outside the CPV 2008 list or with a wrong check digit are warned about, never refused', async (t) => {
  const result = engine.recommend(
    {
      contract: { type: 'services', estimatedValue: 500000, cpvCodes: ['72000000-4', '99999999', '85311000-2'] },
      constraints: { startDate: '2026-03-02' }
    },
    NOW
  )
  if (!result.ok) throw new Error('refused')
  const byCode = new Map(result.report.warnings.map((w) => [w.code, w.message]))
  t.match(
    byCode.get('cpv-check-digit'),
    /72000000-4 \(the list has 72000000-5 IT services: consulting, software development, Internet and support\)/
  )
  t.match(byCode.get('unknown-cpv-code'), /: 99999999\./)
  t.notMatch(byCode.get('cpv-check-digit'), /85311000/, 'a right check digit is not reported')
  t.match(
    result.report.regime.reason,
    /72000000 \(IT services: consulting, software development, Internet and support\)/,
    'reasons name the label'
  )
})
