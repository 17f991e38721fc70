// End to end: Debian's Chromium, driven by playwright-core, uses Swagger UI at /docs of the real
// server process (`node dist/src/server.js`) the way a person would: Try it out, Execute, read
// the live response. Screenshots of the executed operations go to test-artifacts/.
import t from 'tap'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'
import { PLAN_REQUEST_EXAMPLES } from '../src/examples/requests.js'
import { root, startServer, type ServerProcess } from './helpers/server-process.js'
import { CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT } from './helpers/chromium.js'

const ARTIFACTS = join(root, 'test-artifacts')

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) t.fail(`${INSTALL_HINT} (${CHROMIUM} is missing and CI is set, so this test may not skip)`)
  else t.plan(0, INSTALL_HINT)
} else {
  await run()
}

interface LiveResponse {
  status: string
  body: string
  /** The whole live response: status, body and the response headers. */
  text: string
}

async function run(): Promise<void> {
  const server: ServerProcess = await startServer()
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })

  const profileDir = mkdtempSync(join(tmpdir(), 'pra-chromium-'))
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    timeout: 30000,
    args: CHROMIUM_ARGS
  })
  t.teardown(async () => {
    await context.close()
    rmSync(profileDir, { recursive: true, force: true })
  })

  // Every request of every page, and every console error or uncaught page error.
  const requests: string[] = []
  const consoleErrors: string[] = []
  context.on('request', (request) => requests.push(request.url()))
  context.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`)
  })
  context.on('weberror', (error) => consoleErrors.push(`uncaught: ${error.error().message}`))

  const page: Page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15000)
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.goto(`${server.url}/docs`)

  /** Expands an operation and clicks Try it out. */
  async function tryItOut(blockId: string): Promise<Locator> {
    const op = page.locator(`#${blockId}`)
    await op.waitFor()
    await op.locator('.opblock-summary-control').click()
    await op.locator('.try-out__btn').click()
    await op.locator('.execute').waitFor()
    return op
  }

  /** Clicks Execute and reads the live response Swagger UI shows. */
  async function execute(op: Locator): Promise<LiveResponse> {
    const live = op.locator('.live-responses-table')
    // A previous response is cleared first, so what is read below is the new one.
    if ((await live.count()) > 0) {
      await op.locator('.btn-clear').click()
      await live.waitFor({ state: 'detached' })
    }
    await op.locator('.execute').click()
    await live.waitFor()
    return {
      status: (await live.locator('tbody .response-col_status').first().innerText()).trim(),
      body: await live.locator('.highlight-code .microlight').first().innerText(),
      text: await live.innerText()
    }
  }

  /** Screenshot from the top of the operation block to the end of its live response. */
  async function screenshot(op: Locator, file: string): Promise<string> {
    const path = join(ARTIFACTS, file)
    await page.evaluate(() => window.scrollTo(0, 0))
    const block = await op.boundingBox()
    const live = await op.locator('.live-responses-table').boundingBox()
    if (!block || !live) throw new Error(`nothing to take a screenshot of for ${file}`)
    await page.screenshot({
      path,
      fullPage: true,
      clip: { x: block.x, y: block.y, width: block.width, height: live.y + live.height - block.y + 16 }
    })
    return path
  }

  const recommend = 'operations-recommendations-recommendProcedures'

  await t.test('POST /v1/recommendations: the documented example, executed as is, gives a ranked recommendation', async (t) => {
    const op = await tryItOut(recommend)
    const textarea = op.locator('textarea.body-param__text')
    t.same(JSON.parse(await textarea.inputValue()), PROFILE_EXAMPLE, 'Try it out starts from the documented example')
    const res = await execute(op)
    t.equal(res.status, '200', 'the response code cell shows 200')
    t.match(res.body, /"rank": 1\b/, 'the response body shows "rank": 1')
    t.match(res.body, /"procedureId": "[a-z-]+"/, 'the response body shows a procedureId')
    const report = JSON.parse(res.body) as { recommendations?: Array<{ rank: number; procedureId: string }> }
    t.equal(report.recommendations?.[0]?.rank, 1, 'the first recommendation is ranked 1')
    t.match(res.text, /content-type: application\/json/, 'the response headers show application/json')
    t.ok(existsSync(await screenshot(op, 'swagger-recommendation.png')), 'screenshot saved')
  })

  await t.test('POST /v1/recommendations: an invalid profile shows the 400 problem with its pointer', async (t) => {
    const op = page.locator(`#${recommend}`)
    await op.locator('textarea.body-param__text').fill('{"contract":{"type":"services","estimatedValue":-5}}')
    const res = await execute(op)
    t.equal(res.status, '400', 'the response code cell shows 400')
    t.match(res.text, /content-type: application\/problem\+json/, 'the response headers show application/problem+json')
    t.match(res.body, /"pointer": "\/contract\/estimatedValue"/, 'the response body shows the pointer')
    const problem = JSON.parse(res.body) as { status?: number; errors?: Array<{ pointer: string }> }
    t.equal(problem.status, 400, 'the problem says status 400')
    t.same(
      problem.errors?.map((e) => e.pointer),
      ['/contract/estimatedValue'],
      'one error, at /contract/estimatedValue'
    )
    t.ok(existsSync(await screenshot(op, 'swagger-recommendation-400.png')), 'screenshot saved')
  })

  await t.test('GET /v1/procedures/{id}: competitive-dialogue', async (t) => {
    const op = await tryItOut('operations-catalogue-getProcedure')
    await op.locator('tr[data-param-name="id"] input[placeholder="id"]').fill('competitive-dialogue')
    const res = await execute(op)
    t.equal(res.status, '200', 'the response code cell shows 200')
    t.match(res.body, /"id": "competitive-dialogue"/, 'the response body shows the procedure id')
    t.match(res.body, /Competitive flexible procedure/, 'the response body shows its Procurement Act 2023 route')
    t.match(await op.locator('.request-url').innerText(), /\/v1\/procedures\/competitive-dialogue\b/, 'the request URL carries the id')
    t.ok(existsSync(await screenshot(op, 'swagger-procedure.png')), 'screenshot saved')
  })

  await t.test('POST /v1/plans: the documented example, executed as is, gives a dated plan with its OCDS fields', async (t) => {
    const op = await tryItOut('operations-plans-planProcurement')
    const textarea = op.locator('textarea.body-param__text')
    t.same(JSON.parse(await textarea.inputValue()), PLAN_REQUEST_EXAMPLES.default!.value, 'Try it out starts from the documented example')
    const res = await execute(op)
    t.equal(res.status, '200', 'the response code cell shows 200')
    t.match(res.text, /content-type: application\/json/, 'the response headers show application/json')
    const plan = JSON.parse(res.body) as {
      procedureId?: string
      milestones?: Array<{ id: string; date: string }>
      awardBy?: { met: boolean }
      ocds?: { procurementMethod: string; procurementMethodDetails: string }
    }
    t.equal(plan.procedureId, 'open-tender')
    // The worked plan of docs/profiles-and-reports.md: standstill from the award notice of Mon 1 Mar 2027 to 10 Mar; entry 11 Mar.
    t.equal(plan.milestones?.find((m) => m.id === 'standstill-end')?.date, '2027-03-10')
    t.equal(plan.milestones?.find((m) => m.id === 'contract-entry')?.date, '2027-03-11')
    t.equal(plan.awardBy?.met, true, 'the award date of 30 April 2027 is met')
    t.same(plan.ocds && { m: plan.ocds.procurementMethod, d: plan.ocds.procurementMethodDetails }, { m: 'open', d: 'Open procedure' })
    t.ok(existsSync(await screenshot(op, 'swagger-plan.png')), 'screenshot saved')
  })

  await t.test('GET /v1/thresholds: the documented answer is the fixture the document points to (externalValue)', async (t) => {
    const op = page.locator('#operations-catalogue-listThresholds')
    await op.locator('.opblock-summary-control').click()
    const example = op.locator('.responses-wrapper .response[data-code="200"]')
    await example.getByText('"date": "2026-12-01"').waitFor()
    const text = await example.innerText()
    t.match(text, /What the service answers \(listThresholds\.200\.json\)/, 'the example is named after its fixture')
    t.match(text, /"kind": "goods-services"/, 'the fixture is shown, not a link')
    t.ok(requests.includes(`${server.url}/docs/examples/listThresholds.200.json`), 'fetched from the service, beside /docs/json')
  })

  t.test('the browser talked to the test server only and logged no errors', async (t) => {
    const elsewhere = requests.filter((url) => !url.startsWith(`${server.url}/`) && !/^(data|blob|about):/.test(url))
    t.same(elsewhere, [], 'no request to any other host')
    t.ok(
      requests.some((url) => url === `${server.url}/v1/recommendations`) && requests.some((url) => url === `${server.url}/v1/plans`),
      'the executed requests went to the test server'
    )
    // Chromium logs every 4xx/5xx response as a console error; the one 400 the error example
    // asks for is expected, anything else is not.
    const expected400 = `Failed to load resource: the server responded with a status of 400 (Bad Request) (${server.url}/v1/recommendations)`
    t.equal(consoleErrors.filter((e) => e === expected400).length, 1, 'the one expected 400 was logged by Chromium')
    t.same(
      consoleErrors.filter((e) => e !== expected400),
      [],
      'no other console errors'
    )
  })
}
