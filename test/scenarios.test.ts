// Golden scenarios: plain-JSON cases in test/scenarios/*.json that a procurement officer can read
// and extend (format in test/scenarios/README.md). Each scenario runs through the engine with a
// fixed clock and every expectation is asserted with the scenario's name in the message.
// The file set as a whole must cover every procedure at rank 1, every regime and >= 40 cases.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROCEDURE_IDS, PSR_PROCESS_IDS, REGIME_IDS, WARNING_CODES } from '../schemas/common.js'
import { ProcurementProfileSchema, type ProcurementProfile } from '../schemas/profile.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import { createAjv } from '../src/validation.js'

const NOW = new Date('2026-11-25T10:00:00Z')
const MIN_SCENARIOS = 40
const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url))

/** Every key an `expect` block may hold. Anything else is a typo and fails the run. */
const EXPECT_KEYS = [
  'regime',
  'top',
  'recommended',
  'notRecommended',
  'excludedBy',
  'aboveThreshold',
  'lightTouch',
  'healthCare',
  'threshold',
  'warnings',
  'absentWarnings',
  'topFeasible',
  'topLegalRoute',
  'topCites',
  'topRuleIds',
  'excludedByRule',
  'psrProcess',
  'psrProcesses',
  'psrProcessCites',
  'alternatives',
  'rules',
  'absentRules',
  'topFit',
  'notExcluded',
  'toConfirm',
  'grounds',
  'psrToConfirm',
  'assumed',
  'firstQuestion',
  'error',
  'notCovered'
] as const
const SCENARIO_KEYS = ['name', 'why', 'profile', 'expect'] as const
const THRESHOLD_KEYS = ['amount', 'kind'] as const
const LEGAL_ROUTE_KEYS = ['regime', 'name', 'legalBasis'] as const
const FEASIBLE = ['yes', 'tight', 'no', 'unknown'] as const
const PROCESS_STATUSES = ['mandatory', 'available', 'not-available'] as const

interface Expect {
  regime?: string
  top?: string
  recommended?: string[]
  notRecommended?: string[]
  excludedBy?: Record<string, string>
  aboveThreshold?: boolean
  lightTouch?: boolean
  healthCare?: boolean
  threshold?: { amount?: number; kind?: string }
  warnings?: string[]
  absentWarnings?: string[]
  topFeasible?: string
  topLegalRoute?: { regime?: string; name?: string; legalBasis?: string }
  topCites?: string[]
  topRuleIds?: string[]
  excludedByRule?: Record<string, string>
  psrProcess?: string
  psrProcesses?: Record<string, string>
  psrProcessCites?: string[]
  alternatives?: { line: string; regime: string; top: string }[]
  rules?: string[]
  absentRules?: string[]
  topFit?: string
  notExcluded?: string[]
  toConfirm?: Record<string, string[]>
  grounds?: Record<string, string>
  psrToConfirm?: Record<string, string[]>
  assumed?: string[]
  firstQuestion?: string
  error?: string
  notCovered?: string
}
interface Scenario {
  name: string
  why: string
  profile: ProcurementProfile
  expect: Expect
}
interface Loaded {
  file: string
  scenario: Scenario
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const procedureIds: readonly string[] = PROCEDURE_IDS
const regimeIds: readonly string[] = REGIME_IDS
const warningCodes: readonly string[] = WARNING_CODES
const processIds: readonly string[] = PSR_PROCESS_IDS

const catalogue = loadCatalogue()
/** The ids of the notes of the report's agreement and concession sections (agreements.json). */
const noteIds: readonly string[] = catalogue.agreements.rules.map((r) => r.id)

/** Checks one scenario's shape; returns the problems found (empty when well formed). */
function shapeProblems(raw: unknown, validateProfile: (p: unknown) => boolean, profileErrors: () => string): string[] {
  const problems: string[] = []
  if (!isObject(raw)) return ['is not an object']
  for (const key of Object.keys(raw)) {
    if (!(SCENARIO_KEYS as readonly string[]).includes(key)) problems.push(`unknown scenario key "${key}"`)
  }
  if (typeof raw.name !== 'string' || raw.name.trim() === '') problems.push('"name" must be a non-empty string')
  if (typeof raw.why !== 'string' || raw.why.trim() === '') problems.push('"why" must be a non-empty string explaining the legal reasoning')
  if (!isObject(raw.profile)) problems.push('"profile" must be an object')
  else {
    if (!validateProfile(raw.profile)) problems.push(`"profile" is not a valid ProcurementProfile: ${profileErrors()}`)
    const constraints = raw.profile.constraints
    if (!isObject(constraints) || typeof constraints.startDate !== 'string') {
      problems.push(
        '"profile.constraints.startDate" is required in a scenario (otherwise the result would depend on the day the test runs)'
      )
    }
  }
  const e = raw.expect
  if (!isObject(e)) return [...problems, '"expect" must be an object']
  for (const key of Object.keys(e)) {
    if (!(EXPECT_KEYS as readonly string[]).includes(key)) problems.push(`unknown expect key "${key}" (allowed: ${EXPECT_KEYS.join(', ')})`)
  }
  const refusal = 'error' in e ? 'error' : 'notCovered' in e ? 'notCovered' : undefined
  if (refusal !== undefined) {
    if (typeof e[refusal] !== 'string') problems.push(`"expect.${refusal}" must be a JSON pointer string`)
    const others = Object.keys(e).filter((k) => k !== refusal)
    if (others.length > 0) problems.push(`"expect.${refusal}" cannot be combined with other expectations (${others.join(', ')})`)
  } else {
    if (typeof e.regime !== 'string') problems.push('"expect.regime" is required (or "expect.error" or "expect.notCovered")')
    if (typeof e.top !== 'string') problems.push('"expect.top" is required (or "expect.error" or "expect.notCovered")')
  }
  if (e.regime !== undefined && !regimeIds.includes(e.regime as string)) {
    problems.push(`"expect.regime" ${JSON.stringify(e.regime)} is not a regime id`)
  }
  if (e.top !== undefined && !procedureIds.includes(e.top as string)) {
    problems.push(`"expect.top" ${JSON.stringify(e.top)} is not a procedure id`)
  }
  for (const key of ['recommended', 'notRecommended', 'notExcluded'] as const) {
    if (e[key] === undefined) continue
    if (!isStringArray(e[key])) problems.push(`"expect.${key}" must be an array of procedure ids`)
    else for (const id of e[key]) if (!procedureIds.includes(id)) problems.push(`"expect.${key}" has unknown procedure id "${id}"`)
  }
  for (const key of ['aboveThreshold', 'lightTouch', 'healthCare'] as const) {
    if (e[key] !== undefined && typeof e[key] !== 'boolean') problems.push(`"expect.${key}" must be true or false`)
  }
  for (const key of ['toConfirm', 'psrToConfirm'] as const) {
    const v = e[key]
    if (v !== undefined && (!isObject(v) || !Object.values(v).every(isStringArray))) {
      problems.push(`"expect.${key}" must map ids to arrays of JSON pointers`)
    }
  }
  if (
    e.grounds !== undefined &&
    (!isObject(e.grounds) || !Object.values(e.grounds).every((x) => ['holds', 'fails', 'toConfirm'].includes(x as string)))
  ) {
    problems.push('"expect.grounds" must map ground ids to holds, fails or toConfirm')
  }
  if (e.assumed !== undefined && !isStringArray(e.assumed)) problems.push('"expect.assumed" must be an array of JSON pointers')
  for (const key of ['topFit', 'firstQuestion'] as const) {
    if (e[key] !== undefined && typeof e[key] !== 'string') problems.push(`"expect.${key}" must be a string`)
  }
  if (e.threshold !== undefined) {
    if (!isObject(e.threshold)) problems.push('"expect.threshold" must be an object')
    else {
      for (const key of Object.keys(e.threshold)) {
        if (!(THRESHOLD_KEYS as readonly string[]).includes(key)) problems.push(`unknown expect.threshold key "${key}"`)
      }
      if (e.threshold.amount !== undefined && typeof e.threshold.amount !== 'number') {
        problems.push('"expect.threshold.amount" must be a number')
      }
      if (e.threshold.kind !== undefined && typeof e.threshold.kind !== 'string') problems.push('"expect.threshold.kind" must be a string')
    }
  }
  for (const key of ['excludedBy', 'excludedByRule'] as const) {
    if (e[key] === undefined) continue
    if (!isObject(e[key])) {
      problems.push(`"expect.${key}" must map procedure ids to strings`)
      continue
    }
    for (const [id, value] of Object.entries(e[key])) {
      if (!procedureIds.includes(id)) problems.push(`"expect.${key}" has unknown procedure id "${id}"`)
      if (typeof value !== 'string') problems.push(`"expect.${key}.${id}" must be a string`)
    }
  }
  if (e.psrProcess !== undefined && !processIds.includes(e.psrProcess as string)) {
    problems.push(`"expect.psrProcess" ${JSON.stringify(e.psrProcess)} is not a PSR process id`)
  }
  if (e.psrProcesses !== undefined) {
    if (!isObject(e.psrProcesses)) problems.push('"expect.psrProcesses" must map PSR process ids to statuses')
    else {
      for (const [id, status] of Object.entries(e.psrProcesses)) {
        if (!processIds.includes(id)) problems.push(`"expect.psrProcesses" has unknown process id "${id}"`)
        if (!(PROCESS_STATUSES as readonly unknown[]).includes(status)) {
          problems.push(`"expect.psrProcesses.${id}" must be one of ${PROCESS_STATUSES.join(', ')}`)
        }
      }
    }
  }
  for (const key of ['warnings', 'absentWarnings', 'topCites', 'topRuleIds', 'psrProcessCites', 'rules', 'absentRules'] as const) {
    if (e[key] !== undefined && !isStringArray(e[key])) problems.push(`"expect.${key}" must be an array of strings`)
  }
  // A misspelt note id in absentRules would otherwise pass silently.
  for (const key of ['rules', 'absentRules'] as const) {
    if (isStringArray(e[key])) {
      for (const id of e[key]) {
        if (!noteIds.includes(id)) problems.push(`"expect.${key}" has unknown note id "${id}" (agreements.json rules)`)
      }
    }
  }
  // A misspelt code in absentWarnings would otherwise pass silently.
  for (const key of ['warnings', 'absentWarnings'] as const) {
    if (isStringArray(e[key])) {
      for (const code of e[key]) if (!warningCodes.includes(code)) problems.push(`"expect.${key}" has unknown warning code "${code}"`)
    }
  }
  if (e.topFeasible !== undefined && !(FEASIBLE as readonly unknown[]).includes(e.topFeasible)) {
    problems.push(`"expect.topFeasible" must be one of ${FEASIBLE.join(', ')}`)
  }
  if (e.topLegalRoute !== undefined) {
    if (!isObject(e.topLegalRoute)) problems.push('"expect.topLegalRoute" must be an object')
    else {
      for (const key of Object.keys(e.topLegalRoute)) {
        if (!(LEGAL_ROUTE_KEYS as readonly string[]).includes(key)) problems.push(`unknown expect.topLegalRoute key "${key}"`)
      }
    }
  }
  if (e.alternatives !== undefined) {
    if (!Array.isArray(e.alternatives)) problems.push('"expect.alternatives" must be an array')
    else {
      for (const a of e.alternatives as unknown[]) {
        if (!isObject(a) || Object.keys(a).sort().join() !== 'line,regime,top') {
          problems.push('"expect.alternatives" entries must be { "line", "regime", "top" }')
        } else if (!['health-care', 'light-touch'].includes(a.line as string)) {
          problems.push(`unknown alternative line ${JSON.stringify(a.line)}`)
        } else if (!regimeIds.includes(a.regime as string) || !procedureIds.includes(a.top as string)) {
          problems.push(`"expect.alternatives" has an unknown regime or procedure id`)
        }
      }
    }
  }
  return problems
}

function loadScenarios(): Loaded[] {
  const ajv = createAjv()
  const validate = ajv.compile(ProcurementProfileSchema as object)
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
  const loaded: Loaded[] = []
  const problems: string[] = []
  const names = new Map<string, string>()
  for (const file of files) {
    let doc: unknown
    try {
      doc = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8'))
    } catch (err) {
      problems.push(`${file}: not valid JSON: ${(err as Error).message}`)
      continue
    }
    if (!isObject(doc) || !Array.isArray(doc.scenarios) || Object.keys(doc).some((k) => k !== 'scenarios')) {
      problems.push(`${file}: must be { "scenarios": [ ... ] } and nothing else`)
      continue
    }
    doc.scenarios.forEach((raw: unknown, i: number) => {
      const label = `${file} scenario ${i}${isObject(raw) && typeof raw.name === 'string' ? ` "${raw.name}"` : ''}`
      for (const p of shapeProblems(
        raw,
        (x) => validate(x) as boolean,
        () => ajv.errorsText(validate.errors)
      )) {
        problems.push(`${label}: ${p}`)
      }
      const scenario = raw as Scenario
      if (typeof scenario?.name === 'string') {
        const seen = names.get(scenario.name)
        if (seen) problems.push(`${label}: duplicate name (also in ${seen})`)
        names.set(scenario.name, file)
      }
      loaded.push({ file, scenario })
    })
  }
  if (problems.length > 0) throw new Error(`Malformed scenario files:\n  ${problems.join('\n  ')}`)
  return loaded
}

const recommender = createRecommender(catalogue)
const all = loadScenarios()

t.test('the scenario files are well formed', async (t) => {
  // loadScenarios() throws on any malformed scenario, so reaching here means they all passed.
  t.ok(all.length > 0, 'at least one scenario file with scenarios')
})

for (const { file, scenario } of all) {
  const { name, profile, expect: e } = scenario
  t.test(`${file}: ${name}`, async (t) => {
    const at = `[${name}]`
    const result = recommender.recommend(profile, NOW)
    if (e.error !== undefined) {
      t.equal(result.ok, false, `${at} the engine must refuse the profile`)
      if (!result.ok) {
        t.equal(result.error.pointer, e.error, `${at} error pointer`)
        t.notOk(result.error.notCovered, `${at} refused as invalid (400), not as not covered (422)`)
      }
      return
    }
    if (e.notCovered !== undefined) {
      t.equal(result.ok, false, `${at} the engine must refuse the profile as not covered`)
      if (!result.ok) {
        t.equal(result.error.pointer, e.notCovered, `${at} pointer of the field not covered`)
        t.equal(result.error.notCovered, true, `${at} refused as not covered (422), not as invalid (400)`)
      }
      return
    }
    if (!result.ok) {
      t.fail(`${at} the engine refused the profile: ${result.error.pointer} ${result.error.message}`)
      return
    }
    const r = result.report
    const top = r.recommendations[0]!
    const recommendedIds = r.recommendations.map((x) => x.procedureId as string)
    const notRecommendedIds = r.notRecommended.map((x) => x.procedureId as string)
    const codes: string[] = r.warnings.map((w) => w.code)

    if (e.regime !== undefined) t.equal(r.regime.id, e.regime, `${at} regime`)
    if (e.top !== undefined) t.equal(top.procedureId, e.top, `${at} rank 1 procedure (ranking: ${recommendedIds.join(', ')})`)
    for (const id of e.recommended ?? []) {
      t.ok(recommendedIds.includes(id), `${at} ${id} is recommended (recommended: ${recommendedIds.join(', ')})`)
    }
    for (const id of e.notRecommended ?? []) {
      t.ok(notRecommendedIds.includes(id), `${at} ${id} is not recommended (not recommended: ${notRecommendedIds.join(', ')})`)
    }
    for (const [id, factor] of Object.entries(e.excludedBy ?? {})) {
      const entry = r.notRecommended.find((x) => x.procedureId === id)
      const factors = (entry?.reasons ?? []).filter((x) => x.effect === 'excludes').map((x) => x.factor)
      t.ok(factors.includes(factor), `${at} ${id} is excluded by ${factor} (excluding factors: ${factors.join(', ') || 'none'})`)
    }
    if (e.aboveThreshold !== undefined) t.equal(r.value.aboveThreshold, e.aboveThreshold, `${at} value.aboveThreshold`)
    if (e.lightTouch !== undefined) t.equal(r.value.lightTouch, e.lightTouch, `${at} value.lightTouch`)
    if (e.healthCare !== undefined) t.equal(r.value.healthCare, e.healthCare, `${at} value.healthCare`)
    if (e.threshold?.amount !== undefined) t.equal(r.value.threshold.amount, e.threshold.amount, `${at} threshold amount`)
    if (e.threshold?.kind !== undefined) t.equal(r.value.threshold.kind, e.threshold.kind, `${at} threshold kind`)
    for (const code of e.warnings ?? []) {
      t.ok(codes.includes(code), `${at} warning ${code} is present (warnings: ${codes.join(', ') || 'none'})`)
    }
    for (const code of e.absentWarnings ?? []) {
      t.notOk(codes.includes(code), `${at} warning ${code} is absent (warnings: ${codes.join(', ') || 'none'})`)
    }
    if (e.topFeasible !== undefined) t.equal(top.timeline.feasible, e.topFeasible, `${at} timeline.feasible of rank 1 (${top.procedureId})`)
    for (const [key, value] of Object.entries(e.topLegalRoute ?? {})) {
      t.equal(top.legalRoute[key as keyof typeof top.legalRoute], value, `${at} legalRoute.${key} of rank 1 (${top.procedureId})`)
    }
    if (e.alternatives !== undefined) {
      const got = (r.alternatives ?? []).map((a) => ({ line: a.line, regime: a.regime.id, top: a.recommendations[0]!.procedureId }))
      t.same(got, e.alternatives, `${at} alternatives (other readings of a broad main CPV code)`)
    }
    const notes = [...(r.agreement?.rules ?? []), ...(r.concession?.rules ?? [])].map((x) => x.ruleId)
    for (const id of e.rules ?? []) {
      t.ok(notes.includes(id), `${at} the report notes ${id} (notes: ${notes.join(', ') || 'none'})`)
    }
    for (const id of e.absentRules ?? []) {
      t.notOk(notes.includes(id), `${at} the report does not note ${id} (notes: ${notes.join(', ') || 'none'})`)
    }
    const cited = top.reasons.map((x) => x.legalBasis).filter((x): x is string => x !== undefined)
    for (const basis of e.topCites ?? []) {
      t.ok(cited.includes(basis), `${at} rank 1 (${top.procedureId}) cites "${basis}" (cites: ${cited.join(' | ') || 'nothing'})`)
    }
    const ruleIds = top.reasons.map((x) => x.ruleId)
    for (const id of e.topRuleIds ?? []) {
      t.ok(ruleIds.includes(id), `${at} rank 1 (${top.procedureId}) has a reason from ${id} (rules: ${ruleIds.join(', ')})`)
    }
    for (const [id, ruleId] of Object.entries(e.excludedByRule ?? {})) {
      const entry = r.notRecommended.find((x) => x.procedureId === id)
      const rules = (entry?.reasons ?? []).filter((x) => x.effect === 'excludes').map((x) => x.ruleId)
      t.ok(rules.includes(ruleId), `${at} ${id} is excluded by ${ruleId} (excluding rules: ${rules.join(', ') || 'none'})`)
    }
    if (e.topFit !== undefined) t.equal(top.fit, e.topFit, `${at} fit of rank 1 (${top.procedureId})`)
    for (const id of e.notExcluded ?? []) {
      const entry = r.notRecommended.find((x) => x.procedureId === id)
      const against = (entry?.reasons ?? []).filter((x) => x.effect === 'excludes').map((x) => x.text)
      t.same(against, [], `${at} ${id} is not excluded`)
    }
    // What is to confirm: each pointer listed is among the procedure's conditions to confirm; an
    // empty list says it has none.
    for (const [id, pointers] of Object.entries(e.toConfirm ?? {})) {
      const entry = [...r.recommendations, ...r.notRecommended].find((x) => x.procedureId === id)
      const got = (entry?.toConfirm ?? []).map((c) => c.pointer ?? '(no field)')
      if (pointers.length === 0) t.same(got, [], `${at} ${id} has nothing to confirm`)
      for (const pointer of pointers) {
        t.ok(got.includes(pointer), `${at} ${id} has a condition to confirm at ${pointer} (to confirm: ${got.join(', ') || 'none'})`)
      }
    }
    const direct = [...r.recommendations, ...r.notRecommended].find((x) => x.procedureId === 'direct-award')
    for (const [id, status] of Object.entries(e.grounds ?? {})) {
      const ground = direct?.grounds?.find((g) => g.id === id)
      t.equal(
        ground?.status,
        status,
        `${at} the direct award ground ${id} (grounds: ${(direct?.grounds ?? []).map((g) => `${g.id} ${g.status}`).join(', ') || 'none'})`
      )
      t.ok(ground === undefined || ground.evidence !== undefined, `${at} the ground ${id} says what the record must show`)
    }
    const assumed = (r.assumedInputs ?? []).map((a) => a.pointer)
    for (const pointer of e.assumed ?? []) {
      t.ok(assumed.includes(pointer), `${at} ${pointer} is listed as assumed (assumed: ${assumed.join(', ') || 'none'})`)
    }
    if (e.firstQuestion !== undefined) {
      t.equal(
        r.questions?.[0]?.pointer,
        e.firstQuestion,
        `${at} the first question (questions: ${(r.questions ?? []).map((q) => q.pointer).join(', ') || 'none'})`
      )
    }
    const processes = r.recommendations.find((x) => x.procedureId === 'provider-selection-regime')?.processes ?? []
    for (const [id, pointers] of Object.entries(e.psrToConfirm ?? {})) {
      const got = (processes.find((p) => p.id === id)?.toConfirm ?? []).map((c) => c.pointer ?? '(no field)')
      if (pointers.length === 0) t.same(got, [], `${at} the PSR process ${id} has nothing to confirm`)
      for (const pointer of pointers) {
        t.ok(
          got.includes(pointer),
          `${at} the PSR process ${id} has a condition to confirm at ${pointer} (to confirm: ${got.join(', ') || 'none'})`
        )
      }
    }
    if (e.psrProcess !== undefined) {
      t.equal(
        top.legalRoute.process?.id,
        e.psrProcess,
        `${at} the PSR process (ranking: ${processes
          .filter((p) => p.rank)
          .map((p) => p.id)
          .join(', ')})`
      )
    }
    for (const [id, status] of Object.entries(e.psrProcesses ?? {})) {
      t.equal(processes.find((p) => p.id === id)?.status, status, `${at} status of the PSR process ${id}`)
    }
    const first = processes[0]
    const processCites = (first?.reasons ?? []).map((x) => x.legalBasis)
    for (const basis of e.psrProcessCites ?? []) {
      t.ok(processCites.includes(basis), `${at} the first PSR process (${first?.id}) cites "${basis}" (cites: ${processCites.join(' | ')})`)
    }
  })
}

t.test('the scenario set covers the catalogue', async (t) => {
  const ok = all.filter(({ scenario }) => scenario.expect.error === undefined && scenario.expect.notCovered === undefined)
  t.ok(all.length >= MIN_SCENARIOS, `at least ${MIN_SCENARIOS} scenarios (found ${all.length})`)
  const tops = new Set(ok.map(({ scenario }) => scenario.expect.top))
  for (const id of PROCEDURE_IDS) t.ok(tops.has(id), `${id} is the expected rank 1 of at least one scenario`)
  const regimes = new Set(ok.map(({ scenario }) => scenario.expect.regime))
  for (const id of REGIME_IDS) t.ok(regimes.has(id), `regime ${id} is expected in at least one scenario`)
  t.ok(
    all.some(({ scenario }) => scenario.expect.error !== undefined),
    'at least one scenario expects the engine to refuse a profile'
  )
  t.ok(
    all.some(({ scenario }) => scenario.expect.notCovered !== undefined),
    'at least one scenario expects a profile the service does not cover'
  )
  // Every PSR process is the expected first process of a scenario, and every direct award ground
  // holds at rank 1 in a scenario of each regime that has it.
  const firstProcesses = new Set(ok.map(({ scenario }) => scenario.expect.psrProcess))
  for (const id of PSR_PROCESS_IDS) t.ok(firstProcesses.has(id), `the PSR process ${id} is the expected first process of a scenario`)
  const grounds = catalogue.rules.find((r) => r.id === 'direct-award-ground')
  if (grounds?.kind !== 'require-any') throw new Error('rules.json has no require-any rule direct-award-ground')
  for (const regime of ['pcr2015', 'pa2023'] as const) {
    for (const g of grounds.grounds.filter((x) => !x.regimes || x.regimes.includes(regime))) {
      const ruleId = `direct-award-ground/${g.id}`
      t.ok(
        ok.some(({ scenario: { expect: e } }) => e.regime === regime && e.top === 'direct-award' && e.topRuleIds?.includes(ruleId)),
        `a ${regime} scenario expects a direct award on the ground ${g.id} (topRuleIds ${ruleId})`
      )
    }
  }
})
