// The closed set of condition operators over named facts (rules are data; code only computes facts).
import type { Type } from 'typebox'
import type { ConditionSchema, FactName, LeafConditionSchema } from '../catalogue/schema.js'

export type Condition = Type.Static<typeof ConditionSchema>
type Leaf = Type.Static<typeof LeafConditionSchema>
export type Facts = Record<FactName, string | boolean | readonly string[]>

function leaf(c: Leaf, facts: Facts): boolean {
  const actual = facts[c.fact]
  switch (c.op) {
    case 'eq':
      return actual === c.value
    case 'ne':
      return actual !== c.value
    case 'in':
      return Array.isArray(c.value) && (c.value as unknown[]).includes(actual)
    case 'includes':
      return Array.isArray(actual) && (actual as unknown[]).includes(c.value)
  }
}

export function holds(c: Condition, facts: Facts): boolean {
  if ('all' in c) return c.all.every((x) => leaf(x, facts))
  if ('any' in c) return c.any.some((x) => leaf(x, facts))
  return leaf(c, facts)
}
