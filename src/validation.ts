// One Ajv instance validates every request (through Fastify's validator compiler) and each
// profile of a batch, so a profile gets the same answer alone or in a batch.
// Unknown fields are rejected, never stripped; body types are never coerced (query strings are
// text: their integers and booleans are read as such); every error is found,
// and a problem lists the first MAX_FIELD_ERRORS of them.
//
// With allErrors, Ajv evaluates every keyword even after maxItems has failed, so an array far
// over its limit would still be walked item by item (and, for uniqueItems on untyped items,
// pair by pair). compileGuarded therefore checks the size limits of a schema on their own first,
// and runs the full schema only on input within them.
import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { TEXT_PATTERN_MESSAGES } from '../schemas/common.js'

// ajv-formats is CommonJS; under nodenext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export interface FieldError {
  /** JSON pointer (RFC 6901) to the field at fault, relative to the body or the query object. */
  pointer: string
  /** Where the field is: the JSON body, the query string or the path. */
  in: 'body' | 'querystring' | 'params' | 'headers'
  message: string
}

/** The most field errors one problem lists; `moreErrors` counts the rest. */
export const MAX_FIELD_ERRORS = 20

/** A compiled validator: true or false, with the errors of the last call. */
export interface Validator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

type JsonSchema = { [key: string]: unknown }

/**
 * The size limits of a schema alone, or undefined when it has none: maxItems, and for a closed
 * object (additionalProperties: false) at most MAX_FIELD_ERRORS fields beyond those it declares,
 * since more unknown fields than a problem lists only cost time to enumerate; down through
 * properties and items, following $refs. It has no types, so it never fails on what the full
 * schema checks (types, enums, which fields are unknown): only on size.
 */
export function limitsOf(schema: unknown, resolve: (ref: string) => unknown, depth = 0): JsonSchema | undefined {
  if (!schema || typeof schema !== 'object' || depth > 64) return undefined
  const s = schema as JsonSchema
  if (typeof s.$ref === 'string') return limitsOf(resolve(s.$ref), resolve, depth + 1)
  const out: JsonSchema = {}
  if (typeof s.maxItems === 'number') out.maxItems = s.maxItems
  if (s.additionalProperties === false && s.properties && typeof s.properties === 'object') {
    out.maxProperties = Object.keys(s.properties).length + MAX_FIELD_ERRORS
  }
  const items = limitsOf(s.items, resolve, depth + 1)
  if (items) out.items = items
  if (s.properties && typeof s.properties === 'object') {
    const properties: JsonSchema = {}
    for (const [name, property] of Object.entries(s.properties)) {
      const limits = limitsOf(property, resolve, depth + 1)
      if (limits) properties[name] = limits
    }
    if (Object.keys(properties).length > 0) out.properties = properties
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** Validates the size limits first; the full schema runs only on input within them. */
export function compileGuarded(ajv: Ajv, schema: object): Validator {
  const full = ajv.compile(schema)
  const limits = limitsOf(schema, (ref) => ajv.getSchema(ref)?.schema)
  if (!limits) return full
  const withinLimits = ajv.compile(limits)
  const validate: Validator = (data) => {
    if (!withinLimits(data)) {
      validate.errors = withinLimits.errors
      return false
    }
    const valid = full(data)
    validate.errors = full.errors
    return valid
  }
  return validate
}

/**
 * An Ajv for request schemas. `coerce` is for the query string only, where every value arrives as
 * text: "20" becomes the integer the schema declares and "true" the boolean, so a query parameter
 * is typed as what it is; "abc" for an integer is still a 400. Bodies are never coerced.
 */
export function createAjv(schemas: object[] = [], { coerce = false }: { coerce?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    coerceTypes: coerce,
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
    case 'maxProperties':
      return {
        pointer: base,
        in: where,
        message: `must NOT have more than ${String(error.params.limit)} fields (unknown fields are rejected, not ignored)`
      }
    case 'enum':
      return { pointer: base, in: where, message: `must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}` }
    case 'pattern': {
      // The text patterns of schemas/common.ts say in words what they refuse; other patterns are shown as they are.
      const message = TEXT_PATTERN_MESSAGES[String(error.params.pattern)]
      return { pointer: base, in: where, message: message ?? error.message ?? 'is invalid' }
    }
    default:
      return { pointer: base, in: where, message: error.message ?? 'is invalid' }
  }
}

/** Ajv errors as field errors, one per field and message, in a stable order. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, where: FieldError['in']): FieldError[] {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const error of errors ?? []) {
    // `pattern` repeats what `format` already says about a date; `type` what `enum` says.
    if (error.keyword === 'pattern' && errors?.some((e) => e.keyword === 'format' && e.instancePath === error.instancePath)) continue
    if (error.keyword === 'type' && errors?.some((e) => e.keyword === 'enum' && e.instancePath === error.instancePath)) continue
    const field = toFieldError(error, where)
    const key = `${field.pointer}\u0000${field.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(field)
  }
  return out
}

/** Field errors as a problem carries them: the first MAX_FIELD_ERRORS, and how many more. */
export interface FieldErrorList {
  errors: FieldError[]
  moreErrors?: number
}

/** Ajv errors as a problem's field errors (pointers under `prefix`), capped at MAX_FIELD_ERRORS. */
export function fieldErrorList(ajvErrors: readonly ErrorObject[] | null | undefined, where: FieldError['in'], prefix = ''): FieldErrorList {
  const all = toFieldErrors(ajvErrors, where)
  const errors = all.slice(0, MAX_FIELD_ERRORS).map((e) => (prefix ? { ...e, pointer: `${prefix}${e.pointer}` } : e))
  return all.length > MAX_FIELD_ERRORS ? { errors, moreErrors: all.length - MAX_FIELD_ERRORS } : { errors }
}

/** The detail of a validation problem: how many fields are at fault, where, and what is listed. */
export function validationDetail(list: FieldErrorList, where: string): string {
  const total = list.errors.length + (list.moreErrors ?? 0)
  const head = `${total} field${total === 1 ? '' : 's'} at fault in ${where}`
  return list.moreErrors
    ? `${head}; errors lists the first ${list.errors.length}, moreErrors counts the other ${list.moreErrors}.`
    : `${head}; see errors.`
}
