// The documented request examples of POST /v1/recommendations: the default profile, then one for
// each kind of agreement being set up, a concession, a failed competition, a direct award ground
// and the Provider Selection Regime facts, and a profile answered with a 422 problem.
// test/openapi.test.ts sends each to the live service and checks the status it documents.
import { PROFILE_EXAMPLE, type ProcurementProfile } from '../../../schemas/profile.js'

export interface RequestExample {
  summary: string
  value: ProcurementProfile
}

/** A utilities contract: the service answers it with a 422 problem, never a recommendation. */
export const NOT_COVERED_EXAMPLE: ProcurementProfile = {
  reference: 'LBX-2026-061',
  title: 'District heating network extension',
  contract: { type: 'works', estimatedValue: 6000000, utilities: true },
  constraints: { startDate: '2026-12-01' }
}

/** By name, the default first; each answered with 200 except `utilities-not-covered` (422). */
export const REQUEST_EXAMPLES: Record<string, RequestExample> = {
  'digital-platform': { summary: 'A digital social care referrals platform, bought as one contract', value: PROFILE_EXAMPLE },
  'framework-several-boroughs': {
    summary: 'A works framework set up by one borough for itself and four others, for four years',
    value: {
      reference: 'LBX-2026-052',
      title: 'Housing repairs and refurbishment framework',
      contract: { type: 'works', estimatedValue: 24000000, cpvCodes: ['45453000-7'] },
      agreement: { establishes: 'framework', otherAuthorities: 4, termMonths: 48 },
      constraints: { startDate: '2026-12-01' }
    }
  },
  'open-framework': {
    summary: 'An open framework for supported living, re-opened to new providers over eight years',
    value: {
      reference: 'LBX-2026-057',
      contract: { type: 'services', estimatedValue: 60000000, cpvCodes: ['85311000-2'] },
      agreement: { establishes: 'open-framework', termMonths: 96 },
      constraints: { startDate: '2026-12-01' }
    }
  },
  'dynamic-market': {
    summary: 'A dynamic market for special-needs school transport, shared with two other boroughs',
    value: {
      reference: 'LBX-2026-058',
      contract: { type: 'services', estimatedValue: 18000000, cpvCodes: ['60130000-8'] },
      agreement: { establishes: 'dynamic-market', otherAuthorities: 2 },
      constraints: { startDate: '2026-12-01' }
    }
  },
  'leisure-concession': {
    summary: 'A leisure centre concession, valued by what the operator could expect to receive over 15 years',
    value: {
      reference: 'LBX-2026-060',
      contract: { type: 'services', estimatedValue: 30000000, cpvCodes: ['92610000-0'], concession: true, durationMonths: 180 },
      constraints: { startDate: '2026-12-01' }
    }
  },
  'failed-competition': {
    summary: 'Switching to direct award after an open procedure drew no suitable tenders (PA 2023 s.43)',
    value: {
      reference: 'LBX-2026-062',
      title: 'Grounds maintenance for three cemeteries',
      contract: { type: 'services', estimatedValue: 950000, cpvCodes: ['77313000-7'] },
      constraints: {
        startDate: '2026-12-01',
        previousCompetition: { procedure: 'open', suitableTenders: false, competitiveAwardPossible: false }
      }
    }
  },
  'direct-award-ground': {
    summary: 'A direct award ground claimed: additional goods from the existing supplier (PA 2023 Sch 5 para 7)',
    value: {
      reference: 'LBX-2026-063',
      title: 'Additional CCTV cameras compatible with the existing network',
      contract: { type: 'goods', estimatedValue: 380000, cpvCodes: ['35125300-2'] },
      constraints: { startDate: '2026-12-01', directAwardGrounds: ['additional-supply'] }
    }
  },
  'psr-process': {
    summary: 'A health care service under the Provider Selection Regime, with the facts that decide its award process',
    value: {
      reference: 'LBX-2026-071',
      title: 'Substance misuse treatment and recovery service',
      contract: { type: 'services', estimatedValue: 2200000, cpvCodes: ['85312500-4'], durationMonths: 60 },
      constraints: { startDate: '2026-12-01' },
      healthCare: {
        existingProvider: true,
        existingContractExpiring: true,
        existingProviderSatisfactory: true,
        existingContractValue: 2000000
      },
      priorities: ['social-value']
    }
  },
  'utilities-not-covered': { summary: 'A utilities contract: answered with a 422 problem', value: NOT_COVERED_EXAMPLE }
}
