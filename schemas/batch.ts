import Type from 'typebox'
import type { RecommendationReport } from './report.js'
import type { Problem } from './problem.js'

export const MAX_BATCH = 100

export const BatchRequestSchema = Type.Object(
  {
    profiles: Type.Array(
      Type.Unknown({
        description:
          'A ProcurementProfile. Each is validated on its own: an invalid one gets a problem in its result and never fails the batch.'
      }),
      {
        minItems: 1,
        maxItems: MAX_BATCH,
        description: `1 to ${MAX_BATCH} procurement profiles.`
      }
    )
  },
  { $id: 'BatchRequest', additionalProperties: false }
)

export const BatchResultSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: 'Position of the profile in the request.' }),
    status: Type.Integer({
      description:
        '200 with a report; 400 with a problem for an invalid profile; 422 with a problem for a valid profile the service does not cover.'
    }),
    report: Type.Optional(Type.Unsafe<RecommendationReport>(Type.Ref('RecommendationReport'))),
    problem: Type.Optional(Type.Unsafe<Problem>(Type.Ref('Problem')))
  },
  { additionalProperties: false }
)

export const BatchResponseSchema = Type.Object(
  { results: Type.Array(BatchResultSchema) },
  { $id: 'BatchResponse', additionalProperties: false }
)
export type BatchResponse = Type.Static<typeof BatchResponseSchema>
