// The committed document and the running service must agree. Types are generated from
// openapi/openapi.json with openapi-typescript; the client package's clients/typescript/src/index.ts
// (openapi-fetch) and a small program using it are compiled with strict settings, then run against the real
// service; the live answers are also validated against the document's component schemas. If the
// document changes shape, the compile fails; if the service answers differently, validation fails.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { testApp } from './helpers/app.js'
import { PROCEDURE_IDS } from '../schemas/common.js'

// ajv-formats is CommonJS; under nodenext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
const run = promisify(execFile)

const root = fileURLToPath(new URL('..', import.meta.url))
const docPath = join(root, 'openapi', 'openapi.json')
const clientPath = join(root, 'clients', 'typescript', 'src', 'index.ts')
const document = JSON.parse(readFileSync(docPath, 'utf8'))
// Inside the project, so the compiled program resolves openapi-fetch from its node_modules.
const artifacts = join(root, 'test-artifacts')
mkdirSync(artifacts, { recursive: true })

const KEY = 'typed-client-test-key'
const API_KEYS = `typed-client:sha256:${createHash('sha256').update(KEY).digest('hex')}`

// The integrator's program: one profile, one batch (one valid, one invalid profile), one call
// without the key. The typed field accesses below are the contract: a renamed or retyped field
// in the document is a compile error here. It prints what it got, for the test to check.
const MAIN_TS = `import { readFileSync } from 'node:fs'
import { createAdvisorClient, type ProcurementProfile, type RecommendationReport, type BatchResponse, type Problem } from './client.js'

const [baseUrl, docPath, apiKey] = process.argv.slice(2) as [string, string, string]
const doc = JSON.parse(readFileSync(docPath, 'utf8'))
const profile: ProcurementProfile = doc.paths['/v1/recommendations'].post.requestBody.content['application/json'].examples['digital-platform'].value
const invalid: ProcurementProfile = { ...profile, contract: { ...profile.contract, estimatedValue: -5 } }
const client = createAdvisorClient({ baseUrl, apiKey })

const single = await client.POST('/v1/recommendations', { body: profile })
// The 200 is typed as the report: the HTML paper is asked for with Accept, not listed beside it.
if (!single.data) throw new Error('no report: ' + JSON.stringify(single.error))
const report: RecommendationReport = single.data
const top = report.recommendations[0]
const rank: number | undefined = top?.rank
const procedureId: string | undefined = top?.procedureId
const legalBasis: string | undefined = top?.legalRoute.legalBasis
const regime: 'pcr2015' | 'pa2023' | 'psr2023' = report.regime.id
const aboveThreshold: boolean = report.value.aboveThreshold

const batched = await client.POST('/v1/recommendations/batch', { body: { profiles: [profile, invalid] } })
if (!batched.data) throw new Error('no batch: ' + JSON.stringify(batched.error))
const batch: BatchResponse = batched.data
const statuses: number[] = batch.results.map((result) => result.status)
const batchTop: string | undefined = batch.results[0]?.report?.recommendations[0]?.procedureId
const result = batch.results[1]
const pointer: string | undefined = result?.problem?.errors?.[0]?.pointer
const where: 'body' | 'querystring' | 'params' | 'headers' | undefined = result?.problem?.errors?.[0]?.in

// Without the key: the 401 problem comes back as error, typed as the document's Problem.
const refused = await createAdvisorClient({ baseUrl }).POST('/v1/recommendations', { body: profile })
const unauthorized: Problem | undefined = refused.error

console.log(JSON.stringify({ rank, procedureId, legalBasis, regime, aboveThreshold, statuses, batchTop, pointer, where, report, batch, unauthorized }))
`

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noUnusedLocals: false,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')]
}

/** Generates api.ts from the document, copies the client, writes main.ts, compiles; returns the diagnostics. */
async function buildClient(dir: string, doc: unknown): Promise<string[]> {
  // The documented answers are relative externalValues (examples/<file>), read beside the document.
  const ast = await openapiTS(structuredClone(doc) as Parameters<typeof openapiTS>[0], {
    cwd: new URL('../openapi/openapi.json', import.meta.url)
  })
  writeFileSync(join(dir, 'api.ts'), astToString(ast))
  copyFileSync(clientPath, join(dir, 'client.ts'))
  writeFileSync(join(dir, 'main.ts'), MAIN_TS)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  const program = ts.createProgram([join(dir, 'main.ts')], { ...COMPILER_OPTIONS, outDir: join(dir, 'out'), rootDir: dir })
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics]
  return diagnostics.map(
    (d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file ? ` (${d.file.fileName.slice(dir.length + 1)})` : '')
  )
}

/** Ajv 2020 validators for the document's component schemas, with #/components/schemas/X refs resolved. */
function componentValidators(doc: any): (name: string) => ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false })
  addFormats(ajv)
  const id = 'https://procurement-route-advisor.example/openapi.json'
  const $defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'))
  ajv.addSchema({ $id: id, $defs })
  return (name) => {
    const validate = ajv.getSchema(`${id}#/$defs/${name}`)
    if (!validate) throw new Error(`no component schema ${name}`)
    return validate
  }
}

function check(t: Test, validate: ValidateFunction, value: unknown, what: string) {
  const ok = validate(value) as boolean
  t.ok(ok, `${what} matches the document`, { errors: validate.errors })
}

t.test('a client typed from the committed document compiles and agrees with the live service', async (t) => {
  const dir = mkdtempSync(join(artifacts, 'typed-client-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  const diagnostics = await buildClient(dir, document)
  t.same(diagnostics, [], 'the client package and main.ts type-check against the generated types')
  if (diagnostics.length > 0) return

  const app = await testApp({ API_KEYS })
  t.teardown(() => app.close())
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })

  const { stdout } = await run(process.execPath, [join(dir, 'out', 'main.js'), baseUrl, docPath, KEY], { timeout: 60_000 })
  const out = JSON.parse(stdout)

  t.equal(out.rank, 1, 'the first recommendation has rank 1')
  t.ok(PROCEDURE_IDS.includes(out.procedureId), `procedureId ${out.procedureId} is one of the 13`)
  t.equal(out.regime, 'pa2023', 'a 2026 start date is under the Procurement Act 2023')
  t.equal(out.aboveThreshold, true, '850000 is above the sub-central services threshold')
  t.type(out.legalBasis, 'string')
  t.ok(out.legalBasis.length > 0, 'the legal route names its legal basis')
  t.same(out.statuses, [200, 400], 'one valid and one invalid profile')
  t.equal(out.batchTop, out.procedureId, 'a profile gets the same top recommendation alone or in a batch')
  t.match(out.pointer, /^\/profiles\/1\//, 'the invalid profile is pointed at by its index')
  t.equal(out.pointer, '/profiles/1/contract/estimatedValue')
  t.equal(out.where, 'body')
  t.equal(out.unauthorized?.status, 401, 'without the key the client returns the 401 problem as error')

  const schema = componentValidators(document)
  check(t, schema('RecommendationReport'), out.report, 'the single report')
  check(t, schema('BatchResponse'), out.batch, 'the batch response')
  check(t, schema('Problem'), out.unauthorized, 'the 401 problem')
})

t.test('the check fails when the document and the service disagree', async (t) => {
  // Rename a required field of the report in a copy of the document: the program no longer
  // compiles against it, and a live report no longer validates against it.
  const changed = structuredClone(document)
  const route = changed.components.schemas.LegalRouteRef
  route.properties.legalReference = route.properties.legalBasis
  delete route.properties.legalBasis
  route.required = route.required.map((name: string) => (name === 'legalBasis' ? 'legalReference' : name))

  const dir = mkdtempSync(join(artifacts, 'typed-client-changed-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const diagnostics = await buildClient(dir, changed)
  t.ok(
    diagnostics.some((d) => d.includes("'legalBasis'") && d.includes('main.ts')),
    'the compile fails on the renamed field',
    { diagnostics }
  )

  const app = await testApp()
  t.teardown(() => app.close())
  const example = document.paths['/v1/recommendations'].post.requestBody.content['application/json'].examples['digital-platform'].value
  const res = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: example })
  t.equal(res.statusCode, 200)
  const validate = componentValidators(changed)('RecommendationReport')
  t.equal(validate(res.json()), false, 'the live report does not validate against the changed document')
  t.ok(
    validate.errors?.some((e) => e.keyword === 'required' && e.params.missingProperty === 'legalReference'),
    'validation names the missing field'
  )
  t.ok(componentValidators(document)('RecommendationReport')(res.json()), 'and it validates against the committed document')
})
