// The closed set of condition operators over named facts (rules are data; code only computes facts).
import type { Type } from 'typebox'
import type { ConditionSchema, FactName, LeafConditionSchema } from '../catalogue/schema.js'

export type Condition = Type.Static<typeof ConditionSchema>
type Leaf = Type.Static<typeof LeafConditionSchema>
export type Facts = Record<FactName, string | boolean | number | readonly string[]>

/** The condition as a closure, built once when the catalogue is compiled. */
export function compileCondition(c: Condition): (facts: Facts) => boolean {
  if ('all' in c) {
    const parts = c.all.map(compileLeaf)
    return (facts) => parts.every((p) => p(facts))
  }
  if ('any' in c) {
    const parts = c.any.map((part) => ('all' in part ? compileCondition(part) : compileLeaf(part)))
    return (facts) => parts.some((p) => p(facts))
  }
  return compileLeaf(c)
}

function compileLeaf(c: Leaf): (facts: Facts) => boolean {
  const { fact, value } = c
  switch (c.op) {
    case 'eq':
      return (facts) => facts[fact] === value
    case 'ne':
      return (facts) => facts[fact] !== value
    case 'in': {
      const set = new Set<unknown>(Array.isArray(value) ? value : [])
      return (facts) => set.has(facts[fact])
    }
    case 'includes':
      return (facts) => {
        const actual = facts[fact]
        return Array.isArray(actual) && (actual as unknown[]).includes(value)
      }
    case 'excludes':
      return (facts) => {
        const actual = facts[fact]
        return !Array.isArray(actual) || !(actual as unknown[]).includes(value)
      }
    case 'gt':
      return (facts) => typeof facts[fact] === 'number' && typeof value === 'number' && (facts[fact] as number) > value
    case 'lte':
      return (facts) => typeof facts[fact] === 'number' && typeof value === 'number' && (facts[fact] as number) <= value
  }
}

/** A condition's value where some facts are unknown: true, false, or undefined (it turns on an unknown fact). */
export type Tri = boolean | undefined
export type UnknownFacts = ReadonlySet<FactName>

/**
 * The condition in three values (Kleene): a leaf on an unknown fact is unknown; all-of is false
 * when a part is false, else unknown when a part is; any-of is true when a part is true, else
 * unknown when a part is. With no unknown fact it equals compileCondition's answer.
 */
export function compileTri(c: Condition): (facts: Facts, unknown: UnknownFacts) => Tri {
  if ('all' in c) return conjunction(c.all.map(leafTri))
  if ('any' in c) {
    const parts = c.any.map((part) => ('all' in part ? conjunction(part.all.map(leafTri)) : leafTri(part)))
    return (facts, unknown) => {
      let result: Tri = false
      for (const part of parts) {
        const v = part(facts, unknown)
        if (v === true) return true
        if (v === undefined) result = undefined
      }
      return result
    }
  }
  return leafTri(c)
}

function conjunction(parts: ((facts: Facts, unknown: UnknownFacts) => Tri)[]): (facts: Facts, unknown: UnknownFacts) => Tri {
  return (facts, unknown) => {
    let result: Tri = true
    for (const part of parts) {
      const v = part(facts, unknown)
      if (v === false) return false
      if (v === undefined) result = undefined
    }
    return result
  }
}

function leafTri(c: Leaf): (facts: Facts, unknown: UnknownFacts) => Tri {
  const known = compileLeaf(c)
  return (facts, unknown) => (unknown.has(c.fact) ? undefined : known(facts))
}

/** The facts a condition reads, each once, in the order written. */
export function factsOf(c: Condition | undefined): FactName[] {
  if (c === undefined) return []
  const leaves = 'all' in c ? c.all : 'any' in c ? c.any.flatMap((part) => ('all' in part ? part.all : [part])) : [c]
  return [...new Set(leaves.map((l) => l.fact))]
}

/**
 * The condition without its leaves on `fact`: what else would make it hold. Undefined when
 * nothing else would (a ground claimed only by naming it).
 */
export function conditionWithout(c: Condition, fact: FactName): Condition | undefined {
  if ('all' in c) return c.all.some((l) => l.fact === fact) ? undefined : c
  if ('any' in c) {
    const parts = c.any.filter((part) => ('all' in part ? !part.all.some((l) => l.fact === fact) : part.fact !== fact))
    return parts.length === 0 ? undefined : parts.length === 1 ? (parts[0] as Condition) : { any: parts }
  }
  return c.fact === fact ? undefined : c
}
