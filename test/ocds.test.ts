// The OCDS fields of a recommendation and of a plan (src/projections/ocds.ts, src/catalogue/ocds.json):
// what an e-procurement system pre-fills a Find a Tender notice with.
import t from 'tap'
import { loadCalendar } from '../src/calendar/index.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { createRecommender } from '../src/recommender.js'
import { projectPlan } from '../src/projections/plan.js'
import { projectReport } from '../src/projections/report.js'
import type { ProcurementProfile } from '../schemas/profile.js'
import { NOW } from './helpers/app.js'

const catalogue = loadCatalogue()
const recommender = createRecommender(catalogue)
const calendar = loadCalendar()
const VERSION = catalogue.ocds.version

function reportOf(profile: ProcurementProfile) {
  const r = recommender.decide(profile, NOW)
  if (!r.ok) throw new Error(r.error.message)
  return { decision: r.decision, report: projectReport(recommender.compiled, r.decision) }
}
const ocdsOf = (profile: ProcurementProfile, id: string) => reportOf(profile).report.recommendations.find((r) => r.procedureId === id)?.ocds

const SOFTWARE: ProcurementProfile = {
  contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
  constraints: { startDate: '2026-12-01' }
}
const ACT = { scheme: 'UKPGA', id: '2023/54', uri: 'https://www.legislation.gov.uk/ukpga/2023/54/contents' }
const TENDER_NOTICES = [
  { milestoneId: 'tender-notice', noticeCode: 'UK4', documentType: 'tenderNotice' },
  { milestoneId: 'contract-award-notice', noticeCode: 'UK6', documentType: 'awardNotice' },
  { milestoneId: 'contract-details-notice', noticeCode: 'UK7', documentType: 'contractNotice' }
]

t.test('an open tender under the Act: open, "Open procedure", the Act as legal basis, UK4 UK6 UK7', async (t) => {
  t.same(ocdsOf(SOFTWARE, 'open-tender'), {
    mappingVersion: VERSION,
    procurementMethod: 'open',
    procurementMethodDetails: 'Open procedure',
    legalBasis: ACT,
    techniques: { hasFrameworkAgreement: false, hasDynamicPurchasingSystem: false },
    notices: TENDER_NOTICES,
    confidence: 'confirmed'
  })
  const flexible = ocdsOf(SOFTWARE, 'restricted-tender')
  t.same(
    [flexible?.procurementMethod, flexible?.procurementMethodDetails, flexible?.confidence],
    ['selective', 'Competitive flexible procedure', 'unconfirmed']
  )
})

t.test('below threshold: the Find a Tender below-threshold label, and no UK4 code for the below-threshold notice', async (t) => {
  const below = ocdsOf(
    { ...SOFTWARE, contract: { type: 'services', estimatedValue: 90000, categories: ['technology'] } },
    'below-threshold'
  )
  t.same([below?.procurementMethod, below?.procurementMethodDetails], ['open', 'Below threshold - open competition'])
  t.equal(below?.notices.find((n) => n.milestoneId === 'tender-notice')?.noticeCode, undefined)
})

t.test('setting up a framework is a framework technique; a call-off is one too', async (t) => {
  const establishing = ocdsOf({ ...SOFTWARE, agreement: { establishes: 'framework' } }, 'open-tender')
  t.same(establishing?.techniques, { hasFrameworkAgreement: true, hasDynamicPurchasingSystem: false })
  const market = ocdsOf({ ...SOFTWARE, agreement: { establishes: 'dynamic-market' } }, 'open-tender')
  t.same(market?.techniques, { hasFrameworkAgreement: false, hasDynamicPurchasingSystem: true })
})

t.test('PCR 2015: the Directive as Find a Tender gives it, and no notice sequence (no plan)', async (t) => {
  const legacy = ocdsOf({ ...SOFTWARE, constraints: { startDate: '2024-12-02' } }, 'open-tender')
  t.same(legacy?.legalBasis, { scheme: 'CELEX', id: '32014L0024' })
  t.same(legacy?.notices, [])
})

t.test('light touch is marked as Find a Tender marks it, except under the PSR', async (t) => {
  const social = ocdsOf(
    { contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] }, constraints: { startDate: '2026-12-01' } },
    'light-touch'
  )
  t.same(social?.specialRegime, ['lightTouch'])
  const psr = ocdsOf(
    { contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85121000-3'] }, constraints: { startDate: '2026-12-01' } },
    'provider-selection-regime'
  )
  t.same([psr?.legalBasis.scheme, psr?.legalBasis.id, psr?.specialRegime], ['UKSI', '2023/1348', undefined])
  t.same(
    psr?.notices.map((n) => n.milestoneId),
    ['psr-process-notice', 'contract-award-notice', 'psr-award-notice'],
    'the Competitive Process: notice inviting offers, notice of intention, notice of the award'
  )
})

t.test('the plan and the report give the same OCDS fields for the same procedure', async (t) => {
  let compared = 0
  for (const profile of [SOFTWARE, { ...SOFTWARE, agreement: { establishes: 'framework' as const } }]) {
    const { decision, report } = reportOf(profile)
    for (const rec of report.recommendations) {
      const planned = projectPlan(recommender.compiled, calendar, decision, { procedureId: rec.procedureId })
      if (!planned.ok) continue
      t.same(planned.plan.ocds, rec.ocds, `${rec.procedureId}`)
      t.ok(rec.ocds, `${rec.procedureId}: the report has OCDS fields`)
      compared++
    }
  }
  t.ok(compared >= 4, `${compared} recommendations compared with their plans`)
})
