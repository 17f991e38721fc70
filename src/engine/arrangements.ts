// What the procurement sets up or is, beyond a single public contract: a framework, an open
// framework or a dynamic market (profile.agreement), a concession, a utilities contract. The law is
// in agreements.json; this module computes the facts its conditions read, the refusals it lists (a
// profile the service does not cover, or one the law does not allow) and the notes of the report's
// agreement and concession sections, each from a condition that held. Pure: reads only the catalogue.
import type { RegimeId } from '../../schemas/common.js'
import type { Threshold, ThresholdKind } from '../../schemas/threshold.js'
import type { Catalogue } from '../catalogue/load.js'
import { compileTemplate, type Predicate, type Render, type Vars } from './compile.js'
import { compileCondition, type Facts } from './conditions.js'
import type { NormalisedProfile } from './normalise.js'

type AgreementsFile = Catalogue['agreements']
type Note = AgreementsFile['rules'][number]
export type ArrangementFactName =
  | 'contract.concession'
  | 'contract.utilities'
  | 'dateRegime'
  | 'agreement.establishes'
  | 'agreement.shared'
  | 'agreement.centralised'
  | 'agreement.suppliers'
  | 'agreement.termMonths'
  | 'agreement.longerTermJustified'
  | 'value.worksSuitabilityStage'

/** The kind of threshold that applies: a concession has its own rows of Sch 1 (row 7 light touch, row 9 the rest). */
export function thresholdKind(p: NormalisedProfile, lightTouch: boolean): ThresholdKind {
  if (p.concession) return lightTouch ? 'light-touch-concession' : 'concession'
  return p.contractType === 'works' ? 'works' : lightTouch ? 'light-touch' : 'goods-services'
}

/** A threshold of one kind in force on the start date for the authority type and regime, if the catalogue has one. */
export function thresholdOf(catalogue: Catalogue, kind: ThresholdKind, p: NormalisedProfile, regime: RegimeId): Threshold | undefined {
  return catalogue.thresholds.find(
    (t) =>
      t.kind === kind &&
      t.authorityType === p.authorityType &&
      t.regimes.includes(regime) &&
      t.effectiveFrom <= p.startDate &&
      (t.effectiveTo === null || p.startDate <= t.effectiveTo)
  )
}

/** The facts of agreements.json's conditions (and of the rules.json rules about agreements and concessions). */
export function arrangementFacts(
  catalogue: Catalogue,
  p: NormalisedProfile,
  dateRegime: RegimeId
): { facts: Record<ArrangementFactName, string | boolean | number>; suitability: Threshold | undefined } {
  const a = p.agreement
  // s.85(3): from this value a below-threshold works contract may restrict tenders by suitability.
  const suitability = thresholdOf(catalogue, 'works-suitability-stage', p, dateRegime)
  return {
    facts: {
      'contract.concession': p.concession,
      'contract.utilities': p.utilities,
      dateRegime,
      'agreement.establishes': a?.establishes ?? 'none',
      'agreement.shared': a !== undefined && (a.otherAuthorities > 0 || a.centralisedProcurement),
      'agreement.centralised': a?.centralisedProcurement ?? false,
      'agreement.suppliers': a?.suppliers ?? 'several',
      // 0 when no term was given: "lte" limits then hold, "gt" limits do not.
      'agreement.termMonths': a?.termMonths ?? 0,
      'agreement.longerTermJustified': a?.longerTermJustified ?? false,
      'value.worksSuitabilityStage': suitability !== undefined && p.estimatedValue >= suitability.amount
    },
    suitability
  }
}

/** One note of the report's agreement or concession section (schemas/report.ts RuleNote). */
export interface NoteOutcome {
  ruleId: string
  factor: string
  effect: Note['effect']
  text: string
  legalBasis: string
  confidence: Note['confidence']
}

export interface AgreementOutcome {
  establishes: NonNullable<NormalisedProfile['agreement']>['establishes']
  name: string
  legalBasis: string
  otherAuthorities: number
  centralisedProcurement: boolean
  rules: NoteOutcome[]
}

export interface ConcessionOutcome {
  legalBasis: string
  rules: NoteOutcome[]
}

export interface Refusal {
  pointer: string
  message: string
  /** A valid profile the service does not cover (422), rather than one the law does not allow (400). */
  notCovered: boolean
}

interface CompiledNote {
  note: Note
  when: Predicate
  text: Render
}

export interface CompiledArrangements {
  /** The first refusal of the kind whose condition holds. */
  refusal(kind: 'not-covered' | 'invalid', facts: Partial<Facts>, vars: Vars): Refusal | undefined
  /** A kind of agreement the regime has no route for (an open framework under the PCR 2015). */
  noRoute(p: NormalisedProfile, regime: RegimeId, vars: Vars): Refusal | undefined
  /** The name of what is set up under the regime ("Dynamic purchasing system" under the PCR 2015). */
  agreementName(p: NormalisedProfile, regime: RegimeId): string
  /** The report's agreement and concession sections, and the facts behind them not yet confirmed. */
  sections(
    p: NormalisedProfile,
    regime: RegimeId,
    facts: Facts,
    vars: Vars
  ): { agreement: AgreementOutcome | undefined; concession: ConcessionOutcome | undefined; unconfirmed: string[] }
}

export function compileArrangements(catalogue: Catalogue): CompiledArrangements {
  const file = catalogue.agreements
  const refusals = file.refusals.map((r) => ({ r, when: compileCondition(r.when), message: compileTemplate(r.message) }))
  const noRouteMessage = compileTemplate(file.noRoute.message)
  const notes: CompiledNote[] = file.rules.map((note) => ({ note, when: compileCondition(note.when), text: compileTemplate(note.text) }))
  const routeOf = (p: NormalisedProfile, regime: RegimeId) =>
    p.agreement && file.kinds.find((k) => k.id === p.agreement?.establishes)?.routes[regime]

  function evaluate(section: Note['section'], regime: RegimeId, facts: Facts, vars: Vars): NoteOutcome[] {
    const out: NoteOutcome[] = []
    for (const { note, when, text } of notes) {
      if (note.section !== section || !note.regimes.includes(regime) || !when(facts)) continue
      out.push({
        ruleId: note.id,
        factor: note.factor,
        effect: note.effect,
        text: text(vars),
        legalBasis: note.legalBasis,
        confidence: note.confidence
      })
    }
    return out
  }

  return {
    refusal(kind, facts, vars) {
      const hit = refusals.find(({ r, when }) => r.kind === kind && when(facts as Facts))
      return hit && { pointer: hit.r.pointer, message: hit.message(vars), notCovered: kind === 'not-covered' }
    },
    noRoute(p, regime, vars) {
      if (!p.agreement || routeOf(p, regime)) return undefined
      return {
        pointer: file.noRoute.pointer,
        message: noRouteMessage({ ...vars, agreementKind: p.agreement.establishes }),
        notCovered: false
      }
    },
    agreementName(p, regime) {
      return routeOf(p, regime)?.name ?? ''
    },
    sections(p, regime, facts, vars) {
      let agreement: AgreementOutcome | undefined
      let concession: ConcessionOutcome | undefined
      const route = routeOf(p, regime)
      if (p.agreement && route) {
        const rules = evaluate('agreement', regime, facts, vars)
        if (rules.length > 0) {
          agreement = {
            establishes: p.agreement.establishes,
            name: route.name,
            legalBasis: route.legalBasis,
            otherAuthorities: p.agreement.otherAuthorities,
            centralisedProcurement: p.agreement.centralisedProcurement,
            rules
          }
        }
      }
      if (p.concession) {
        const rules = evaluate('concession', regime, facts, vars)
        if (rules.length > 0) concession = { legalBasis: file.concession.legalBasis[regime] ?? rules[0]!.legalBasis, rules }
      }
      const unconfirmed = [...(agreement?.rules ?? []), ...(concession?.rules ?? [])]
        .filter((r) => r.confidence !== 'confirmed')
        .map((r) => `the ${r.ruleId} note (${r.legalBasis})`)
      return { agreement, concession, unconfirmed }
    }
  }
}
