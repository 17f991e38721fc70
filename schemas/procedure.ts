// The public shape of a procedure in the catalogue (GET /v1/procedures). Each data file
// src/catalogue/procedures/<id>.json holds one procedure in the same shape, with a RACI template
// id in place of the resolved matrix.
import Type, { type TSchema } from 'typebox'
import {
  ConfidenceSchema,
  PROCEDURE_IDS,
  ProcedureIdSchema,
  RegimeIdSchema,
  RulesetVersionSchema,
  SourceSchema,
  type RaciMatrix
} from './common.js'

const CitedTextSchema = Type.Object(
  { text: Type.String({ minLength: 1 }), citation: Type.String({ minLength: 1 }), confidence: ConfidenceSchema },
  { additionalProperties: false }
)

export const TimeLimitSchema = Type.Object(
  {
    stage: Type.String({ minLength: 1, description: 'What the period is for, e.g. "tendering period".' }),
    minimumDays: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      description: 'Statutory minimum in days; null where the law sets none (a reasonable period is still required).'
    }),
    dayType: Type.Enum(['calendar', 'working']),
    text: Type.String({ minLength: 1 }),
    citation: Type.String({ minLength: 1 }),
    confidence: ConfidenceSchema
  },
  { additionalProperties: false }
)

/** The route as it differs for some contracts (below the threshold, a concession): its name, basis and a note. */
const routeVariant = (description: string) =>
  Type.Object(
    {
      name: Type.String({ minLength: 1 }),
      legalBasis: Type.String({ minLength: 1 }),
      note: Type.String({ minLength: 1 }),
      confidence: ConfidenceSchema
    },
    { additionalProperties: false, description }
  )

export const LegalRouteSchema = Type.Object(
  {
    regime: RegimeIdSchema,
    name: Type.String({ minLength: 1, description: 'The legal instrument that carries the procedure out under this regime.' }),
    legalBasis: Type.String({ minLength: 1, description: 'Act or regulations and the section or regulation.' }),
    conditions: Type.Array(CitedTextSchema, { description: 'Grounds or conditions of use.' }),
    timeLimits: Type.Array(TimeLimitSchema),
    minimumWeeks: Type.Integer({ minimum: 0, description: 'Statutory minimum periods from start to award, in whole weeks (rounded up).' }),
    urgentMinimumWeeks: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The same where the law allows shorter periods for urgency.' })
    ),
    typicalWeeks: Type.Object(
      {
        min: Type.Integer({ minimum: 0 }),
        max: Type.Integer({ minimum: 0 }),
        confidence: ConfidenceSchema,
        note: Type.String()
      },
      { additionalProperties: false, description: 'Indicative duration from start to award; practitioner estimate, not law.' }
    ),
    notices: Type.Array(
      Type.Object(
        {
          code: Type.Optional(Type.String()),
          name: Type.String({ minLength: 1 }),
          citation: Type.String({ minLength: 1 }),
          confidence: ConfidenceSchema
        },
        { additionalProperties: false }
      )
    ),
    source: SourceSchema,
    notes: Type.Optional(Type.Array(Type.String())),
    belowThreshold: Type.Optional(routeVariant('How the route works for a contract below the threshold, where that differs.')),
    concession: Type.Optional(routeVariant('How the route works for a concession contract, where that differs.'))
  },
  {
    $id: 'LegalRoute',
    additionalProperties: false,
    description: 'How a procedure is carried out under one regime, with its legal basis, conditions, time limits and notices.'
  }
)
export type LegalRoute = Type.Static<typeof LegalRouteSchema>

/** The fields of a procedure; the wire refers to the LegalRoute component, the data file has it inline. */
const procedureFields = <R extends TSchema>(route: R) => ({
  id: ProcedureIdSchema,
  name: Type.String({ minLength: 1 }),
  summary: Type.String({ minLength: 1 }),
  whenToUse: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  whenNotToUse: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  routes: Type.Object(
    {
      pcr2015: Type.Optional(route),
      pa2023: Type.Optional(route),
      psr2023: Type.Optional(route)
    },
    { additionalProperties: false, minProperties: 1, description: 'The legal route under each regime that has one.' }
  ),
  sources: Type.Array(SourceSchema, { description: 'Guidance the procedure description draws on.' })
})

/** One procedure as stored in its data file, src/catalogue/procedures/<id>.json. */
export const ProcedureDataSchema = Type.Object(
  { ...procedureFields(LegalRouteSchema), raciTemplate: Type.String({ minLength: 1 }) },
  { additionalProperties: false }
)
export type ProcedureData = Type.Static<typeof ProcedureDataSchema>

export const ProcedureSchema = Type.Object(
  { ...procedureFields(Type.Unsafe<LegalRoute>(Type.Ref('LegalRoute'))), raci: Type.Unsafe<RaciMatrix>(Type.Ref('RaciMatrix')) },
  { $id: 'Procedure', additionalProperties: false }
)
export type Procedure = Type.Static<typeof ProcedureSchema>

export const ProcedureListSchema = Type.Object(
  {
    rulesetVersion: RulesetVersionSchema,
    procedures: Type.Array(Type.Unsafe<Procedure>(Type.Ref('Procedure')))
  },
  { $id: 'ProcedureList', additionalProperties: false }
)

export const ProcedureDetailSchema = Type.Object(
  {
    rulesetVersion: RulesetVersionSchema,
    procedure: Type.Unsafe<Procedure>(Type.Ref('Procedure'))
  },
  { $id: 'ProcedureDetail', additionalProperties: false }
)

/** The path parameters of GET /v1/procedures/{id} (also the arguments of the MCP tool get_procedure). */
export const ProcedureParamsSchema = Type.Object(
  {
    id: Type.String({
      maxLength: 64,
      description: `Procedure id: one of ${PROCEDURE_IDS.join(', ')}.`,
      examples: ['competitive-dialogue']
    })
  },
  { additionalProperties: false }
)
