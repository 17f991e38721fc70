// The tool schemas an MCP client reads: the REST API's schemas with every shared schema written out.
import t from 'tap'
import { selfContained } from '../src/mcp/json-schema.js'

const shared = {
  Money: { $id: 'Money', type: 'number', minimum: 0, description: 'GBP' },
  Contract: { $id: 'Contract', type: 'object', properties: { value: { $ref: 'Money' } }, additionalProperties: false }
}

t.test('each $ref is replaced by its shared schema, without $id, keywords beside it winning', async (t) => {
  t.same(selfContained({ type: 'object', properties: { contract: { $ref: 'Contract', description: 'The contract' } } }, shared), {
    type: 'object',
    properties: {
      contract: {
        type: 'object',
        properties: { value: { type: 'number', minimum: 0, description: 'GBP' } },
        additionalProperties: false,
        description: 'The contract'
      }
    }
  })
  t.same(selfContained({ anyOf: [{ $ref: 'Money' }, { type: 'null' }] }, shared), {
    anyOf: [{ type: 'number', minimum: 0, description: 'GBP' }, { type: 'null' }]
  })
})

t.test('an unknown reference or a cycle is a fault named at start, not a schema that cannot resolve', async (t) => {
  t.throws(() => selfContained({ $ref: 'Nowhere' }, shared), { message: 'No shared schema has the $id Nowhere' })
  const cyclic = { Node: { $id: 'Node', type: 'object', properties: { next: { $ref: 'Node' } } } }
  t.throws(() => selfContained({ $ref: 'Node' }, cyclic), { message: 'The shared schema Node refers to itself: Node -> Node' })
})
