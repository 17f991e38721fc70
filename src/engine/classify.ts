// Derived facts: regime, light touch, health care and the threshold that applies. Pure: reads
// only the catalogue; every legal value (dates, lists, amounts) comes from the data.
import type { RegimeId } from '../../schemas/common.js'
import type { Threshold } from '../../schemas/threshold.js'
import type { Catalogue, CpvList, CpvRange } from '../catalogue/load.js'
import { thresholdKind, thresholdOf } from './arrangements.js'
import type { NormalisedProfile } from './normalise.js'

export function findCpv(list: CpvList, code: string): CpvRange | undefined {
  const n = Number(code.slice(0, 8))
  return list.ranges.find((r) => r.from <= n && n <= r.to)
}

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
}

export function classify(catalogue: Catalogue, p: NormalisedProfile): Classification {
  const sel = catalogue.selection
  const unconfirmed: string[] = []
  const dateRegime = p.startDate < sel.pa2023From.date ? 'pcr2015' : 'pa2023'
  if (sel.pa2023From.source.confidence !== 'confirmed') {
    unconfirmed.push(`the Procurement Act 2023 start date (${sel.pa2023From.source.citation})`)
  }
  const mainCpv = p.cpvCodes[0]
  const psrList = catalogue.cpvLists.get(sel.psrCpvList) as CpvList
  const ltList = catalogue.cpvLists.get(sel.lightTouchCpvLists[dateRegime]) as CpvList

  // Health care (Provider Selection Regime scope).
  let healthCare: boolean
  let healthWhy: string
  if (mainCpv !== undefined) {
    const hit = findCpv(psrList, mainCpv)
    healthCare = hit !== undefined
    healthWhy = hit
      ? `the main CPV code ${mainCpv} (${hit.label}) is a relevant health care service in ${psrList.citation}${hit.limitation ? `, limited to: ${hit.limitation}` : ''}`
      : `the main CPV code ${mainCpv} is not a relevant health care service in ${psrList.citation}`
  } else {
    const main = p.categories[0]
    healthCare = main !== undefined && sel.healthCareCategories.includes(main)
    healthWhy = healthCare
      ? `no CPV code was given and the main (first) category "${main}" is health care`
      : 'neither the main CPV code nor the main (first) category is health care'
  }

  const psrAuthority = sel.psrAuthorityTypes.values.includes(p.authorityType)
  const psrInForce = p.startDate >= sel.psr2023From.date
  let regime: RegimeId
  let regimeReason: string
  let regimeLegalBasis: string
  const psrRegime = catalogue.regimeById.get('psr2023')
  if (healthCare && psrAuthority && psrInForce) {
    regime = 'psr2023'
    regimeReason = `${healthWhy}, the buyer is a local authority (a relevant authority) and the start date ${p.startDate} is on or after ${sel.psr2023From.date}`
    regimeLegalBasis = psrRegime?.source.citation ?? sel.psr2023From.source.citation
    if (sel.psrAuthorityTypes.source.confidence !== 'confirmed') {
      unconfirmed.push(`which authorities the Provider Selection Regime covers (${sel.psrAuthorityTypes.source.citation})`)
    }
  } else {
    regime = dateRegime
    const why = !healthCare
      ? healthWhy
      : !psrAuthority
        ? `the buyer is a ${p.authorityType} authority, not a local authority`
        : `the start date ${p.startDate} is before the regime came into force on ${sel.psr2023From.date}`
    const dateWhy =
      dateRegime === 'pcr2015'
        ? `the start date ${p.startDate} is before ${sel.pa2023From.date}, so a procurement commenced then stays under the Public Contracts Regulations 2015`
        : `the start date ${p.startDate} is on or after ${sel.pa2023From.date}, when the Procurement Act 2023 replaced the Public Contracts Regulations 2015 for new procurements`
    regimeReason = `${dateWhy}; the Provider Selection Regime does not apply because ${why}`
    regimeLegalBasis = sel.pa2023From.source.citation
  }

  // Light touch: services only, decided by the main CPV code against the list of the regime in
  // force; the first category stands in for it when no CPV code is given.
  let lightTouch: boolean
  let lightTouchReason: string
  let decidedBy: Classification['decidedBy']
  let mixedSubjectMatter = false
  if (mainCpv !== undefined) {
    decidedBy = 'cpv'
    const hit = findCpv(ltList, mainCpv)
    lightTouch = hit !== undefined
    lightTouchReason = hit
      ? `The main CPV code ${mainCpv} (${hit.label}) is a light-touch service in ${ltList.citation}.`
      : `The main CPV code ${mainCpv} is not a light-touch service in ${ltList.citation}; the first CPV code is the main subject-matter.`
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
    unconfirmed
  }
}
