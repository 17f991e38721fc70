import Type from 'typebox'

export const FieldErrorSchema = Type.Object(
  {
    pointer: Type.String({ description: 'JSON pointer (RFC 6901) to the field at fault, relative to the body (or the query object).' }),
    in: Type.Enum(['body', 'querystring', 'params', 'headers']),
    message: Type.String()
  },
  { additionalProperties: false }
)

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI of the problem type.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'This occurrence: urn:uuid: and the request id (also in the x-request-id header).' }),
    code: Type.Optional(Type.String({ description: 'Stable error code.' })),
    errors: Type.Optional(
      Type.Array(FieldErrorSchema, { maxItems: 20, description: 'The fields at fault, each with its JSON pointer: every one, up to 20.' })
    ),
    moreErrors: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'How many more fields are at fault beyond the 20 listed in errors (absent when all are listed).'
      })
    )
  },
  { $id: 'Problem', additionalProperties: false, description: 'RFC 9457 problem details, served as application/problem+json.' }
)
export type Problem = Type.Static<typeof ProblemSchema>
