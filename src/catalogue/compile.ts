// Builds what the engine and the routes read from data files that read.ts has parsed and
// invariants.ts has checked: maps by id, the procedures in the contract's order with their RACI
// resolved, thresholds in date order, CPV ranges as numbers, the CPV 2008 index. It checks
// nothing: every fault it could meet has been reported before it runs.
import type { ProcedureId, RaciMatrix, RegimeId, WarningCode } from '../../schemas/common.js'
import type { Procedure, ProcedureData } from '../../schemas/procedure.js'
import type { Threshold } from '../../schemas/threshold.js'
import { buildCpvIndex, type CpvIndex } from './cpv.js'
import type {
  AgreementsFile,
  CatalogueFiles,
  Cpv2008File,
  PsrProcessesFile,
  RaciFile,
  RegimesFile,
  RulesFile,
  TimetablesFile,
  OcdsFile
} from './read.js'
import type { Rule } from './schema.js'

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
  /** Every CPV 2008 code: label, check digit, level and hierarchy (src/catalogue/cpv.ts). */
  cpv: CpvIndex
  /** Where the CPV 2008 list was taken from, for citing a code's label. */
  cpvSource: Cpv2008File['source']
  raciRoles: RaciFile['roles']
  raciByTemplate: Map<string, RaciMatrix>
  scoring: RulesFile['scoring']
  rules: Rule[]
  nearThresholdMargin: number
  warningMessages: Map<WarningCode, string>
  /** The Provider Selection Regime award processes, in the order they are evaluated (psr-processes.json). */
  psrProcesses: PsrProcessesFile
  /** What a procurement can set up or be (agreements.json): kinds, refusals and the notes of the report. */
  agreements: AgreementsFile
  /** The timing law of the plans and the estimates for untimed stages (timetables.json). */
  timetables: TimetablesFile
  /** The versioned mapping to OCDS fields (ocds.json). */
  ocds: OcdsFile
}

export function compileCatalogue(files: CatalogueFiles): Catalogue {
  const { regimes, procedures, raci } = files

  const cpvLists = new Map<string, CpvList>()
  for (const list of files.cpvLists.lists) {
    const ranges = list.entries.map((e) => {
      const range: CpvRange = { from: Number(e.from), to: Number(e.to), label: e.label }
      if (e.limitation) range.limitation = e.limitation
      return range
    })
    cpvLists.set(list.id, { id: list.id, name: list.name, citation: list.source.citation, confidence: list.source.confidence, ranges })
  }

  const raciByTemplate = new Map<string, RaciMatrix>(raci.templates.map((t) => [t.id, { roles: raci.roles, activities: t.activities }]))
  // read.ts gives the procedures in the contract's order (PROCEDURE_IDS): every list keeps it.
  const publicProcedures: Procedure[] = procedures.map(({ raciTemplate, ...rest }) => ({
    ...rest,
    raci: raciByTemplate.get(raciTemplate) as RaciMatrix
  }))
  const thresholds = [...files.thresholds.thresholds].sort(
    (a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id.localeCompare(b.id)
  )

  return {
    // As RulesetVersionSchema documents it: the release, then 12 hex digits of the data's digest.
    rulesetVersion: `${files.ruleset.release}+${files.digest.slice(0, 12)}`,
    regimes: regimes.regimes,
    regimeById: new Map(regimes.regimes.map((r) => [r.id, r])) as Catalogue['regimeById'],
    selection: regimes.selection,
    procedures,
    procedureById: new Map(procedures.map((p) => [p.id, p])),
    publicProcedures,
    publicProcedureById: new Map(publicProcedures.map((p) => [p.id, p])),
    earliestThresholdDate: files.thresholds.earliestDate,
    thresholds,
    cpvLists,
    cpv: buildCpvIndex(files.cpv2008.codes),
    cpvSource: files.cpv2008.source,
    raciRoles: raci.roles,
    raciByTemplate,
    scoring: files.rules.scoring,
    rules: files.rules.rules,
    nearThresholdMargin: files.warnings.nearThresholdMargin,
    // invariants.ts has checked that the codes are exactly WARNING_CODES.
    warningMessages: new Map(files.warnings.warnings.map((w) => [w.code as WarningCode, w.message])),
    psrProcesses: files.psrProcesses,
    agreements: files.agreements,
    timetables: files.timetables,
    ocds: files.ocds
  }
}

/** Thresholds in force on a date (YYYY-MM-DD), in catalogue order. */
export function thresholdsOn(catalogue: Catalogue, date: string): Threshold[] {
  return catalogue.thresholds.filter((t) => t.effectiveFrom <= date && (t.effectiveTo === null || date <= t.effectiveTo))
}
