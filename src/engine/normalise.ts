// The profile with every default applied: the single place where defaults live.
import type { ProcurementProfile } from '../../schemas/profile.js'

type Constraints = NonNullable<ProcurementProfile['constraints']>
type PreviousCompetition = NonNullable<Constraints['previousCompetition']>
type HealthCare = NonNullable<ProcurementProfile['healthCare']>

/**
 * The direct award grounds that are also spelled as constraints.singleSupplier and
 * constraints.urgency: claiming one sets that field when the profile leaves it out, so that one
 * claim has one meaning for every rule (the competitions a single supplier weakens, the shorter
 * periods of extreme urgency).
 */
const SINGLE_SUPPLIER_GROUNDS: Record<string, NormalisedProfile['singleSupplier']> = {
  artistic: 'artistic',
  'exclusive-rights': 'exclusive-rights',
  'technical-reasons': 'technical'
}

export interface NormalisedProfile {
  reference: string | undefined
  authorityType: 'sub-central' | 'central'
  contractType: 'goods' | 'services' | 'works'
  estimatedValue: number
  /** The 8 digits of each CPV code, main first. */
  cpvCodes: string[]
  /** The codes as given, with their check digits when given. */
  cpvInputs: string[]
  categories: string[]
  solutionMaturity: 'off-the-shelf' | 'needs-adaptation' | 'not-on-market'
  requirementsClarity: 'specified' | 'outcome-known' | 'exploratory'
  researchAndDevelopment: boolean
  complexOrRisky: boolean
  negotiation: boolean
  demonstrations: boolean
  pitchOrPilot: boolean
  coDevelopment: boolean
  startDate: string
  weeksToAward: number | undefined
  /** constraints.awardBy (contract 1.1): wins over weeksToAward where both are given. */
  awardBy: string | undefined
  urgency: 'standard' | 'urgent' | 'extreme'
  existingAgreement: 'none' | 'framework' | 'dynamic-market'
  singleSupplier: 'none' | 'technical' | 'exclusive-rights' | 'artistic'
  teamCapacity: 'low' | 'medium' | 'high'
  priorities: string[]
  directAwardGrounds: string[]
  /** Absent when no competition was reported. */
  previousCompetition: Required<PreviousCompetition> | undefined
  /** Absent when the profile gives no healthCare: the PSR award process is then not decided. */
  healthCare: (Required<Omit<HealthCare, 'existingContractValue'>> & { existingContractValue: number | undefined }) | undefined
  /** contract.concession and contract.utilities. */
  concession: boolean
  utilities: boolean
  /** What the procurement sets up (profile.agreement); undefined when it awards a contract. */
  agreement: NormalisedAgreement | undefined
}

export interface NormalisedAgreement {
  establishes: 'framework' | 'open-framework' | 'dynamic-market'
  otherAuthorities: number
  centralisedProcurement: boolean
  suppliers: 'one' | 'several'
  termMonths: number | undefined
  longerTermJustified: boolean
}

/** `today` (YYYY-MM-DD) is the start date when the profile gives none. */
export function normalise(profile: ProcurementProfile, today: string): NormalisedProfile {
  const { contract, need = {}, process = {}, constraints = {} } = profile
  const grounds = constraints.directAwardGrounds ?? []
  const claimedSingleSupplier = grounds.map((g) => SINGLE_SUPPLIER_GROUNDS[g]).find((v) => v !== undefined)
  const pc = constraints.previousCompetition
  const hc = profile.healthCare
  return {
    reference: profile.reference,
    authorityType: profile.authorityType ?? 'sub-central',
    contractType: contract.type,
    estimatedValue: contract.estimatedValue,
    cpvCodes: (contract.cpvCodes ?? []).map((c) => c.slice(0, 8)),
    cpvInputs: contract.cpvCodes ?? [],
    categories: contract.categories ?? [],
    solutionMaturity: need.solutionMaturity ?? 'off-the-shelf',
    requirementsClarity: need.requirementsClarity ?? 'specified',
    researchAndDevelopment: need.researchAndDevelopment ?? false,
    complexOrRisky: need.complexOrRisky ?? false,
    negotiation: process.negotiation ?? false,
    demonstrations: process.demonstrations ?? false,
    pitchOrPilot: process.pitchOrPilot ?? false,
    coDevelopment: process.coDevelopment ?? false,
    startDate: constraints.startDate ?? today,
    weeksToAward: constraints.weeksToAward,
    awardBy: constraints.awardBy,
    urgency: constraints.urgency ?? (grounds.includes('extreme-urgency') ? 'extreme' : 'standard'),
    existingAgreement: constraints.existingAgreement ?? 'none',
    singleSupplier: constraints.singleSupplier ?? claimedSingleSupplier ?? 'none',
    teamCapacity: constraints.teamCapacity ?? 'medium',
    priorities: profile.priorities ?? [],
    directAwardGrounds: grounds,
    previousCompetition: pc && {
      procedure: pc.procedure,
      suitableTenders: pc.suitableTenders,
      competitiveAwardPossible: pc.competitiveAwardPossible ?? false,
      conditionsSubstantiallyAltered: pc.conditionsSubstantiallyAltered ?? false
    },
    healthCare: hc && {
      existingProvider: hc.existingProvider ?? false,
      onlyExistingProviderCapable: hc.onlyExistingProviderCapable ?? false,
      patientChoice: hc.patientChoice ?? false,
      existingContractExpiring: hc.existingContractExpiring ?? false,
      existingProviderSatisfactory: hc.existingProviderSatisfactory ?? false,
      existingContractValue: hc.existingContractValue,
      materiallyDifferent: hc.materiallyDifferent ?? false,
      valueChangeFromExternalFactors: hc.valueChangeFromExternalFactors ?? false,
      mostSuitableProviderIdentifiable: hc.mostSuitableProviderIdentifiable ?? false,
      delayRisksSafety: hc.delayRisksSafety ?? false
    },
    concession: contract.concession ?? false,
    utilities: contract.utilities ?? false,
    agreement: profile.agreement && {
      establishes: profile.agreement.establishes,
      otherAuthorities: profile.agreement.otherAuthorities ?? 0,
      centralisedProcurement: profile.agreement.centralisedProcurement ?? false,
      suppliers: profile.agreement.suppliers ?? 'several',
      termMonths: profile.agreement.termMonths,
      longerTermJustified: profile.agreement.longerTermJustified ?? false
    }
  }
}
