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
