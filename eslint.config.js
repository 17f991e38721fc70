// Lint rules in the style of the Fastify projects (neostandard, TypeScript-aware); the layout
// itself is Prettier's (see "prettier" in package.json), so neostandard's style rules are off.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: ['dist/**', 'coverage/**', 'test-artifacts/**', 'openapi/client/api.ts', 'node_modules/**', '.tap/**', 'bench/results/**']
  })
]
