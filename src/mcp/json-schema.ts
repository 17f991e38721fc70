// The JSON Schemas an MCP client reads: the REST API's own TypeBox schemas, with every reference
// to a shared schema (`{ "$ref": "ProcurementProfile" }`, resolved by the server's Ajv) written out
// in place, since a client resolves no reference outside the tool's own schema.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * `schema` with each `$ref` replaced by the shared schema of that `$id` (keywords beside the
 * `$ref`, a description say, win), and no `$id` left. The shared schemas hold no cycle; one would
 * be a bug, reported here rather than as an endless loop.
 */
export function selfContained(schema: unknown, shared: Readonly<Record<string, unknown>>, trail: readonly string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((item) => selfContained(item, shared, trail))
  if (schema === null || typeof schema !== 'object') return schema as Json
  const { $ref, $id: _id, ...rest } = schema as Record<string, unknown>
  const out: Record<string, Json> = {}
  if (typeof $ref === 'string') {
    if (trail.includes($ref)) throw new Error(`The shared schema ${$ref} refers to itself: ${[...trail, $ref].join(' -> ')}`)
    const target = shared[$ref]
    if (target === undefined) throw new Error(`No shared schema has the $id ${$ref}`)
    Object.assign(out, selfContained(target, shared, [...trail, $ref]))
  }
  for (const [key, value] of Object.entries(rest)) out[key] = selfContained(value, shared, trail)
  return out
}
