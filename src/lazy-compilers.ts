// Schemas are compiled when a route first needs them, not at start. Fastify compiles a validator
// for every request part and a serializer for every response status of every route when the app
// becomes ready (96 serializers and about 40 validators here, a third of the start-up), although
// most are never used by a given process: the recommendation routes send their own bytes
// (projections/report-json.ts), and a problem's serializer is needed only when that problem is
// sent. The compilers are Fastify's own (fast-json-stringify through
// @fastify/fast-json-stringify-compiler) and the service's Ajv (validation.ts); only the moment
// changes, so what is validated and the bytes sent are the same. A route's first request pays
// its compilation once (a few milliseconds).
import { SerializerSelector, type SerializerFactory, type Serializer } from '@fastify/fast-json-stringify-compiler'
import type { Validator } from './validation.js'

/** Fastify's serializer compiler factory (schemaController.compilersFactory.buildSerializer), compiling on first use. */
export function lazySerializerFactory(): SerializerFactory {
  const factory = SerializerSelector()
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options)
    return (route) => {
      let serialize: Serializer | undefined
      return (data) => (serialize ??= compile(route))(data)
    }
  }
}

/** A validator compiled on its first call; like Ajv's, it carries the errors of the last call. */
export function lazyValidator(compile: () => Validator): Validator {
  let validate: Validator | undefined
  const lazy: Validator = (data) => {
    validate ??= compile()
    const valid = validate(data)
    lazy.errors = validate.errors
    return valid
  }
  return lazy
}
