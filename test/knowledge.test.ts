// What a person reads of the inputs left out is words, never a field path: every field the fact
// table can list as assumed (and the object it belongs to, listed when the whole object is left
// out) has a label.
import t from 'tap'
import { FACT_SOURCES, FIELD_LABELS, INPUT_DEFAULTS, parentOf, pointerOf } from '../src/engine/knowledge.js'
import type { FactName } from '../src/catalogue/schema.js'

t.test('every field that can be listed as assumed has a label in words', async (t) => {
  const pointers = new Set<string>(INPUT_DEFAULTS.map((d) => d.pointer))
  for (const fact of Object.keys(FACT_SOURCES) as FactName[]) {
    const pointer = pointerOf(fact)
    if (pointer === undefined) continue
    pointers.add(pointer)
    const parent = parentOf(pointer)
    if (parent !== '' && parent !== '/contract' && parent !== '/constraints') pointers.add(parent)
  }
  t.ok(pointers.size > 30, `the table names its fields (${pointers.size})`)
  for (const pointer of pointers) {
    const label = FIELD_LABELS[pointer]
    t.ok(label !== undefined && !/[/.]/.test(label.replace(/e\.g\./, '')), `${pointer} has a label without a field path: ${label}`)
  }
})
