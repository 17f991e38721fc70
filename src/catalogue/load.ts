// Loads the catalogue data files once at start: validates each against its schema, checks the
// invariants that span files, and compiles what the engine needs. Any fault throws a
// CatalogueError naming the file and the JSON pointer of the fault.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TSchema } from 'typebox'
import { PROCEDURE_IDS, REGIME_IDS, type ProcedureId, type RegimeId, type RaciMatrix } from '../../schemas/common.js'
import type { Procedure, ProcedureData } from '../../schemas/procedure.js'
import type { Threshold } from '../../schemas/threshold.js'
import Value from 'typebox/value'
import {
  CpvListsFileSchema,
  ProceduresFileSchema,
  RaciFileSchema,
  RegimesFileSchema,
  RulesFileSchema,
  RulesetFileSchema,
  ThresholdsFileSchema,
  WarningsFileSchema,
  type Rule
} from './schema.js'
import type Type from 'typebox'

export const CATALOGUE_DIR = dirname(fileURLToPath(import.meta.url))

export class CatalogueError extends Error {
  override name = 'CatalogueError'
  constructor(
    readonly file: string,
    readonly pointer: string,
    detail: string
  ) {
    super(`Catalogue file ${file} is invalid at ${pointer || '/'}: ${detail}`)
  }
}

type RegimesFile = Type.Static<typeof RegimesFileSchema>
type RaciFile = Type.Static<typeof RaciFileSchema>
type RulesFile = Type.Static<typeof RulesFileSchema>
type WarningsFile = Type.Static<typeof WarningsFileSchema>

export interface CpvRange {
  from: number
  to: number
  label: string
  limitation?: string
}
export interface CpvList {
  id: string
  name: string
  citation: string
  confidence: string
  ranges: CpvRange[]
}

export interface Catalogue {
  rulesetVersion: string
  regimes: RegimesFile['regimes']
  regimeById: Map<RegimeId, RegimesFile['regimes'][number]>
  selection: RegimesFile['selection']
  procedures: ProcedureData[]
  procedureById: Map<ProcedureId, ProcedureData>
  /** The public catalogue entries, RACI resolved; built once. */
  publicProcedures: Procedure[]
  publicProcedureById: Map<string, Procedure>
  earliestThresholdDate: string
  thresholds: Threshold[]
  cpvLists: Map<string, CpvList>
  raciRoles: RaciFile['roles']
  raciByTemplate: Map<string, RaciMatrix>
  scoring: RulesFile['scoring']
  rules: Rule[]
  nearThresholdMargin: number
  warningMessages: Map<string, string>
}

/** Warning codes the engine emits; the loader checks warnings.json defines each. */
export const WARNING_CODES = [
  'value-near-threshold',
  'timeline-too-short',
  'timeline-tight',
  'legacy-regime',
  'light-touch-from-category',
  'mixed-subject-matter',
  'psr-award-process',
  'no-cpv-code',
  'unconfirmed-facts',
  'urgency-justification'
] as const
export type WarningCode = (typeof WARNING_CODES)[number]

const FILES = {
  ruleset: ['ruleset.json', RulesetFileSchema],
  regimes: ['regimes.json', RegimesFileSchema],
  procedures: ['procedures.json', ProceduresFileSchema],
  thresholds: ['thresholds.json', ThresholdsFileSchema],
  cpvLists: ['cpv-lists.json', CpvListsFileSchema],
  raci: ['raci.json', RaciFileSchema],
  rules: ['rules.json', RulesFileSchema],
  warnings: ['warnings.json', WarningsFileSchema]
} as const satisfies Record<string, readonly [string, TSchema]>

function readFile(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8')
  } catch (err) {
    throw new CatalogueError(file, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
}

/** The JSON pointer and message of the first fault TypeBox finds, pointing at the field itself. */
function firstFault(schema: TSchema, data: unknown): { pointer: string; message: string } | undefined {
  // Checked by interpretation, not compiled: each file is checked once, at start.
  if (Value.Check(schema, data)) return undefined
  const errors = [...Value.Errors(schema, data)]
  const missing = errors.find((e) => e.keyword === 'required')
  const unknown = errors.find((e) => e.keyword === 'additionalProperties')
  const first = missing ?? unknown ?? errors.find((e) => e.keyword !== 'boolean') ?? errors[0]
  if (!first) return { pointer: '', message: 'does not match its schema' }
  if (first.keyword === 'required') {
    const names = (first.params as { requiredProperties?: string[] }).requiredProperties ?? []
    return { pointer: `${first.instancePath}/${names[0] ?? ''}`, message: 'is required' }
  }
  if (first.keyword === 'additionalProperties') {
    const names = (first.params as { additionalProperties?: string[] }).additionalProperties ?? []
    return { pointer: `${first.instancePath}/${names[0] ?? ''}`, message: 'is not a known field' }
  }
  return { pointer: first.instancePath, message: first.message }
}

function parse<T>(file: string, text: string, schema: TSchema): T {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new CatalogueError(file, '', `is not valid JSON (${(err as Error).message})`)
  }
  const fault = firstFault(schema, data)
  if (fault) throw new CatalogueError(file, fault.pointer, fault.message)
  return data as T
}

function fail(file: string, pointer: string, detail: string): never {
  throw new CatalogueError(file, pointer, detail)
}

function checkRaci(file: string, pointer: string, assignments: Record<string, string>, roles: Set<string>): void {
  const values = Object.entries(assignments)
  for (const [role] of values) if (!roles.has(role)) fail(file, `${pointer}/assignments/${role}`, `unknown role "${role}"`)
  const accountable = values.filter(([, v]) => v === 'A').length
  if (accountable !== 1) fail(file, `${pointer}/assignments`, `must have exactly one A (has ${accountable})`)
  if (!values.some(([, v]) => v === 'R')) fail(file, `${pointer}/assignments`, 'must have at least one R')
}

export function loadCatalogue(dir: string = CATALOGUE_DIR): Catalogue {
  const texts = Object.fromEntries(Object.entries(FILES).map(([key, [file]]) => [key, readFile(dir, file)])) as Record<keyof typeof FILES, string>
  const hash = createHash('sha256')
  for (const [key, [file]] of Object.entries(FILES).sort(([, [a]], [, [b]]) => a.localeCompare(b))) {
    hash.update(file).update('\0').update(texts[key as keyof typeof FILES]).update('\0')
  }

  const ruleset = parse<{ release: string }>(FILES.ruleset[0], texts.ruleset, FILES.ruleset[1])
  const regimes = parse<RegimesFile>(FILES.regimes[0], texts.regimes, FILES.regimes[1])
  const { procedures } = parse<{ procedures: ProcedureData[] }>(FILES.procedures[0], texts.procedures, FILES.procedures[1])
  const thresholdsFile = parse<{ earliestDate: string; thresholds: Threshold[] }>(FILES.thresholds[0], texts.thresholds, FILES.thresholds[1])
  const cpvFile = parse<Type.Static<typeof CpvListsFileSchema>>(FILES.cpvLists[0], texts.cpvLists, FILES.cpvLists[1])
  const raci = parse<RaciFile>(FILES.raci[0], texts.raci, FILES.raci[1])
  const rulesFile = parse<RulesFile>(FILES.rules[0], texts.rules, FILES.rules[1])
  const warningsFile = parse<WarningsFile>(FILES.warnings[0], texts.warnings, FILES.warnings[1])

  // regimes.json
  const regimeById = new Map(regimes.regimes.map((r) => [r.id, r]))
  for (const id of REGIME_IDS) if (!regimeById.has(id)) fail(FILES.regimes[0], '/regimes', `regime "${id}" is missing`)

  // cpv-lists.json
  const cpvLists = new Map<string, CpvList>()
  cpvFile.lists.forEach((list, i) => {
    if (cpvLists.has(list.id)) fail(FILES.cpvLists[0], `/lists/${i}/id`, `duplicate list id "${list.id}"`)
    const ranges = list.entries.map((e, j) => {
      const range: CpvRange = { from: Number(e.from), to: Number(e.to), label: e.label }
      if (e.limitation) range.limitation = e.limitation
      if (range.from > range.to) fail(FILES.cpvLists[0], `/lists/${i}/entries/${j}`, '"from" is after "to"')
      return range
    })
    cpvLists.set(list.id, { id: list.id, name: list.name, citation: list.source.citation, confidence: list.source.confidence, ranges })
  })
  const sel = regimes.selection
  for (const [pointer, id] of [
    ['/selection/psrCpvList', sel.psrCpvList],
    ['/selection/lightTouchCpvLists/pcr2015', sel.lightTouchCpvLists.pcr2015],
    ['/selection/lightTouchCpvLists/pa2023', sel.lightTouchCpvLists.pa2023]
  ] as const) {
    if (!cpvLists.has(id)) fail(FILES.regimes[0], pointer, `no CPV list "${id}" in cpv-lists.json`)
  }

  // raci.json
  const roleIds = new Set(raci.roles.map((r) => r.id))
  checkRaci(FILES.raci[0], '/choiceActivity', raci.choiceActivity.assignments, roleIds)
  const raciByTemplate = new Map<string, RaciMatrix>()
  raci.templates.forEach((template, i) => {
    let hasChoice = false
    template.activities.forEach((activity, j) => {
      const pointer = `/templates/${i}/activities/${j}`
      checkRaci(FILES.raci[0], pointer, activity.assignments, roleIds)
      if (activity.id === raci.choiceActivity.id) {
        hasChoice = true
        for (const [role, value] of Object.entries(raci.choiceActivity.assignments)) {
          if (activity.assignments[role] !== value) fail(FILES.raci[0], `${pointer}/assignments/${role}`, `must be ${value}, as the guidance's split for choosing the procedure says`)
        }
      }
    })
    if (!hasChoice) fail(FILES.raci[0], `/templates/${i}/activities`, `has no "${raci.choiceActivity.id}" activity`)
    raciByTemplate.set(template.id, { roles: raci.roles, activities: template.activities })
  })

  // procedures.json
  const procedureById = new Map<ProcedureId, ProcedureData>()
  procedures.forEach((p, i) => {
    if (procedureById.has(p.id)) fail(FILES.procedures[0], `/procedures/${i}/id`, `duplicate procedure id "${p.id}"`)
    procedureById.set(p.id, p)
    if (!raciByTemplate.has(p.raciTemplate)) fail(FILES.procedures[0], `/procedures/${i}/raciTemplate`, `no RACI template "${p.raciTemplate}" in raci.json`)
    for (const [key, route] of Object.entries(p.routes)) {
      const pointer = `/procedures/${i}/routes/${key}`
      if (!route) continue
      if (route.regime !== key) fail(FILES.procedures[0], `${pointer}/regime`, `must be "${key}"`)
      if (route.minimumWeeks > route.typicalWeeks.min) fail(FILES.procedures[0], `${pointer}/minimumWeeks`, 'is more than typicalWeeks.min')
      if (route.typicalWeeks.min > route.typicalWeeks.max) fail(FILES.procedures[0], `${pointer}/typicalWeeks`, 'min is more than max')
      if ((route.urgentMinimumWeeks ?? 0) > route.minimumWeeks) fail(FILES.procedures[0], `${pointer}/urgentMinimumWeeks`, 'is more than minimumWeeks')
    }
  })
  for (const id of PROCEDURE_IDS) if (!procedureById.has(id)) fail(FILES.procedures[0], '/procedures', `procedure "${id}" is missing`)
  // Keep the contract's order, whatever the file's.
  const ordered = PROCEDURE_IDS.map((id) => procedureById.get(id) as ProcedureData)
  const publicProcedures: Procedure[] = ordered.map(({ raciTemplate, ...rest }) => ({ ...rest, raci: raciByTemplate.get(raciTemplate) as RaciMatrix }))

  // thresholds.json
  const thresholds = [...thresholdsFile.thresholds].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id.localeCompare(b.id))
  const ids = new Set<string>()
  thresholdsFile.thresholds.forEach((t, i) => {
    if (ids.has(t.id)) fail(FILES.thresholds[0], `/thresholds/${i}/id`, `duplicate id "${t.id}"`)
    ids.add(t.id)
    if (t.effectiveTo !== null && t.effectiveTo < t.effectiveFrom) fail(FILES.thresholds[0], `/thresholds/${i}/effectiveTo`, 'is before effectiveFrom')
    thresholdsFile.thresholds.forEach((u, j) => {
      if (j <= i || u.kind !== t.kind || u.authorityType !== t.authorityType || !u.regimes.some((r) => t.regimes.includes(r))) return
      const overlap = t.effectiveFrom <= (u.effectiveTo ?? '9999-12-31') && u.effectiveFrom <= (t.effectiveTo ?? '9999-12-31')
      if (overlap) fail(FILES.thresholds[0], `/thresholds/${j}`, `overlaps "${t.id}" for the same kind, authority type and regime`)
    })
  })

  // rules.json
  for (const id of PROCEDURE_IDS) if (rulesFile.scoring.base[id] === undefined) fail(FILES.rules[0], '/scoring/base', `no base score for "${id}"`)
  const ruleIds = new Set<string>()
  rulesFile.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id)) fail(FILES.rules[0], `/rules/${i}/id`, `duplicate rule id "${rule.id}"`)
    ruleIds.add(rule.id)
  })

  // warnings.json
  const warningMessages = new Map(warningsFile.warnings.map((w) => [w.code, w.message]))
  for (const code of WARNING_CODES) if (!warningMessages.has(code)) fail(FILES.warnings[0], '/warnings', `no message for warning "${code}"`)

  return {
    rulesetVersion: `${ruleset.release}+${hash.digest('hex').slice(0, 12)}`,
    regimes: regimes.regimes,
    regimeById: regimeById as Catalogue['regimeById'],
    selection: sel,
    procedures: ordered,
    procedureById,
    publicProcedures,
    publicProcedureById: new Map(publicProcedures.map((p) => [p.id, p])),
    earliestThresholdDate: thresholdsFile.earliestDate,
    thresholds,
    cpvLists,
    raciRoles: raci.roles,
    raciByTemplate,
    scoring: rulesFile.scoring,
    rules: rulesFile.rules,
    nearThresholdMargin: warningsFile.nearThresholdMargin,
    warningMessages
  }
}

/** Thresholds in force on a date (YYYY-MM-DD), in catalogue order. */
export function thresholdsOn(catalogue: Catalogue, date: string): Threshold[] {
  return catalogue.thresholds.filter((t) => t.effectiveFrom <= date && (t.effectiveTo === null || date <= t.effectiveTo))
}
