// What the council told us, apart from what we assumed (contract 1.2). One table from each fact
// the rules read to where it comes from: a field of the profile (and what its absence means) or
// the evaluation itself. An absent field is either unknown (it never excludes: a condition on it
// is to confirm, and a question to ask) or a default that counts as given; either way, a reason
// that rests on it says so (basis "assumed") and the report lists it in assumedInputs.
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { FactName } from '../catalogue/schema.js'
import type { UnknownFacts } from './conditions.js'

export type Basis = 'given' | 'derived' | 'assumed'

interface InputFact {
  /** The profile field, as a JSON pointer. */
  pointer: string
  /** What an absent field is: unknown, or a default that counts as given. */
  absent: 'unknown' | 'default'
  /** What it is when the object that holds it is absent, where that differs. */
  parentAbsent?: 'default'
  /** A preference of the buyer: it changes scores, never what the law allows. */
  preference?: true
  /** Where an absent field takes another field's value (a claimed ground spelled as a constraint). */
  derivedWhen?: (profile: ProcurementProfile) => boolean
  /** An unknown fact: the question that settles it, and the values its answer may take. */
  ask?: { question: string; values: readonly (string | boolean)[] }
}

type FactSource = InputFact | { derived: true }

const input = (pointer: string, absent: InputFact['absent'], more: Omit<InputFact, 'pointer' | 'absent'> = {}): InputFact => ({
  pointer,
  absent,
  ...more
})
const derived: FactSource = { derived: true }
type GroundId = NonNullable<NonNullable<ProcurementProfile['constraints']>['directAwardGrounds']>[number]
const claimsAny = (grounds: GroundId[]) => (profile: ProcurementProfile) =>
  grounds.some((g) => profile.constraints?.directAwardGrounds?.includes(g) === true)

/** Every fact of the rules, and where it comes from. A new fact is one line here. */
export const FACT_SOURCES: Record<FactName, FactSource> = {
  regime: derived,
  dateRegime: derived,
  'contract.type': input('/contract/type', 'default'),
  'contract.concession': input('/contract/concession', 'default'),
  'contract.utilities': input('/contract/utilities', 'default'),
  'agreement.establishes': input('/agreement/establishes', 'default'),
  'agreement.shared': derived,
  'agreement.centralised': input('/agreement/centralisedProcurement', 'default'),
  'agreement.suppliers': input('/agreement/suppliers', 'default'),
  'agreement.termMonths': input('/agreement/termMonths', 'default'),
  'agreement.longerTermJustified': input('/agreement/longerTermJustified', 'default'),
  'value.aboveThreshold': derived,
  'value.lightTouch': derived,
  'value.healthCare': derived,
  'value.worksSuitabilityStage': derived,
  'need.solutionMaturity': input('/need/solutionMaturity', 'unknown', {
    ask: {
      question: 'Is there a solution on the market that meets the need as it is, one that would need adapting, or none?',
      values: ['off-the-shelf', 'needs-adaptation', 'not-on-market']
    }
  }),
  'need.requirementsClarity': input('/need/requirementsClarity', 'unknown', {
    ask: {
      question: 'Can the requirement be specified in full now, is only the outcome known, or is it still to be explored?',
      values: ['specified', 'outcome-known', 'exploratory']
    }
  }),
  'need.researchAndDevelopment': input('/need/researchAndDevelopment', 'unknown', {
    ask: { question: 'Does the work need research and development, such as prototypes?', values: [true, false] }
  }),
  'need.complexOrRisky': input('/need/complexOrRisky', 'unknown', {
    ask: {
      question:
        'Is the contract so complex or risky, in its nature or its legal and financial make-up, that it cannot be awarded without negotiating first?',
      values: [true, false]
    }
  }),
  'process.negotiation': input('/process/negotiation', 'unknown', {
    preference: true,
    ask: { question: 'Do you need to negotiate requirements or terms with bidders?', values: [true, false] }
  }),
  'process.demonstrations': input('/process/demonstrations', 'unknown', {
    preference: true,
    ask: {
      question: 'Do you want demonstrations, testing environments or proofs of concept during the procurement?',
      values: [true, false]
    }
  }),
  'process.pitchOrPilot': input('/process/pitchOrPilot', 'unknown', {
    preference: true,
    ask: {
      question: 'Do you want a pitch competition or pilots of several solutions, judged by a jury, with an option to contract?',
      values: [true, false]
    }
  }),
  'process.coDevelopment': input('/process/coDevelopment', 'unknown', {
    preference: true,
    ask: { question: 'Do you want to develop the solution with suppliers and several stakeholders?', values: [true, false] }
  }),
  'constraints.urgency': input('/constraints/urgency', 'default', { derivedWhen: claimsAny(['extreme-urgency']) }),
  'constraints.existingAgreement': input('/constraints/existingAgreement', 'default'),
  'constraints.singleSupplier': input('/constraints/singleSupplier', 'default', {
    derivedWhen: claimsAny(['artistic', 'exclusive-rights', 'technical-reasons'])
  }),
  'constraints.teamCapacity': input('/constraints/teamCapacity', 'unknown', {
    ask: {
      question: 'How much capacity does the procurement team have for a complex procedure: low, medium or high?',
      values: ['low', 'medium', 'high']
    }
  }),
  priorities: input('/priorities', 'default', { preference: true }),
  'constraints.directAwardGrounds': input('/constraints/directAwardGrounds', 'default'),
  'previousCompetition.procedure': input('/constraints/previousCompetition/procedure', 'default'),
  'previousCompetition.suitableTenders': input('/constraints/previousCompetition/suitableTenders', 'default'),
  'previousCompetition.competitiveAwardPossible': input('/constraints/previousCompetition/competitiveAwardPossible', 'unknown', {
    parentAbsent: 'default',
    ask: { question: 'After the earlier competition, is an award after a new competitive procedure still possible?', values: [true, false] }
  }),
  'previousCompetition.conditionsSubstantiallyAltered': input(
    '/constraints/previousCompetition/conditionsSubstantiallyAltered',
    'unknown',
    {
      parentAbsent: 'default',
      ask: {
        question: 'Would the initial conditions of the contract be substantially altered from those of the earlier competition?',
        values: [true, false]
      }
    }
  ),
  'healthCare.existingProvider': input('/healthCare/existingProvider', 'unknown', {
    ask: { question: 'Is there an existing provider of these services?', values: [true, false] }
  }),
  'healthCare.onlyExistingProviderCapable': input('/healthCare/onlyExistingProviderCapable', 'unknown', {
    ask: {
      question: 'Are you satisfied that, due to the nature of the services, only the existing provider can provide them?',
      values: [true, false]
    }
  }),
  'healthCare.patientChoice': input('/healthCare/patientChoice', 'unknown', {
    ask: {
      question: 'Are patients offered a choice of provider, without the council restricting the number of providers?',
      values: [true, false]
    }
  }),
  'healthCare.existingContractExpiring': input('/healthCare/existingContractExpiring', 'unknown', {
    ask: { question: 'Is an existing contract for these services due to expire, to be replaced by the new one?', values: [true, false] }
  }),
  'healthCare.existingProviderSatisfactory': input('/healthCare/existingProviderSatisfactory', 'unknown', {
    ask: { question: 'Is the existing provider satisfying the existing contract?', values: [true, false] }
  }),
  'healthCare.materiallyDifferent': input('/healthCare/materiallyDifferent', 'unknown', {
    ask: { question: 'Are the proposed arrangements materially different in character from the existing contract?', values: [true, false] }
  }),
  // Derived from the existing contract's value (src/engine/psr.ts valueTestOf): unknown without it.
  'healthCare.valueTest': input('/healthCare/existingContractValue', 'unknown', {
    ask: { question: 'What is the lifetime value of the existing contract?', values: ['met', 'not-met'] }
  }),
  'healthCare.mostSuitableProviderIdentifiable': input('/healthCare/mostSuitableProviderIdentifiable', 'unknown', {
    ask: {
      question:
        'Can you identify the most suitable provider without a competition, from the likely providers and the information you have?',
      values: [true, false]
    }
  }),
  'healthCare.delayRisksSafety': input('/healthCare/delayRisksSafety', 'unknown', {
    ask: {
      question: 'Would delaying the award to follow an award process be likely to put patients or the public at risk?',
      values: [true, false]
    }
  }),
  'psr.availableProcesses': derived
}

export const isPreference = (fact: FactName): boolean => (FACT_SOURCES[fact] as InputFact).preference === true

/** The profile field a fact comes from, when it comes from one. */
export const pointerOf = (fact: FactName): string | undefined => (FACT_SOURCES[fact] as InputFact).pointer

/** The question that settles an unknown fact, and the values its answer may take. */
export const askOf = (fact: FactName): InputFact['ask'] => (FACT_SOURCES[fact] as InputFact).ask

/** Inputs whose defaults count as given and that no rule reads: they decide the regime and the threshold. */
export const INPUT_DEFAULTS = [
  { pointer: '/constraints/startDate', effect: 'Decides the regime and the thresholds that apply: today was taken as the start date.' },
  { pointer: '/authorityType', effect: 'Decides the threshold: a sub-central authority (such as a borough) was assumed.' }
] as const

/** How each fact of one profile is known, and which are unknown. */
export interface Knowledge {
  basis: Record<FactName, Basis>
  unknown: UnknownFacts
  /** The fields absent from the profile whose defaults the facts took, in the table's order. */
  assumed: { fact: FactName; pointer: string; unknown: boolean }[]
}

/** Whether the profile gives the field at a JSON pointer. */
export function hasField(profile: unknown, pointer: string): boolean {
  let at: unknown = profile
  for (const key of pointer.slice(1).split('/')) {
    if (at === null || typeof at !== 'object' || !(key in at)) return false
    at = (at as Record<string, unknown>)[key]
  }
  return at !== undefined
}

export const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf('/'))

export function knowledgeOf(profile: ProcurementProfile): Knowledge {
  const basis = {} as Record<FactName, Basis>
  const unknown = new Set<FactName>()
  const assumed: Knowledge['assumed'] = []
  for (const [name, source] of Object.entries(FACT_SOURCES) as [FactName, FactSource][]) {
    if ('derived' in source) {
      basis[name] = 'derived'
      continue
    }
    if (hasField(profile, source.pointer)) {
      basis[name] = name === 'healthCare.valueTest' ? 'derived' : 'given'
      continue
    }
    if (source.derivedWhen?.(profile)) {
      basis[name] = 'derived'
      continue
    }
    basis[name] = 'assumed'
    const absent = source.parentAbsent !== undefined && !hasField(profile, parentOf(source.pointer)) ? source.parentAbsent : source.absent
    if (absent === 'unknown') unknown.add(name)
    assumed.push({ fact: name, pointer: source.pointer, unknown: absent === 'unknown' })
  }
  return { basis, unknown, assumed }
}

/** What each field left out is, in words, for a person reading the answer or the paper. */
export const FIELD_LABELS: Record<string, string> = {
  '/constraints/startDate': 'The start date',
  '/authorityType': 'The type of authority',
  '/contract/type': 'What is bought: goods, services or works',
  '/contract/concession': 'Whether the contract is a concession',
  '/contract/utilities': 'Whether the contract is a utilities contract',
  '/agreement': 'What the procurement sets up (a single contract, unless it says otherwise)',
  '/agreement/establishes': 'What the procurement sets up',
  '/agreement/centralisedProcurement': 'Whether it is a centralised procurement',
  '/agreement/suppliers': 'How many suppliers the agreement will have',
  '/agreement/termMonths': 'The term of the agreement',
  '/agreement/longerTermJustified': 'Whether a longer term is justified',
  '/need': 'The need: whether solutions exist, how far it can be specified, research and development, complexity',
  '/need/solutionMaturity': 'Whether solutions on the market meet the need',
  '/need/requirementsClarity': 'How far the requirement can be specified',
  '/need/researchAndDevelopment': 'Whether the work needs research and development',
  '/need/complexOrRisky': 'Whether the contract is too complex or risky to award without negotiating',
  '/process': 'What the process should allow: negotiation, demonstrations, a pitch or pilots, co-development',
  '/process/negotiation': 'Whether negotiation with bidders is wanted',
  '/process/demonstrations': 'Whether demonstrations or proofs of concept are wanted',
  '/process/pitchOrPilot': 'Whether a pitch competition or pilots are wanted',
  '/process/coDevelopment': 'Whether co-development with suppliers is wanted',
  '/constraints/urgency': 'How urgent the need is',
  '/constraints/existingAgreement': 'Whether a suitable framework or dynamic market already exists',
  '/constraints/singleSupplier': 'Whether only one supplier can deliver',
  '/constraints/teamCapacity': "The procurement team's capacity for a complex procedure",
  '/priorities': "The council's priorities",
  '/constraints/directAwardGrounds': 'Any direct award ground claimed',
  '/constraints/previousCompetition': 'An earlier competition for this contract',
  '/constraints/previousCompetition/procedure': 'The procedure of the earlier competition',
  '/constraints/previousCompetition/suitableTenders': 'Whether the earlier competition drew a suitable tender',
  '/constraints/previousCompetition/competitiveAwardPossible':
    'Whether a competitive award is still possible after the earlier competition',
  '/constraints/previousCompetition/conditionsSubstantiallyAltered': 'Whether the initial conditions would be substantially altered',
  '/healthCare': 'The existing health care arrangements',
  '/healthCare/existingProvider': 'Whether there is an existing provider',
  '/healthCare/onlyExistingProviderCapable': 'Whether only the existing provider can provide the services',
  '/healthCare/patientChoice': 'Whether patients choose among providers',
  '/healthCare/existingContractExpiring': 'Whether an existing contract is expiring',
  '/healthCare/existingProviderSatisfactory': 'Whether the existing provider is satisfying the contract',
  '/healthCare/existingContractValue': "The existing contract's lifetime value",
  '/healthCare/materiallyDifferent': 'Whether the proposed arrangements are materially different',
  '/healthCare/mostSuitableProviderIdentifiable': 'Whether the most suitable provider can be identified without a competition',
  '/healthCare/delayRisksSafety': 'Whether a delay would put patients or the public at risk'
}
