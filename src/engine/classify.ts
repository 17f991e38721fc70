// Derived facts: regime, light touch, health care and the threshold that applies. Pure: reads
// only the catalogue; every legal value (dates, lists, amounts) comes from the data.
//
// Two legal lines are drawn by the main (first) CPV code: health care (PSR Sch 1) and light touch
// (PR 2024 Sch 1 / PCR 2015 Sch 3). A code the list names decides by itself. A broad code the list
// does not name, with narrower codes under it on both sides of the line (85000000 Health and
// social work services), cannot decide alone: the main category decides when the profile gives
// one; otherwise the code is read as it stands and the decision carries the other reading too
// (`broad`), so the report can show both instead of silently picking one.
import type { RegimeId } from '../../schemas/common.js'
import type { Threshold } from '../../schemas/threshold.js'
import type { Catalogue, CpvEntry, CpvList, CpvRange } from '../catalogue/load.js'
import { thresholdKind, thresholdOf } from './arrangements.js'
import type { NormalisedProfile } from './normalise.js'

export function findCpv(list: CpvList, code: string): CpvRange | undefined {
  const n = Number(code.slice(0, 8))
  return list.ranges.find((r) => r.from <= n && n <= r.to)
}

export type LineId = 'health-care' | 'light-touch'

/** A broad main code whose narrower codes fall on both sides of one line. */
export interface BroadCode {
  line: LineId
  code: string
  label: string
  /** The list that draws the line, by its citation. */
  citation: string
  /** The narrowest-level codes under it that the list names (none of their parents is named). */
  listed: CpvEntry[]
  /** The codes directly under it that the list does not name. */
  unlisted: CpvEntry[]
  /** The main category that settled it, or undefined when the code was read as it stands. */
  settledBy: string | undefined
  /** The reading taken: true when on the list's side (health care; light touch). */
  reading: boolean
}

/** Forces one line's reading: the other reading of a broad code. */
export type Overrides = Partial<Record<LineId, boolean>>

export interface Classification {
  /** The regime for ordinary procurement on the start date (PCR 2015 or the Act). */
  dateRegime: Exclude<RegimeId, 'psr2023'>
  regime: RegimeId
  regimeReason: string
  regimeLegalBasis: string
  healthCare: boolean
  lightTouch: boolean
  lightTouchReason: string
  /** How light touch / health care were decided. */
  decidedBy: 'cpv' | 'category' | 'default'
  mixedSubjectMatter: boolean
  threshold: Threshold | undefined
  /** Confidence markers of the facts that decided, for the unconfirmed-facts warning. */
  unconfirmed: string[]
  /** Broad main codes, one per line they straddle. */
  broad: BroadCode[]
  /** The lines forced to a reading (an alternative reading of a broad code). */
  overrides: Overrides
  /** The forced reading in words, by line. */
  overrideWhy: Partial<Record<LineId, string>>
}

const MAX_NAMED = 5

/** "85100000 Health services, 85312330 Family planning services and 2 more". */
export function nameCodes(entries: readonly CpvEntry[]): string {
  const named = entries.slice(0, MAX_NAMED).map((e) => `${e.code} ${e.label}`)
  const more = entries.length - named.length
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ')
}

/** Memo of broad-code splits by list and code: the CPV list and the legal lists never change at run time. */
const splits = new WeakMap<CpvList, Map<string, { listed: CpvEntry[]; unlisted: CpvEntry[] } | null>>()

/** The codes under `code` on each side of the list's line, or null when they are all on one side. */
function splitUnder(catalogue: Catalogue, list: CpvList, code: string): { listed: CpvEntry[]; unlisted: CpvEntry[] } | null {
  let memo = splits.get(list)
  if (!memo) splits.set(list, (memo = new Map()))
  const known = memo.get(code)
  if (known !== undefined) return known
  const under = catalogue.cpv.descendants(code)
  const inList = (c: string) => findCpv(list, c) !== undefined
  const listed = under.filter((e) => inList(e.code) && !inList(catalogue.cpv.parent(e.code)?.code ?? code))
  const unlisted = under.filter((e) => !inList(e.code) && catalogue.cpv.parent(e.code)?.code === code)
  const split = listed.length > 0 && under.some((e) => !inList(e.code)) ? { listed, unlisted } : null
  memo.set(code, split)
  return split
}

/**
 * The regime of a profile, why, and its legal basis: the Provider Selection Regime for a relevant
 * health care service bought by a relevant authority once it is in force, else the regime of the
 * start date. Adds to `unconfirmed` what the answer rests on that is not confirmed.
 */
function regimeOf(
  catalogue: Catalogue,
  p: NormalisedProfile,
  dateRegime: 'pcr2015' | 'pa2023',
  health: { healthCare: boolean; healthWhy: string; psrAuthority: boolean; psrInForce: boolean },
  unconfirmed: string[]
): { regime: RegimeId; regimeReason: string; regimeLegalBasis: string } {
  const sel = catalogue.selection
  const { healthCare, healthWhy, psrAuthority, psrInForce } = health
  if (healthCare && psrAuthority && psrInForce) {
    if (sel.psrAuthorityTypes.source.confidence !== 'confirmed') {
      unconfirmed.push(`which authorities the Provider Selection Regime covers (${sel.psrAuthorityTypes.source.citation})`)
    }
    return {
      regime: 'psr2023',
      regimeReason: `${healthWhy}, the buyer is a local authority (a relevant authority) and the start date ${p.startDate} is on or after ${sel.psr2023From.date}`,
      regimeLegalBasis: catalogue.regimeById.get('psr2023')?.source.citation ?? sel.psr2023From.source.citation
    }
  }
  const why = !healthCare
    ? healthWhy
    : !psrAuthority
      ? `the buyer is a ${p.authorityType} authority, not a local authority`
      : `the start date ${p.startDate} is before the regime came into force on ${sel.psr2023From.date}`
  const dateWhy =
    dateRegime === 'pcr2015'
      ? `the start date ${p.startDate} is before ${sel.pa2023From.date}, so a procurement commenced then stays under the Public Contracts Regulations 2015`
      : `the start date ${p.startDate} is on or after ${sel.pa2023From.date}, when the Procurement Act 2023 replaced the Public Contracts Regulations 2015 for new procurements`
  return {
    regime: dateRegime,
    regimeReason: `${dateWhy}; the Provider Selection Regime does not apply because ${why}`,
    regimeLegalBasis: sel.pa2023From.source.citation
  }
}

export function classify(catalogue: Catalogue, p: NormalisedProfile, overrides: Overrides = {}): Classification {
  const sel = catalogue.selection
  const unconfirmed: string[] = []
  const broad: BroadCode[] = []
  const overrideWhy: Classification['overrideWhy'] = {}
  const dateRegime = p.startDate < sel.pa2023From.date ? 'pcr2015' : 'pa2023'
  if (sel.pa2023From.source.confidence !== 'confirmed') {
    unconfirmed.push(`the Procurement Act 2023 start date (${sel.pa2023From.source.citation})`)
  }
  const mainCpv = p.cpvCodes[0]
  const mainLabel = mainCpv === undefined ? undefined : catalogue.cpv.get(mainCpv)?.label
  const mainNamed = mainLabel === undefined ? `${mainCpv}` : `${mainCpv} (${mainLabel})`
  const mainCategory = p.categories[0]
  const psrList = catalogue.cpvLists.get(sel.psrCpvList) as CpvList
  const ltList = catalogue.cpvLists.get(sel.lightTouchCpvLists[dateRegime]) as CpvList

  /**
   * A broad main code not on the list with codes under it on both sides: settled by the main
   * category when given, else read as it stands (off the list). Undefined when not broad.
   */
  function broadReading(line: LineId, list: CpvList, categories: readonly string[]): BroadCode | undefined {
    if (mainCpv === undefined || findCpv(list, mainCpv) !== undefined) return undefined
    const split = splitUnder(catalogue, list, mainCpv)
    if (!split) return undefined
    const settledBy = mainCategory
    const reading = settledBy !== undefined && categories.includes(settledBy)
    const b: BroadCode = { line, code: mainCpv, label: mainLabel ?? '', citation: list.citation, ...split, settledBy, reading }
    broad.push(b)
    return b
  }
  const broadClause = (b: BroadCode, many: string, one: string): string =>
    `the main CPV code ${mainNamed} is broad: codes under it are ${many} in ${b.citation} (${nameCodes(b.listed)})` +
    (b.unlisted.length > 0 ? ` and others are not (${nameCodes(b.unlisted)})` : '') +
    (b.settledBy !== undefined
      ? `; the main (first) category "${b.settledBy}" settles it as ${b.reading ? one : `not ${one}`}`
      : `; it is read as it stands, not ${one}, and the report's alternatives show the other reading`)
  const overrideClause = (b: BroadCode | undefined, value: boolean, what: string): string =>
    b
      ? `read as ${value ? '' : 'not '}${what}: the other reading of the broad main CPV code ${mainNamed}, as if the main subject-matter were ${value ? `one of the codes under it that ${b.citation} names (${nameCodes(b.listed)})` : `a code under it that ${b.citation} does not name (${nameCodes(b.unlisted)})`}`
      : `read as ${value ? '' : 'not '}${what}`

  // Health care (Provider Selection Regime scope). A broad code matters on this line only where
  // the regime could apply (a relevant authority, on or after it came into force).
  const psrAuthority = sel.psrAuthorityTypes.values.includes(p.authorityType)
  const psrInForce = p.startDate >= sel.psr2023From.date
  let healthCare: boolean
  let healthWhy: string
  if (mainCpv !== undefined) {
    const hit = findCpv(psrList, mainCpv)
    const b = psrAuthority && psrInForce ? broadReading('health-care', psrList, sel.healthCareCategories) : undefined
    if (overrides['health-care'] !== undefined) {
      healthCare = overrides['health-care']
      healthWhy = overrideWhy['health-care'] = overrideClause(b, healthCare, 'a relevant health care service')
    } else if (b) {
      healthCare = b.reading
      healthWhy = broadClause(b, 'relevant health care services', 'a relevant health care service')
    } else {
      healthCare = hit !== undefined
      healthWhy = hit
        ? `the main CPV code ${mainCpv} (${hit.label}) is a relevant health care service in ${psrList.citation}${hit.limitation ? `, limited to: ${hit.limitation}` : ''}`
        : `the main CPV code ${mainNamed} is not a relevant health care service in ${psrList.citation}`
    }
  } else {
    healthCare = mainCategory !== undefined && sel.healthCareCategories.includes(mainCategory)
    healthWhy = healthCare
      ? `no CPV code was given and the main (first) category "${mainCategory}" is health care`
      : 'neither the main CPV code nor the main (first) category is health care'
  }

  const { regime, regimeReason, regimeLegalBasis } = regimeOf(
    catalogue,
    p,
    dateRegime,
    { healthCare, healthWhy, psrAuthority, psrInForce },
    unconfirmed
  )

  // Light touch: services only, decided by the main CPV code against the list of the regime in
  // force; the first category stands in for it when no CPV code is given.
  let lightTouch: boolean
  let lightTouchReason: string
  let decidedBy: Classification['decidedBy']
  let mixedSubjectMatter = false
  if (mainCpv !== undefined) {
    decidedBy = 'cpv'
    const hit = findCpv(ltList, mainCpv)
    // The reading matters for services only; goods and works are never light touch.
    const b = p.contractType === 'services' ? broadReading('light-touch', ltList, sel.lightTouchCategories) : undefined
    if (overrides['light-touch'] !== undefined) {
      lightTouch = overrides['light-touch']
      const clause = (overrideWhy['light-touch'] = overrideClause(b, lightTouch, 'a light-touch service'))
      lightTouchReason = `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`
    } else if (b) {
      lightTouch = b.reading
      const clause = broadClause(b, 'light-touch services', 'a light-touch service')
      lightTouchReason = `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`
    } else {
      lightTouch = hit !== undefined
      lightTouchReason = hit
        ? `The main CPV code ${mainCpv} (${hit.label}) is a light-touch service in ${ltList.citation}.`
        : `The main CPV code ${mainNamed} is not a light-touch service in ${ltList.citation}; the first CPV code is the main subject-matter.`
    }
    mixedSubjectMatter = p.cpvCodes.slice(1).some((c) => (findCpv(ltList, c) !== undefined) !== lightTouch)
    if (ltList.confidence !== 'confirmed') unconfirmed.push(`the light-touch CPV list (${ltList.citation})`)
  } else if (p.categories.length > 0) {
    decidedBy = 'category'
    const main = p.categories[0] as string
    lightTouch = sel.lightTouchCategories.includes(main)
    lightTouchReason = lightTouch
      ? `No CPV code was given; the main (first) category "${main}" counts as a light-touch service.`
      : `No CPV code was given, and the main (first) category "${main}" is not a light-touch service.`
    mixedSubjectMatter = p.categories.slice(1).some((c) => sel.lightTouchCategories.includes(c) !== lightTouch)
  } else {
    decidedBy = 'default'
    lightTouch = false
    lightTouchReason = 'No CPV code or category was given, so the contract is not treated as light touch.'
  }
  if (lightTouch && p.contractType !== 'services') {
    lightTouch = false
    lightTouchReason = `${lightTouchReason.replace(/\.$/, '')}, but light touch covers services only and this is a ${p.contractType} contract.`
  }

  // The threshold that applies to this contract on the start date.
  const kind = thresholdKind(p, lightTouch)
  const threshold = thresholdOf(catalogue, kind, p, dateRegime)
  if (threshold && threshold.source.confidence !== 'confirmed') {
    unconfirmed.push(`the threshold ${threshold.id} (${threshold.source.citation})`)
  }

  return {
    dateRegime,
    regime,
    regimeReason,
    regimeLegalBasis,
    healthCare,
    lightTouch,
    lightTouchReason,
    decidedBy,
    mixedSubjectMatter,
    threshold,
    unconfirmed,
    broad,
    overrides,
    overrideWhy
  }
}
