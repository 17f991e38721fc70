// Lint rules in the style of the Fastify projects (neostandard, TypeScript-aware); the layout
// itself is Prettier's (see "prettier" in package.json), so neostandard's style rules are off.
import neostandard from 'neostandard'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'

// The layers the domain code must never reach up into: the engine (and the timetable beside
// it) is pure, and projections, routes and plugins are built on it, not the other way round.
const upperLayers = ['**/projections/**', '**/routes/**', '**/plugins/**']
const upwards = 'The engine is pure domain code: projections, routes and plugins depend on it, never the reverse.'

export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: [
      'dist/**',
      'coverage/**',
      'test-artifacts/**',
      'clients/typescript/src/api.ts',
      'clients/typescript/dist/**',
      'clients/typescript/.check-*/**',
      'node_modules/**',
      '.tap/**',
      'bench/results/**'
    ]
  }),
  {
    // An import cycle makes the load order decide which module sees the other half-initialised.
    // import-x follows runtime imports only: a cycle made of `import type` alone is erased at
    // compile time, and the layer rule below is what keeps the engine from naming projections.
    files: ['src/**/*.ts', 'schemas/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import each other as "./x.js" (nodenext); the file on disk is x.ts.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })]
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  },
  {
    // A function past a screenful or three is several functions; split it where its parts are named.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 150 }] }
  },
  {
    files: ['src/engine/**/*.ts', 'src/timetable/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: upperLayers, message: upwards }] }] }
  }
]
