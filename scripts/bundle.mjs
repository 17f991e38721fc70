// Bundles the server (dist/src/main.js and everything it imports) into dist/src/server.js: one
// file to load instead of about 1,500 modules (TypeBox alone is 700 files), which is most of the
// start-up. Run by `npm run build` after tsc, on tsc's output (the same JavaScript the tests run).
import { build } from 'esbuild'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = join(ROOT, 'dist', 'src')

// Loaded from node_modules as they are: SQLite's build, which reads its .wasm beside itself, and
// the drivers loaded only when configured.
const EXTERNAL = ['node-sqlite3-wasm', 'pg', 'ioredis']

// A module that locates files beside itself (the catalogue, the calendar, the migrations) keeps
// its own URL: import.meta.url becomes the URL its file would have, relative to the bundle.
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const rel = `./${relative(SRC, args.path).split('\\').join('/')}`
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' }
    })
  }
}

// The Swagger UI serves the pages of its package: its __dirname stays the package's folder
// (node_modules is beside dist/ wherever the service runs: here and in the image).
const ownDirname = {
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@fastify[\\/]swagger-ui[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!text.includes('__dirname')) return undefined
      const rel = `./${relative(SRC, dirname(args.path)).split('\\').join('/')}`
      // __bundleDir (the banner's): import.meta would make esbuild read this CommonJS file as a module.
      return { contents: text.replaceAll('__dirname', `require('node:path').join(__bundleDir, ${JSON.stringify(rel)})`), loader: 'js' }
    })
  }
}

const chunks = () => readdirSync(SRC).filter((name) => /^bundle-.*\.js$/.test(name))

// `--none` (npm run build:unbundled): dist/src/server.js only imports main.js, as tsc writes it, so
// that a CPU profile (bench/profile.mjs) names each package's own files.
if (process.argv.includes('--none')) {
  for (const name of chunks()) rmSync(join(SRC, name))
  writeFileSync(join(SRC, 'server.js'), "// Unbundled (npm run build:unbundled): see scripts/bundle.mjs.\nimport './main.js'\n")
  process.exit(0)
}

const result = await build({
  entryPoints: { server: join(SRC, 'main.js') },
  outdir: SRC,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [ownUrl, ownDirname],
  // The drivers loaded on demand stay apart (chunks), so they are still loaded only when configured.
  chunkNames: 'bundle-[hash]',
  // CommonJS packages call require() for Node's modules; an ES module has none of its own.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module'",
      "import { fileURLToPath as __bundlePath } from 'node:url'",
      'const require = __bundleRequire(import.meta.url)',
      "const __bundleDir = __bundlePath(new URL('.', import.meta.url))"
    ].join(';\n')
  },
  // The bundled packages' licence notices, gathered at the end of the file.
  legalComments: 'eof',
  write: false,
  logLevel: 'warning'
})
for (const name of chunks()) rmSync(join(SRC, name))
// esbuild writes code as ASCII but keeps some comments as they are; a single character beyond
// Latin-1 in them makes V8 hold the whole 3 MB source as a two-byte string (6.5 MB of heap, and
// slower to decode and scan). Escaping them changes nothing else: they are only in comments.
const ascii = (text) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
for (const file of result.outputFiles) writeFileSync(file.path, ascii(file.text))
// tsc's source map of the entry point it wrote, which this bundle replaced.
rmSync(join(SRC, 'server.js.map'), { force: true })
