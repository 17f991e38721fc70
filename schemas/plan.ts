// POST /v1/plans: a dated timetable for one procedure of one profile (contract 1.1).
import Type from 'typebox'
import type { OcdsFields } from './ocds.js'
import { ConfidenceSchema, DateSchema, ProcedureIdSchema, RegimeIdSchema, RulesetVersionSchema } from './common.js'
import type { ProcurementProfile } from './profile.js'

/** The milestone ids the contract fixes, and the ones the plans add (PSR steps, second-stage invitations). */
export const MILESTONE_IDS = [
  'preliminary-market-engagement-notice',
  'planned-procurement-notice',
  'tender-notice',
  'participation-deadline',
  'invitation-to-tender',
  'tender-deadline',
  'transparency-notice',
  'psr-process-notice',
  'psr-identification-complete',
  'contract-award-notice',
  'standstill-end',
  'contract-entry',
  'contract-details-notice',
  'psr-award-notice'
] as const
export type MilestoneId = (typeof MILESTONE_IDS)[number]

export const PlanOptionsSchema = Type.Object(
  {
    electronicSubmission: Type.Optional(
      Type.Boolean({ description: 'Tenders are submitted electronically (s.54(4)). Absent: taken as true.' })
    ),
    allDocumentsWithNotice: Type.Optional(
      Type.Boolean({ description: 'All tender documents are provided with the tender notice (s.54(4)). Absent: taken as true.' })
    ),
    plannedProcurementNoticeDate: Type.Optional({
      ...DateSchema,
      description:
        'When a planned procurement notice (UK3) was or will be published; qualifying if 40 days to 12 months before the tender notice (s.15(3)).'
    }),
    preSelectedSuppliers: Type.Optional(
      Type.Boolean({
        description:
          'Tenders only from suppliers already assessed as meeting the conditions of participation (s.54(5)). Default: true for the ' +
          'tendering stage of a competitive flexible procedure (its shortlist is pre-selected), false otherwise.'
      })
    ),
    negotiatedTenderingPeriod: Type.Optional(
      Type.Boolean({
        description:
          'The tendering period is agreed with the pre-selected suppliers (s.54(4); not a central government authority). Absent: taken as false.'
      })
    )
  },
  { $id: 'PlanOptions', additionalProperties: false, description: 'The facts that change the legal minimum periods.' }
)
export type PlanOptions = Type.Static<typeof PlanOptionsSchema>

export const PlanRequestSchema = Type.Object(
  {
    profile: Type.Unsafe<ProcurementProfile>(Type.Ref('ProcurementProfile')),
    procedureId: Type.Optional(ProcedureIdSchema),
    known: Type.Optional(
      Type.Record(Type.String(), DateSchema, {
        description: 'Dates already fixed (a notice already published), by milestone id; the plan computes the rest from them.'
      })
    ),
    options: Type.Optional(Type.Unsafe<PlanOptions>(Type.Ref('PlanOptions')))
  },
  { $id: 'PlanRequest', additionalProperties: false }
)
export type PlanRequest = Type.Static<typeof PlanRequestSchema>

export const MilestoneSchema = Type.Object(
  {
    id: Type.String({ description: 'Stable milestone id (contract 1.1 fixes the PA 2023 ones).' }),
    name: Type.String(),
    date: DateSchema,
    basis: Type.Enum(['law', 'estimate', 'known'], {
      description: 'law: the earliest date the law allows; estimate: a stage the law does not time; known: given in the request.'
    }),
    noticeCode: Type.Optional(Type.String({ description: 'The Find a Tender label (UK2...UK7), not a statutory name.' })),
    legalBasis: Type.Optional(Type.String()),
    confidence: Type.Optional(ConfidenceSchema),
    rule: Type.String({ description: 'In words, how the date was computed.' })
  },
  { $id: 'Milestone', additionalProperties: false }
)
export type Milestone = Type.Static<typeof MilestoneSchema>

export const PlanSchema = Type.Object(
  {
    reference: Type.Optional(Type.String()),
    generatedAt: Type.String({ format: 'date-time' }),
    rulesetVersion: RulesetVersionSchema,
    startDate: DateSchema,
    regime: Type.Object({ id: RegimeIdSchema, name: Type.String() }, { additionalProperties: false }),
    procedureId: ProcedureIdSchema,
    rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: "The procedure's rank in the report." }),
    legalRoute: Type.Object({ regime: RegimeIdSchema, name: Type.String(), legalBasis: Type.String() }, { additionalProperties: false }),
    process: Type.Optional(
      Type.Object(
        {
          id: Type.String({ description: 'The PSR award process planned.' }),
          chosenBy: Type.Enum(['decision', 'default'], {
            description: 'decision: the process the decision names; default: the Competitive Process, as the decision names none.'
          })
        },
        { additionalProperties: false }
      )
    ),
    milestones: Type.Array(Type.Unsafe<Milestone>(Type.Ref('Milestone')), { description: 'In date order.' }),
    ocds: Type.Optional(Type.Unsafe<OcdsFields>(Type.Ref('OcdsFields'))),
    awardBy: Type.Optional(
      Type.Object(
        {
          date: DateSchema,
          from: Type.Enum(['awardBy', 'weeksToAward'], {
            description: 'constraints.awardBy, or start date + weeksToAward when no awardBy is given.'
          }),
          milestoneId: Type.String(),
          milestoneDate: DateSchema,
          met: Type.Boolean(),
          marginDays: Type.Integer({ description: 'Calendar days from the milestone to the date: negative when it is missed.' })
        },
        { additionalProperties: false, description: 'Whether the earliest contract entry meets the award date.' }
      )
    ),
    calendar: Type.Object(
      { regime: Type.String(), coveredTo: DateSchema, workingDay: Type.String() },
      { additionalProperties: false, description: 'The working-day calendar used, and the last day its data covers.' }
    ),
    assumptions: Type.Array(Type.String(), { description: 'What the plan assumed (options and defaults), in words.' })
  },
  { $id: 'Plan', additionalProperties: false, description: 'A dated procurement timetable (contract 1.1).' }
)
export type Plan = Type.Static<typeof PlanSchema>
