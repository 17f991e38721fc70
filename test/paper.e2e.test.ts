// The route-to-market paper in Debian's Chromium, as a CIO/CDO would open and print it: the
// stored decision's page (GET /v1/decisions/{id}, Accept: text/html) and the draft of an unsaved
// report (POST /v1/recommendations, Accept: text/html). Checks the structure a reader relies on,
// saves a screenshot and a PDF under test-artifacts/.
import t from 'tap'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { PROCEDURE_IDS } from '../schemas/common.js'
import { root, startServer } from './helpers/server-process.js'
import { CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT } from './helpers/chromium.js'

const ARTIFACTS = join(root, 'test-artifacts')

const PROFILE = {
  reference: 'LBX-2026-031',
  title: 'Digital social care referrals platform',
  contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2', '72212000-4'], durationMonths: 36 },
  need: { solutionMaturity: 'needs-adaptation', requirementsClarity: 'outcome-known' },
  process: { negotiation: true, demonstrations: true },
  constraints: { startDate: '2026-12-01', weeksToAward: 30 },
  priorities: ['innovation', 'user-involvement']
}

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) t.fail(`${INSTALL_HINT} (${CHROMIUM} is missing and CI is set, so this test may not skip)`)
  else t.plan(0, INSTALL_HINT)
} else {
  await run()
}

/** What the page shows a reader, read from the DOM. */
async function structure(page: Page) {
  return page.evaluate(() => {
    const procedures = [...document.querySelectorAll('[data-procedure-id]')].map((e) => e.getAttribute('data-procedure-id'))
    const raci = [...document.querySelectorAll('table.raci tbody tr')].map((row) => ({
      activity: row.querySelector('th')?.textContent ?? '',
      accountable: [...row.querySelectorAll('td')].filter((td) => td.textContent === 'A').length
    }))
    const svg = document.querySelector('svg[role="img"]')
    return {
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
      h2: [...document.querySelectorAll('h2')].map((h) => h.textContent),
      procedures,
      raci,
      bars: svg ? svg.querySelectorAll('rect.bar').length : null,
      milestoneRows: [...document.querySelectorAll('svg g[data-milestone]')].map((g) => g.getAttribute('data-milestone')),
      svgTitle: svg?.querySelector('title')?.textContent ?? null,
      scripts: document.querySelectorAll('script').length,
      headerCellsWithoutScope: [...document.querySelectorAll('th')].filter((th) => !th.getAttribute('scope')).length,
      status: document.querySelector('.status')?.textContent ?? '',
      text: document.body.innerText
    }
  })
}

async function run(): Promise<void> {
  const server = await startServer()
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  mkdirSync(ARTIFACTS, { recursive: true })

  const res = await fetch(`${server.url}/v1/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      profile: PROFILE,
      procedureId: 'competitive-dialogue',
      decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' }
    })
  })
  const record = (await res.json()) as {
    id: string
    contentHash: string
    report: { raci: { activities: unknown[] } }
    plan?: { milestones: { id: string }[] }
  }
  t.equal(res.status, 201, 'the decision is recorded')

  await t.test('the stored decision opens as its paper in the browser', async (t) => {
    const nav = await page.goto(`${server.url}/v1/decisions/${record.id}`)
    t.match(nav?.headers()['content-type'], /^text\/html/, 'a browser gets the page, not JSON')
    const s = await structure(page)
    t.same(s.h1, ['Route to market: Digital social care referrals platform'])
    t.same(s.h2.slice(0, 3), ['The need', 'Regime and threshold', 'The chosen route: Competitive dialogue'])
    t.match(s.status, /Decision record/)
    t.same([...s.procedures].sort(), [...PROCEDURE_IDS].sort(), 'every procedure appears exactly once')
    t.equal(s.raci.length, record.report.raci.activities.length, 'the whole RACI')
    t.ok(
      s.raci.every((r) => r.accountable === 1),
      `exactly one A per activity (${
        s.raci
          .filter((r) => r.accountable !== 1)
          .map((r) => r.activity)
          .join(', ') || 'all'
      })`
    )
    const milestones = record.plan?.milestones.map((m) => m.id) ?? []
    if (milestones.length > 0) {
      t.equal(s.bars, milestones.length, 'one bar per milestone of the stored plan')
      t.same(s.milestoneRows, milestones)
      t.match(s.svgTitle, /one bar per milestone/, 'the chart has a text alternative')
    } else {
      t.equal(s.bars, null, 'no chart without a dated plan')
      t.match(s.text, /No dated plan: statutory minimum \d+ weeks/)
    }
    t.equal(s.scripts, 0, 'no scripts')
    t.equal(s.headerCellsWithoutScope, 0, 'every header cell says what it heads')
    t.match(s.text, new RegExp(`Content hash\\s+${record.contentHash}`))
    t.match(s.text, /Approved by \(CIO \/ CDO, accountable\)/)
    await page.screenshot({ path: join(ARTIFACTS, 'route-to-market-paper.png'), fullPage: true })
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: join(ARTIFACTS, 'route-to-market-paper.pdf'), format: 'A4', printBackground: true })
    t.ok(statSync(join(ARTIFACTS, 'route-to-market-paper.pdf')).size > 10_000, 'printed to PDF')
    await page.emulateMedia({ media: 'screen' })
  })

  await t.test('an unsaved report is the same paper, marked draft, with no hash', async (t) => {
    const draft = await fetch(`${server.url}/v1/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify(PROFILE)
    })
    t.match(draft.headers.get('content-type'), /^text\/html/)
    await page.setContent(await draft.text())
    const s = await structure(page)
    t.match(s.status, /Draft: not a decision record/)
    t.match(s.text, /Content hash\s+None: a draft is not a record\./)
    t.same([...s.procedures].sort(), [...PROCEDURE_IDS].sort())
    await page.screenshot({ path: join(ARTIFACTS, 'route-to-market-draft.png'), fullPage: true })
  })

  t.same(errors, [], `no console errors: ${errors.join(' | ')}`)
}
