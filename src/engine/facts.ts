// The named facts the rules read (FACT_NAMES in src/catalogue/schema.ts): the profile with its
// defaults, and the facts derived from it. Conditions in the data files read only these.
import type { DerivedFacts } from './decision.js'
import type { Facts } from './conditions.js'
import type { NormalisedProfile } from './normalise.js'
import type { ValueTest } from './psr.js'

export function ruleFactsOf(p: NormalisedProfile, facts: DerivedFacts, valueTest: ValueTest): Facts {
  const pc = p.previousCompetition
  const hc = p.healthCare
  return {
    regime: facts.regime,
    'contract.type': p.contractType,
    'value.aboveThreshold': facts.aboveThreshold,
    'value.lightTouch': facts.lightTouch,
    'value.healthCare': facts.healthCare,
    'need.solutionMaturity': p.solutionMaturity,
    'need.requirementsClarity': p.requirementsClarity,
    'need.researchAndDevelopment': p.researchAndDevelopment,
    'need.complexOrRisky': p.complexOrRisky,
    'process.negotiation': p.negotiation,
    'process.demonstrations': p.demonstrations,
    'process.pitchOrPilot': p.pitchOrPilot,
    'process.coDevelopment': p.coDevelopment,
    'constraints.urgency': p.urgency,
    'constraints.existingAgreement': p.existingAgreement,
    'constraints.singleSupplier': p.singleSupplier,
    'constraints.teamCapacity': p.teamCapacity,
    priorities: p.priorities,
    'contract.framework': p.framework,
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
