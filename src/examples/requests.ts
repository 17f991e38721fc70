// The documented request examples, by operation. POST /v1/recommendations: the default profile,
// then one for each kind of agreement being set up, a concession, a failed competition, a direct
// award ground and the Provider Selection Regime facts, and a profile answered with a 422 problem.
// They are what a client sends, not what the law answers, so they are written here and embedded
// in the OpenAPI document; the answers are fixtures (fixtures.ts). test/openapi.test.ts sends
// each to the live service and checks the status it documents.
import { PROFILE_EXAMPLE, type ProcurementProfile } from '../../schemas/profile.js'
import type { PlanRequest } from '../../schemas/plan.js'
import type { DecisionRequest } from '../../schemas/decision.js'

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
        onlyExistingProviderCapable: false,
        patientChoice: false,
        existingContractExpiring: true,
        existingProviderSatisfactory: true,
        materiallyDifferent: false,
        existingContractValue: 2000000
      },
      priorities: ['social-value']
    }
  },
  'utilities-not-covered': { summary: 'A utilities contract: answered with a 422 problem', value: NOT_COVERED_EXAMPLE }
}

/** The documented requests: the default (rank 1 of a competitive flexible profile), one with known dates, a PSR one. */
export const PLAN_REQUEST_EXAMPLES: Record<string, { summary: string; value: PlanRequest }> = {
  default: {
    summary: 'Open procedure for a software service, to be awarded by 30 April 2027',
    value: {
      profile: {
        reference: 'LBX-2026-031',
        contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
        constraints: { startDate: '2026-12-01', awardBy: '2027-04-30' }
      },
      procedureId: 'open-tender'
    }
  },
  known: {
    summary: 'The tender notice is already published; a planned procurement notice qualified',
    value: {
      profile: {
        contract: { type: 'services', estimatedValue: 850000, categories: ['technology'] },
        constraints: { startDate: '2027-01-04' }
      },
      procedureId: 'open-tender',
      known: { 'tender-notice': '2027-03-02' },
      options: { plannedProcurementNoticeDate: '2027-01-05' }
    }
  },
  psr: {
    summary: 'Community health services under the Provider Selection Regime',
    value: {
      profile: {
        reference: 'LBX-2026-072',
        contract: { type: 'services', estimatedValue: 1850000, cpvCodes: ['85323000-9'] },
        constraints: { startDate: '2026-12-01' }
      }
    }
  }
}

/** POST /v1/recommendations/batch: four profiles, answered 200, 200, 200 and 422. */
export const BATCH_REQUEST_EXAMPLE: { profiles: ProcurementProfile[] } = {
  profiles: [
    PROFILE_EXAMPLE,
    // A second, small purchase.
    {
      reference: 'LBX-2026-044',
      contract: { type: 'goods', estimatedValue: 45000, categories: ['facilities'] },
      constraints: { startDate: '2026-12-01' }
    },
    // A public-health contract filed under the broad division code 85000000: the report answers
    // under the Act and shows the PSR reading under `alternatives`.
    {
      reference: 'LBX-2026-051',
      title: 'Sexual health services in primary care',
      contract: { type: 'services', estimatedValue: 1340000, cpvCodes: ['85000000-9'] },
      constraints: { startDate: '2026-12-01' }
    },
    NOT_COVERED_EXAMPLE
  ]
}

/** POST /v1/decisions: the default profile's top recommendation, chosen by the Chief Digital Officer. */
export const DECISION_REQUEST_EXAMPLE: DecisionRequest = {
  profile: PROFILE_EXAMPLE,
  procedureId: 'competitive-dialogue',
  decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' }
}

/** The request examples of each operation that takes a body, by operationId. */
export const REQUEST_BODY_EXAMPLES: Record<string, { request?: unknown; requests?: Record<string, { summary: string; value: unknown }> }> =
  {
    recommendProcedures: { requests: REQUEST_EXAMPLES },
    recommendProceduresBatch: { request: BATCH_REQUEST_EXAMPLE },
    planProcurement: { requests: PLAN_REQUEST_EXAMPLES },
    recordDecision: { request: DECISION_REQUEST_EXAMPLE }
  }
