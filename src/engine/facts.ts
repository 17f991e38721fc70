// The named facts of a direct award's grounds and of the Provider Selection Regime's processes
// (FACT_NAMES in src/catalogue/schema.ts): the profile's constraints.directAwardGrounds,
// constraints.previousCompetition and healthCare with their defaults, and the value test of the
// considerable change threshold. Conditions in rules.json and psr-processes.json read only these.
import type { Facts } from './conditions.js'
import type { NormalisedProfile } from './normalise.js'
import type { ValueTest } from './psr.js'

type DirectAwardAndPsrFactName = Extract<
  keyof Facts,
  `previousCompetition.${string}` | `healthCare.${string}` | 'constraints.directAwardGrounds' | 'psr.availableProcesses'
>

export function directAwardAndPsrFacts(p: NormalisedProfile, valueTest: ValueTest): Pick<Facts, DirectAwardAndPsrFactName> {
  const pc = p.previousCompetition
  const hc = p.healthCare
  return {
    'constraints.directAwardGrounds': p.directAwardGrounds,
    // No competition reported: "none", and nothing about it to switch on.
    'previousCompetition.procedure': pc?.procedure ?? 'none',
    'previousCompetition.suitableTenders': pc?.suitableTenders ?? true,
    'previousCompetition.competitiveAwardPossible': pc?.competitiveAwardPossible ?? true,
    'previousCompetition.conditionsSubstantiallyAltered': pc?.conditionsSubstantiallyAltered ?? false,
    'healthCare.existingProvider': hc?.existingProvider ?? false,
    'healthCare.onlyExistingProviderCapable': hc?.onlyExistingProviderCapable ?? false,
    'healthCare.patientChoice': hc?.patientChoice ?? false,
    'healthCare.existingContractExpiring': hc?.existingContractExpiring ?? false,
    'healthCare.existingProviderSatisfactory': hc?.existingProviderSatisfactory ?? false,
    'healthCare.materiallyDifferent': hc?.materiallyDifferent ?? false,
    'healthCare.valueTest': valueTest,
    'healthCare.mostSuitableProviderIdentifiable': hc?.mostSuitableProviderIdentifiable ?? false,
    'healthCare.delayRisksSafety': hc?.delayRisksSafety ?? false,
    // Filled in as the PSR processes are evaluated (src/engine/psr.ts).
    'psr.availableProcesses': []
  }
}
