// One Ajv instance validates every request (through Fastify's validator compiler) and each
// profile of a batch, so a profile gets the same answer alone or in a batch.
// Unknown fields are rejected, never stripped; types are never coerced; every error is listed.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under nodenext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export interface FieldError {
  /** JSON pointer (RFC 6901) to the field at fault, relative to the body or the query object. */
  pointer: string
  /** Where the field is: the JSON body, the query string or the path. */
  in: 'body' | 'querystring' | 'params' | 'headers'
  message: string
}

export function createAjv(schemas: object[] = []): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    coerceTypes: false,
    useDefaults: false,
    strict: false
  })
  addFormats(ajv, ['date', 'date-time'])
  for (const schema of schemas) ajv.addSchema(schema)
  return ajv
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function toFieldError(error: ErrorObject, where: FieldError['in']): FieldError {
  const base = error.instancePath
  switch (error.keyword) {
    case 'required':
      return { pointer: `${base}/${escapePointer(String(error.params.missingProperty))}`, in: where, message: 'is required' }
    case 'additionalProperties':
      return {
        pointer: `${base}/${escapePointer(String(error.params.additionalProperty))}`,
        in: where,
        message: 'is not a known field (unknown fields are rejected, not ignored)'
      }
    case 'enum':
      return { pointer: base, in: where, message: `must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}` }
    default:
      return { pointer: base, in: where, message: error.message ?? 'is invalid' }
  }
}

/** Ajv errors as field errors, one per field and message, in a stable order. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, where: FieldError['in']): FieldError[] {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const error of errors ?? []) {
    // `pattern` repeats what `format` already says about a date.
    if (error.keyword === 'pattern' && errors?.some((e) => e.keyword === 'format' && e.instancePath === error.instancePath)) continue
    const field = toFieldError(error, where)
    const key = `${field.pointer}\u0000${field.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(field)
  }
  return out
}

export type Validator = ValidateFunction
