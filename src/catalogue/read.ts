// Reads the catalogue data files: each file parsed and checked against its schema, and a digest
// of them all for the ruleset version. The procedures are one file each, procedures/<id>.json, so
// that a legal change is a small diff on one procedure; the folder must hold exactly one file per
// procedure id of the contract (PROCEDURE_IDS), each naming itself. Any fault throws a
// CatalogueError naming the file.
//
// The schema checks are most of the load's time (about 90 ms of the start-up), so the build checks
// the files it copies into dist/ once and records what it checked (CHECKED_FILE, written by
// src/scripts/check-catalogue.ts); the server skips the schema checks only when the files and the
// schemas are exactly those (same digest, same schema text), and checks everything otherwise.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type Type from 'typebox'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { PROCEDURE_IDS, type ProcedureId } from '../../schemas/common.js'
import type { ProcedureData } from '../../schemas/procedure.js'
import { fail } from './error.js'
import {
  Cpv2008FileSchema,
  AgreementsFileSchema,
  CpvListsFileSchema,
  ProcedureFileSchema,
  PsrProcessesFileSchema,
  RaciFileSchema,
  RegimesFileSchema,
  RulesFileSchema,
  RulesetFileSchema,
  ThresholdsFileSchema,
  TimetablesFileSchema,
  OcdsFileSchema,
  WarningsFileSchema
} from './schema.js'

export type RulesetFile = Type.Static<typeof RulesetFileSchema>
export type RegimesFile = Type.Static<typeof RegimesFileSchema>
export type ThresholdsFile = Type.Static<typeof ThresholdsFileSchema>
export type CpvListsFile = Type.Static<typeof CpvListsFileSchema>
export type Cpv2008File = Type.Static<typeof Cpv2008FileSchema>
export type RaciFile = Type.Static<typeof RaciFileSchema>
export type RulesFile = Type.Static<typeof RulesFileSchema>
export type WarningsFile = Type.Static<typeof WarningsFileSchema>
export type PsrProcessesFile = Type.Static<typeof PsrProcessesFileSchema>
export type AgreementsFile = Type.Static<typeof AgreementsFileSchema>
export type TimetablesFile = Type.Static<typeof TimetablesFileSchema>
export type OcdsFile = Type.Static<typeof OcdsFileSchema>

/** The single files of the catalogue folder and their schemas, by the key they are read into. */
export const FILES = {
  ruleset: ['ruleset.json', RulesetFileSchema],
  regimes: ['regimes.json', RegimesFileSchema],
  thresholds: ['thresholds.json', ThresholdsFileSchema],
  cpvLists: ['cpv-lists.json', CpvListsFileSchema],
  cpv2008: ['cpv-2008.json', Cpv2008FileSchema],
  raci: ['raci.json', RaciFileSchema],
  rules: ['rules.json', RulesFileSchema],
  warnings: ['warnings.json', WarningsFileSchema],
  psrProcesses: ['psr-processes.json', PsrProcessesFileSchema],
  agreements: ['agreements.json', AgreementsFileSchema],
  timetables: ['timetables.json', TimetablesFileSchema],
  ocds: ['ocds.json', OcdsFileSchema]
} as const satisfies Record<string, readonly [string, TSchema]>
type FileKey = keyof typeof FILES

/** The folder of the procedure files, inside the catalogue folder. */
export const PROCEDURES_DIR = 'procedures'

/** A procedure's file as CatalogueErrors and the digest name it: "procedures/<id>.json". */
export function procedureFile(id: ProcedureId): string {
  return `${PROCEDURES_DIR}/${id}.json`
}

/** Every data file, parsed and schema-checked; nothing checked yet across entries or files. */
export interface CatalogueFiles {
  ruleset: RulesetFile
  regimes: RegimesFile
  /** In the contract's order (PROCEDURE_IDS), whatever the order of the folder listing. */
  procedures: ProcedureData[]
  thresholds: ThresholdsFile
  cpvLists: CpvListsFile
  cpv2008: Cpv2008File
  raci: RaciFile
  rules: RulesFile
  warnings: WarningsFile
  psrProcesses: PsrProcessesFile
  agreements: AgreementsFile
  timetables: TimetablesFile
  ocds: OcdsFile
  /** SHA-256 (hex) over every data file's path and text: it changes whenever any data file does. */
  digest: string
}

/** Throws the error of a data file's fault: a CatalogueError here, the calendar's own in src/calendar. */
export type OnFault = (file: string, pointer: string, detail: string) => never

export function readText(dir: string, file: string, onFault: OnFault = fail): string {
  try {
    return readFileSync(join(dir, file), 'utf8')
  } catch (err) {
    return onFault(file, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
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

/**
 * A data file's text parsed and checked against its schema (none: parsed only); any fault goes to
 * onFault with its JSON pointer.
 */
export function parse<T>(file: string, text: string, schema: TSchema | undefined, onFault: OnFault = fail): T {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return onFault(file, '', `is not valid JSON (${(err as Error).message})`)
  }
  const fault = schema && firstFault(schema, data)
  if (fault) onFault(file, fault.pointer, fault.message)
  return data as T
}

/** Checks that procedures/ holds exactly one <id>.json per procedure id, and nothing else. */
function checkProcedureFolder(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(join(dir, PROCEDURES_DIR))
  } catch (err) {
    return fail(`${PROCEDURES_DIR}/`, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  const ids: readonly string[] = PROCEDURE_IDS
  for (const name of names.sort()) {
    // Hidden files are an editor's or the system's (.swp, .DS_Store), never data; the build copies
    // only *.json, so none reaches dist.
    if (name.startsWith('.')) continue
    if (!name.endsWith('.json') || !ids.includes(name.slice(0, -'.json'.length))) {
      fail(
        `${PROCEDURES_DIR}/${name}`,
        '',
        `is not a procedure file: ${PROCEDURES_DIR}/ holds one <id>.json for each procedure id of the contract (PROCEDURE_IDS in schemas/common.ts) and nothing else`
      )
    }
  }
  for (const id of PROCEDURE_IDS) {
    if (!names.includes(`${id}.json`)) {
      fail(procedureFile(id), '', `is missing: every procedure id of the contract (PROCEDURE_IDS in schemas/common.ts) has its file`)
    }
  }
}

/**
 * Written by the build beside the data files it checked (never in src/): the fingerprint of those
 * files and of the schemas they passed.
 */
export const CHECKED_FILE = '.checked'

/** The fingerprint of the data (their digest) together with the schemas that check them. */
function fingerprint(digest: string): string {
  const schemas = JSON.stringify([Object.values(FILES).map(([file, schema]) => [file, schema]), ProcedureFileSchema])
  return createHash('sha256').update(digest).update('\0').update(schemas).digest('hex')
}

/** Whether these very files, under these very schemas, were checked by the build. */
function alreadyChecked(dir: string, digest: string): boolean {
  let recorded: string
  try {
    recorded = readFileSync(join(dir, CHECKED_FILE), 'utf8').trim()
  } catch {
    return false
  }
  return recorded === fingerprint(digest)
}

/** The build's step: checks every data file of `dir` (throwing at the first fault) and records it. */
export function recordChecked(dir: string): void {
  const { digest } = readCatalogueFiles(dir, { trustChecked: false })
  writeFileSync(join(dir, CHECKED_FILE), `${fingerprint(digest)}\n`)
}

export function readCatalogueFiles(dir: string, { trustChecked = true } = {}): CatalogueFiles {
  checkProcedureFolder(dir)
  const keys = Object.keys(FILES) as FileKey[]
  const texts = new Map<string, string>()
  for (const key of keys) texts.set(FILES[key][0], readText(dir, FILES[key][0]))
  for (const id of PROCEDURE_IDS) texts.set(procedureFile(id), readText(dir, procedureFile(id)))

  // Paths in code-unit order, not the locale's, so the digest is the same on every machine.
  const hash = createHash('sha256')
  for (const file of [...texts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash
      .update(file)
      .update('\0')
      .update(texts.get(file) as string)
      .update('\0')
  }

  const digest = hash.digest('hex')
  // JSON.parse only (its faults still reported) when the build checked these files against these schemas.
  const checked = trustChecked && alreadyChecked(dir, digest)
  const check = <T>(file: string, schema: TSchema): T => parse<T>(file, texts.get(file) as string, checked ? undefined : schema)
  const single = <K extends FileKey>(key: K): Type.Static<(typeof FILES)[K][1]> => check(FILES[key][0], FILES[key][1])
  // A fixed order (the loader's before the split), so that of faults in several files the same
  // one is always reported.
  const ruleset = single('ruleset')
  const regimes = single('regimes')
  const procedures = PROCEDURE_IDS.map((id) => {
    const file = procedureFile(id)
    const procedure = check<ProcedureData>(file, ProcedureFileSchema)
    // With the folder check, this makes ids unique and the file of every procedure findable by id.
    if (procedure.id !== id) fail(file, '/id', `must be "${id}", the name of its file (is "${procedure.id}")`)
    return procedure
  })
  return {
    ruleset,
    regimes,
    procedures,
    thresholds: single('thresholds'),
    cpvLists: single('cpvLists'),
    cpv2008: single('cpv2008'),
    raci: single('raci'),
    rules: single('rules'),
    warnings: single('warnings'),
    psrProcesses: single('psrProcesses'),
    agreements: single('agreements'),
    timetables: single('timetables'),
    ocds: single('ocds'),
    digest
  }
}
