// The OCDS fields of a recommendation or a plan, from the versioned mapping (src/catalogue/ocds.json):
// method and label by procedure, regime and side of the threshold (by PSR process for the PSR), the
// legal basis by regime, the techniques from what the procurement sets up, and the notices in the
// dated plan's own order. Nothing here is a value of its own.
import type { ProcedureId } from '../../schemas/common.js'
import type { OcdsFields } from '../../schemas/ocds.js'
import type { CompiledCatalogue } from '../engine/compile.js'
import type { Decision } from '../engine/decision.js'
import type { PlannedNotice } from '../timetable/index.js'

const RANK = { confirmed: 0, secondary: 1, unconfirmed: 2 } as const
type Confidence = keyof typeof RANK
const weakest = (levels: Confidence[]): Confidence => levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'confirmed')

/**
 * The OCDS fields, or undefined where the mapping has no entry (a procedure outside the regulated
 * procedures, e.g. pre-commercial procurement). `process` is the PSR process the plan follows.
 */
export function ocdsOf(
  compiled: CompiledCatalogue,
  d: Decision,
  procedureId: ProcedureId,
  notices: PlannedNotice[],
  process?: string
): OcdsFields | undefined {
  const map = compiled.catalogue.ocds
  const side = d.facts.aboveThreshold ? 'above' : 'below'
  const method = map.methods.find(
    (m) =>
      m.procedureId === procedureId &&
      m.regime === d.regime &&
      (m.process === undefined ? m.variant === 'any' || m.variant === side : m.process === process)
  )
  if (!method) return undefined
  const legalBasis = map.legalBasis[d.regime]
  const establishes = d.input.agreement?.establishes
  const has = (t: { procedures: string[]; establishes: string[] }) =>
    t.procedures.includes(procedureId) || (establishes !== undefined && t.establishes.includes(establishes))
  const levels: Confidence[] = [method.confidence, legalBasis.source.confidence]
  const fields: OcdsFields = {
    mappingVersion: map.version,
    procurementMethod: method.procurementMethod,
    procurementMethodDetails: method.procurementMethodDetails,
    legalBasis:
      legalBasis.uri === undefined
        ? { scheme: legalBasis.scheme, id: legalBasis.id }
        : { scheme: legalBasis.scheme, id: legalBasis.id, uri: legalBasis.uri },
    techniques: {
      hasFrameworkAgreement: has(map.techniques.hasFrameworkAgreement),
      hasDynamicPurchasingSystem: has(map.techniques.hasDynamicPurchasingSystem)
    },
    notices: notices.map((n) => {
      const type = n.noticeCode === undefined ? undefined : map.documentTypes[n.noticeCode]
      if (type) levels.push(type.confidence)
      return n.noticeCode === undefined
        ? { milestoneId: n.milestoneId }
        : type === undefined
          ? { milestoneId: n.milestoneId, noticeCode: n.noticeCode }
          : { milestoneId: n.milestoneId, noticeCode: n.noticeCode, documentType: type.documentType }
    }),
    confidence: 'confirmed'
  }
  if (d.facts.lightTouch && map.lightTouch.regimes.includes(d.regime)) {
    fields.specialRegime = [map.lightTouch.specialRegime]
    levels.push(map.lightTouch.confidence)
  }
  fields.confidence = weakest(levels)
  return fields
}
