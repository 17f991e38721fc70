import Type from 'typebox'
import { DateSchema, RegimeIdSchema, RulesetVersionSchema, SourceSchema } from './common.js'

export const THRESHOLD_KINDS = [
  'goods-services',
  'works',
  'light-touch',
  'notifiable-below-threshold',
  'concession',
  'light-touch-concession',
  'works-suitability-stage'
] as const
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number]

export const ThresholdSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'Stable id of this dated value.' }),
    kind: Type.Enum([...THRESHOLD_KINDS], {
      description:
        'goods-services: supplies and services; works; light-touch: light-touch services; ' +
        'notifiable-below-threshold: the value from which a below-threshold contract must be published; concession: ' +
        'concession contracts; light-touch-concession: concessions for light-touch services; works-suitability-stage: ' +
        'the value from which a below-threshold works contract may restrict tenders by an assessment of suitability ' +
        '(PA 2023 s.85(3)).'
    }),
    authorityType: Type.Enum(['sub-central', 'central'], { description: 'sub-central covers London boroughs.' }),
    amount: Type.Number({ minimum: 0, description: 'GBP including VAT.' }),
    effectiveFrom: DateSchema,
    effectiveTo: Type.Union([DateSchema, Type.Null()], { description: 'Last day in force (inclusive); null while current.' }),
    regimes: Type.Array(RegimeIdSchema, { minItems: 1, description: 'The regimes whose procurements use this value.' }),
    legalBasis: Type.String({ minLength: 1 }),
    source: SourceSchema
  },
  { $id: 'Threshold', additionalProperties: false }
)
export type Threshold = Type.Static<typeof ThresholdSchema>

export const ThresholdQuerySchema = Type.Object(
  {
    date: Type.Optional({ ...DateSchema, description: 'The date to look up (a procurement start date). Default: today (UTC).' })
  },
  { additionalProperties: false }
)

export const ThresholdListSchema = Type.Object(
  {
    date: DateSchema,
    rulesetVersion: RulesetVersionSchema,
    thresholds: Type.Array(Type.Unsafe<Threshold>(Type.Ref('Threshold')))
  },
  { $id: 'ThresholdList', additionalProperties: false }
)
