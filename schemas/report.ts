// The recommendation report: the response of POST /v1/recommendations.
import Type from 'typebox'
import type { OcdsFields } from './ocds.js'
import {
  ConfidenceSchema,
  DateSchema,
  ProcedureIdSchema,
  PSR_PROCESS_IDS,
  RaciMatrixSchema,
  RegimeIdSchema,
  RulesetVersionSchema,
  WARNING_CODES
} from './common.js'
import { AGREEMENT_KINDS } from './profile.js'
import { THRESHOLD_KINDS } from './threshold.js'

export const ReasonSchema = Type.Object(
  {
    ruleId: Type.String({
      description:
        'The rule of the ruleset that gave this reason (rules.json; "<rule>/<ground>" for one ground of a rule, ' +
        '"<rule>/<ground>/<condition>" for one of its conditions or duties; for a Provider Selection Regime ' +
        'process, "<process>/<route>[/<condition>]" or "<process>/<preference>", psr-processes.json). ' +
        'Stable within a ruleset version, so an integrator can tell reasons apart without parsing the text.'
    }),
    factor: Type.String({
      description: 'The profile field or derived fact the reason is about, e.g. "process.negotiation" or "value.aboveThreshold".'
    }),
    effect: Type.Enum(['supports', 'weakens', 'excludes'], { description: '"excludes" marks a condition that rules the procedure out.' }),
    text: Type.String(),
    legalBasis: Type.Optional(Type.String({ description: 'Where the law decides it: the instrument and provision.' })),
    confidence: Type.Optional(ConfidenceSchema),
    basis: Type.Optional(
      Type.Enum(['given', 'derived', 'assumed'], {
        description:
          '(1.2) What the reason rests on: given (the profile says so), derived (computed from what it says: the regime, ' +
          'the threshold, light touch), or assumed (a default, because the profile does not say; assumedInputs lists it). ' +
          'Only given or derived facts exclude.'
      })
    )
  },
  {
    $id: 'Reason',
    additionalProperties: false,
    description: 'One condition of the evaluation that held or failed, and what it does to the procedure.'
  }
)
export type Reason = Type.Static<typeof ReasonSchema>

const PsrProcessIdSchema = Type.Enum([...PSR_PROCESS_IDS], {
  description:
    'A Provider Selection Regime award process: direct-award-a, direct-award-b, direct-award-c (PSR 2023 regs 7-9), ' +
    'most-suitable-provider (reg 10), competitive-process (reg 11), urgent-award (reg 14). Stable; never renamed.'
})

export const LegalRouteRefSchema = Type.Object(
  {
    regime: RegimeIdSchema,
    name: Type.String(),
    legalBasis: Type.String(),
    process: Type.Optional(
      Type.Object(
        {
          id: PsrProcessIdSchema,
          name: Type.String(),
          legalBasis: Type.String(),
          mandatory: Type.Boolean({
            description:
              'The regulations require this process (PSR 2023 reg 6(3), (4), (7) or (8)); false: it is the first of the options they leave to the buyer.'
          })
        },
        {
          additionalProperties: false,
          description:
            'Provider Selection Regime only, when the profile gives healthCare: the award process ranked first in ' +
            "the recommendation's processes."
        }
      )
    )
  },
  {
    $id: 'LegalRouteRef',
    additionalProperties: false,
    description: 'How the procedure is carried out under the regime that applies (GET /v1/procedures/{id} has the full route).'
  }
)
type LegalRouteRef = Type.Static<typeof LegalRouteRefSchema>
const reasons = Type.Array(Type.Unsafe<Reason>(Type.Ref('Reason')), { minItems: 1 })

export const ToConfirmSchema = Type.Object(
  {
    pointer: Type.Optional(
      Type.String({ description: 'The profile field (JSON pointer) whose answer would settle the condition, where one would.' })
    ),
    condition: Type.String({ description: 'The legal condition, as it must hold.' }),
    legalBasis: Type.Optional(Type.String())
  },
  {
    $id: 'ToConfirm',
    additionalProperties: false,
    description: '(1.2) A legal condition that no given fact establishes or refutes: confirm it before relying on the procedure.'
  }
)
export type ToConfirm = Type.Static<typeof ToConfirmSchema>
const toConfirm = Type.Optional(
  Type.Array(Type.Unsafe<ToConfirm>(Type.Ref('ToConfirm')), {
    minItems: 1,
    description: '(1.2) Legal conditions no given fact establishes or refutes; they never exclude. Absent when there are none.'
  })
)

const GroundStatusSchema = Type.Enum(['holds', 'fails', 'toConfirm'])
export const DirectAwardGroundSchema = Type.Object(
  {
    id: Type.String({ description: 'The ground, as claimed in constraints.directAwardGrounds (or the constraint that implies it).' }),
    status: GroundStatusSchema,
    conditions: Type.Array(
      Type.Object(
        { text: Type.String(), status: GroundStatusSchema, legalBasis: Type.Optional(Type.String()) },
        { additionalProperties: false }
      )
    ),
    evidence: Type.Optional(Type.String({ description: 'What the record of the award must show to justify it on this ground.' }))
  },
  {
    $id: 'DirectAwardGround',
    additionalProperties: false,
    description:
      '(1.2) A claimed direct award ground: each of its conditions holding, failing or to confirm. A ground that only naming it ' +
      'establishes is to confirm, and the direct award is then at best a possible fit.'
  }
)
export type DirectAwardGround = Type.Static<typeof DirectAwardGroundSchema>
const grounds = Type.Optional(
  Type.Array(Type.Unsafe<DirectAwardGround>(Type.Ref('DirectAwardGround')), {
    description: '(1.2) direct-award only: each ground claimed, with its conditions and what the record must show.'
  })
)

export const AssumedInputSchema = Type.Object(
  {
    pointer: Type.String({ description: 'The profile field left out (JSON pointer).' }),
    label: Type.String({ description: 'What the field is, in words.' }),
    assumed: Type.Unknown({ description: 'The value the evaluation took for it.' }),
    unknown: Type.Boolean({
      description:
        'true: an unknown fact (it never excludes; conditions on it are to confirm). false: a default that counts as given (contract 1.2).'
    }),
    effect: Type.Optional(Type.String({ description: 'What the assumption does to this answer. Absent in the compact view.' }))
  },
  { $id: 'AssumedInput', additionalProperties: false, description: '(1.2) A field the profile left out, and the value assumed for it.' }
)
export type AssumedInput = Type.Static<typeof AssumedInputSchema>

export const QuestionSchema = Type.Object(
  {
    pointer: Type.String({ description: 'The profile field the answer goes in (JSON pointer).' }),
    question: Type.String(),
    why: Type.Optional(Type.String({ description: 'What the answer would change in this report. Absent in the compact view.' }))
  },
  { $id: 'Question', additionalProperties: false, description: '(1.2) A question for the officer whose answer would change the ranking.' }
)
export type Question = Type.Static<typeof QuestionSchema>

export const PsrProcessSchema = Type.Object(
  {
    // A type list, not a union, as for effectiveTo below.
    rank: Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      description:
        'Best first: a process the regulations require (Direct Award Process A or B above all), or an urgent award, before the options they leave to ' +
        'the buyer, which are ranked by its priorities; null when not available.'
    }),
    id: PsrProcessIdSchema,
    name: Type.String(),
    legalBasis: Type.String(),
    status: Type.Enum(['mandatory', 'available', 'not-available'], {
      description:
        'mandatory: the regulations require it. available: one of the processes the regulations leave to the ' +
        "buyer's choice (reg 6(5)-(6)), or an urgent award (reg 14), including one whose conditions are to confirm (toConfirm). " +
        'not-available: a given or derived fact rules it out.'
    }),
    reasons,
    toConfirm
  },
  {
    $id: 'PsrProcess',
    additionalProperties: false,
    description: 'One Provider Selection Regime award process, evaluated for the profile: why it must, may or may not be used.'
  }
)
export type PsrProcess = Type.Static<typeof PsrProcessSchema>

export const RecommendationSchema = Type.Object(
  {
    rank: Type.Integer({ minimum: 1 }),
    procedureId: ProcedureIdSchema,
    name: Type.String(),
    legalRoute: Type.Unsafe<LegalRouteRef>(Type.Ref('LegalRouteRef')),
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    fit: Type.Enum(['strong', 'good', 'possible']),
    summary: Type.Optional(
      Type.String({ description: 'What the procedure is (GET /v1/procedures/{id} has it too). Absent in the compact view.' })
    ),
    reasons,
    timeline: Type.Object(
      {
        minimumWeeks: Type.Integer({ minimum: 0, description: 'Statutory minimum periods from start to award, in weeks.' }),
        typicalWeeks: Type.Object(
          { min: Type.Integer(), max: Type.Integer() },
          { additionalProperties: false, description: 'Indicative duration (practitioner estimate).' }
        ),
        feasible: Type.Enum(['yes', 'tight', 'no', 'unknown'], {
          description:
            'Against the award deadline (constraints.awardBy, or the start date + weeksToAward). Where a dated plan ' +
            'applies (earliestAward given): no if the deadline is before awardBy.earliestByLaw; tight if it is before ' +
            'earliestAward, or sooner after the start date than the typical maximum; yes otherwise. Elsewhere (PCR 2015): no if the time to the ' +
            'deadline is shorter than the statutory minimum, tight if shorter than the typical maximum, yes ' +
            'otherwise. unknown without a deadline.'
        }),
        earliestAward: Type.Optional({
          ...DateSchema,
          description:
            '(1.1) Where a dated plan applies (Procurement Act 2023, PSR): the earliest contract entry of ' +
            'POST /v1/plans for this procedure with default options: the statutory periods counted in working ' +
            'days from the start date plus the estimated stages the law does not time.'
        }),
        awardBy: Type.Optional(
          Type.Object(
            {
              date: DateSchema,
              from: Type.Enum(['awardBy', 'weeksToAward'], {
                description: 'constraints.awardBy, or the start date + weeksToAward when no awardBy is given.'
              }),
              marginDays: Type.Optional(
                Type.Integer({ description: 'With earliestAward: calendar days from earliestAward to the deadline (negative: missed).' })
              ),
              earliestByLaw: Type.Optional({
                ...DateSchema,
                description:
                  'When the deadline is before earliestAward: the earliest contract entry the law alone allows ' +
                  '(every estimated stage taking no time). feasible is no when the deadline is before it too, tight otherwise.'
              })
            },
            { additionalProperties: false, description: '(1.1) The award deadline the timeline was checked against.' }
          )
        )
      },
      { additionalProperties: false }
    ),
    considerations: Type.Optional(
      Type.Array(Type.String(), {
        description: 'What to check before relying on the procedure. Absent in the compact view (?view=compact).'
      })
    ),
    ocds: Type.Optional(Type.Unsafe<OcdsFields>(Type.Ref('OcdsFields'))),
    toConfirm,
    grounds,
    processes: Type.Optional(
      Type.Array(Type.Unsafe<PsrProcess>(Type.Ref('PsrProcess')), {
        description:
          'provider-selection-regime only, when the profile gives healthCare: every award process of the ' +
          'Provider Selection Regime, ranked, with the reasons from the evaluation (PSR 2023 regs 6-14).'
      })
    )
  },
  { $id: 'Recommendation', additionalProperties: false, description: 'A recommended procedure, best first.' }
)
export type Recommendation = Type.Static<typeof RecommendationSchema>

export const NotRecommendedSchema = Type.Object(
  {
    procedureId: ProcedureIdSchema,
    name: Type.String(),
    reasons,
    toConfirm,
    grounds
  },
  {
    $id: 'NotRecommended',
    additionalProperties: false,
    description: 'A procedure not recommended, with the reasons; "excludes" marks what rules it out.'
  }
)
export type NotRecommended = Type.Static<typeof NotRecommendedSchema>

export const WarningSchema = Type.Object(
  {
    code: Type.Enum([...WARNING_CODES], { description: 'Stable warning code; never renamed.' }),
    message: Type.String()
  },
  { $id: 'Warning', additionalProperties: false }
)
export type Warning = Type.Static<typeof WarningSchema>

export const AlternativeReadingSchema = Type.Object(
  {
    line: Type.Enum(['health-care', 'light-touch'], {
      description:
        'The legal line the broad main CPV code straddles: health-care (Provider Selection Regime Sch 1) or light-touch ' +
        '(Procurement Regulations 2024 Sch 1; PCR 2015 Sch 3).'
    }),
    reading: Type.Boolean({ description: 'The reading assumed here: true when on the list side (health care; light touch).' }),
    assumption: Type.String({ description: 'The reading in words, naming the narrower codes that would make it right.' }),
    regime: Type.Object({ id: RegimeIdSchema, name: Type.String(), reason: Type.String() }, { additionalProperties: false }),
    value: Type.Object(
      {
        aboveThreshold: Type.Boolean(),
        lightTouch: Type.Boolean(),
        healthCare: Type.Boolean(),
        threshold: Type.Object(
          { amount: Type.Number(), kind: Type.Enum([...THRESHOLD_KINDS]) },
          { additionalProperties: false, description: 'The threshold that applies under this reading.' }
        )
      },
      { additionalProperties: false }
    ),
    recommendations: Type.Array(
      Type.Object(
        {
          rank: Type.Integer({ minimum: 1 }),
          procedureId: ProcedureIdSchema,
          name: Type.String(),
          legalRoute: Type.Unsafe<LegalRouteRef>(Type.Ref('LegalRouteRef'))
        },
        { additionalProperties: false }
      ),
      { minItems: 1, description: 'The procedures recommended under this reading, best first.' }
    )
  },
  {
    $id: 'AlternativeReading',
    additionalProperties: false,
    description:
      'The answer under the other reading of a broad main CPV code (e.g. 85000000) whose narrower codes fall on both ' +
      'sides of a legal line, when no category settled it. The report itself follows the code as it stands.'
  }
)
export type AlternativeReading = Type.Static<typeof AlternativeReadingSchema>

export const RuleNoteSchema = Type.Object(
  {
    ruleId: Type.String({ description: 'The rule of the ruleset that gave this note (agreements.json). Stable within a ruleset version.' }),
    factor: Type.String({ description: 'The profile field or derived fact the note is about, e.g. "agreement.termMonths".' }),
    effect: Type.Enum(['applies', 'needs-action'], {
      description:
        'applies: a rule of law that governs what is set up or bought. needs-action: the profile as given needs the ' +
        'buyer to act (for example a term over the limit with no reasons for the notice).'
    }),
    text: Type.String(),
    legalBasis: Type.String({ description: 'The instrument and provision.' }),
    confidence: ConfidenceSchema
  },
  {
    $id: 'RuleNote',
    additionalProperties: false,
    description: 'A rule that applies to what the procurement sets up or to the kind of contract, from a condition that held.'
  }
)
export type RuleNote = Type.Static<typeof RuleNoteSchema>
const ruleNotes = Type.Array(Type.Unsafe<RuleNote>(Type.Ref('RuleNote')), { minItems: 1 })

export const AgreementSetUpSchema = Type.Object(
  {
    establishes: Type.Enum([...AGREEMENT_KINDS]),
    name: Type.String({ description: 'What it is called under the regime, e.g. "Dynamic purchasing system" under the PCR 2015.' }),
    legalBasis: Type.String(),
    otherAuthorities: Type.Integer({ minimum: 0, description: 'How many other contracting authorities may award contracts under it.' }),
    centralisedProcurement: Type.Boolean(),
    rules: ruleNotes
  },
  {
    $id: 'AgreementSetUp',
    additionalProperties: false,
    description:
      'What the procurement sets up (profile.agreement) and the rules that govern it under the regime: term, ' +
      'call-offs, membership, notices, valuation, and who does what when several authorities use it.'
  }
)
export type AgreementSetUp = Type.Static<typeof AgreementSetUpSchema>

export const ConcessionSchema = Type.Object(
  { legalBasis: Type.String(), rules: ruleNotes },
  {
    $id: 'Concession',
    additionalProperties: false,
    description: 'For a concession contract (contract.concession): what changes for its valuation, threshold and procedures.'
  }
)
export type Concession = Type.Static<typeof ConcessionSchema>

export const RecommendationReportSchema = Type.Object(
  {
    reference: Type.Optional(Type.String()),
    generatedAt: Type.String({ format: 'date-time' }),
    rulesetVersion: RulesetVersionSchema,
    startDate: DateSchema,
    regime: Type.Object(
      { id: RegimeIdSchema, name: Type.String(), reason: Type.String(), legalBasis: Type.String() },
      { additionalProperties: false }
    ),
    value: Type.Object(
      {
        estimatedValue: Type.Number(),
        threshold: Type.Object(
          {
            amount: Type.Number(),
            kind: Type.Enum([...THRESHOLD_KINDS]),
            authorityType: Type.Enum(['sub-central', 'central']),
            effectiveFrom: DateSchema,
            // A type list, not a union: the serializer then needs no validator to pick a branch.
            effectiveTo: Type.Unsafe<string | null>({
              type: ['string', 'null'],
              format: 'date',
              description: 'Last day in force (inclusive); null while current.'
            }),
            legalBasis: Type.String()
          },
          { additionalProperties: false }
        ),
        aboveThreshold: Type.Boolean({ description: 'estimatedValue >= threshold.amount' }),
        lightTouch: Type.Boolean(),
        lightTouchReason: Type.String(),
        healthCare: Type.Boolean()
      },
      { additionalProperties: false }
    ),
    recommendations: Type.Array(Type.Unsafe<Recommendation>(Type.Ref('Recommendation')), { minItems: 1 }),
    notRecommended: Type.Array(Type.Unsafe<NotRecommended>(Type.Ref('NotRecommended'))),
    raci: Type.Object(
      { procedureId: ProcedureIdSchema, template: Type.String(), ...RaciMatrixSchema.properties },
      { additionalProperties: false, description: "RACI for the top recommendation's lifecycle." }
    ),
    warnings: Type.Array(Type.Unsafe<Warning>(Type.Ref('Warning'))),
    assumedInputs: Type.Optional(
      Type.Array(Type.Unsafe<AssumedInput>(Type.Ref('AssumedInput')), {
        description: '(1.2) Every field the profile left out whose default the answer rests on, in the order of the profile.'
      })
    ),
    questions: Type.Optional(
      Type.Array(Type.Unsafe<Question>(Type.Ref('Question')), {
        description: '(1.2) The answers that would most change the ranking, most useful first (at most 5).'
      })
    ),
    alternatives: Type.Optional(
      Type.Array(Type.Unsafe<AlternativeReading>(Type.Ref('AlternativeReading')), {
        description: 'Present only when a broad main CPV code left a legal line open: the answer under the other reading.'
      })
    ),
    agreement: Type.Optional(Type.Unsafe<AgreementSetUp>(Type.Ref('AgreementSetUp'))),
    concession: Type.Optional(Type.Unsafe<Concession>(Type.Ref('Concession'))),
    view: Type.Optional(
      Type.Literal('compact', {
        description:
          'Present only in the compact view (?view=compact): the recommendations carry no considerations or summary, ' +
          'each procedure not recommended keeps only the reasons against it (excludes and weakens), and the inputs ' +
          'assumed and the questions come without what they change (effect, why).'
      })
    )
  },
  { $id: 'RecommendationReport', additionalProperties: false }
)
export type RecommendationReport = Type.Static<typeof RecommendationReportSchema>
