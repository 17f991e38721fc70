// Schemas are compiled when a route first needs them, not at start. Fastify compiles a validator
// for every request part and a serializer for every response status of every route when the app
// becomes ready (96 serializers and about 40 validators here, a third of the start-up), although
// most are never used by a given process: the recommendation routes send their own bytes
// (projections/report-json.ts), and a problem's serializer is needed only when that problem is
// sent. The compilers are Fastify's own (fast-json-stringify through
// @fastify/fast-json-stringify-compiler) and the service's Ajv (validation.ts); only the moment
// changes, so what is validated and the bytes sent are the same.
//
// Once the server listens, the schemas no request has needed yet are compiled in the background,
// one per turn of the event loop (CompileQueue.warmUp, started by app.ts on listen), so requests
// keep being answered meanwhile and the first request to a route rarely pays its compilation.
import { SerializerSelector, type SerializerFactory, type Serializer } from '@fastify/fast-json-stringify-compiler'
import type { Validator } from './validation.js'

/** The compilations still to do, in the order they were declared (one queue per app). */
export class CompileQueue {
  private readonly pending = new Set<() => void>()

  /** Queues `compile`; returns the function that runs it now (once) and takes it off the queue. */
  add(compile: () => void): () => void {
    const now = () => {
      if (this.pending.delete(now)) compile()
    }
    this.pending.add(now)
    return now
  }

  get size(): number {
    return this.pending.size
  }

  /**
   * Compiles everything still queued, one per turn of the event loop (setImmediate), so a
   * request that arrives meanwhile waits for one compilation at most. Resolves with the count.
   */
  async warmUp(): Promise<number> {
    let count = 0
    for (const next of this.pending) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (!this.pending.has(next)) continue
      next()
      count++
    }
    return count
  }
}

/** Fastify's serializer compiler factory (schemaController.compilersFactory.buildSerializer), compiling on first use. */
export function lazySerializerFactory(queue: CompileQueue): SerializerFactory {
  const factory = SerializerSelector()
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options)
    return (route) => {
      let serialize: Serializer | undefined
      const compileNow = queue.add(() => {
        serialize = compile(route)
      })
      return (data) => {
        if (serialize === undefined) compileNow()
        return (serialize as Serializer)(data)
      }
    }
  }
}

/** A validator compiled on its first call; like Ajv's, it carries the errors of the last call. */
export function lazyValidator(queue: CompileQueue, compile: () => Validator): Validator {
  let validate: Validator | undefined
  const compileNow = queue.add(() => {
    validate = compile()
  })
  const lazy: Validator = (data) => {
    if (validate === undefined) compileNow()
    const valid = (validate as Validator)(data)
    lazy.errors = (validate as Validator).errors
    return valid
  }
  return lazy
}
