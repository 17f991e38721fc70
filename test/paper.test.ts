// Content negotiation between the JSON answers and the route-to-market paper (the page itself is
// checked in Chromium by test/paper.e2e.test.ts): JSON stays the default, a client that prefers
// text/html gets the page, and every value on the page is escaped.
import t from 'tap'
import { prefersHtml } from '../src/routes/negotiate.js'
import { testApp } from './helpers/app.js'

t.test('Accept decides between JSON and the page; JSON wins ties and is the default', async (t) => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['*/*', false],
    ['application/json', false],
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['application/json, text/html', false],
    ['application/json;q=0.5, text/html', true],
    ['text/html;q=0', false],
    ['text/*', true],
    ['application/problem+json', false]
  ]
  for (const [accept, html] of cases) t.equal(prefersHtml(accept), html, String(accept))
})

t.test('POST /v1/recommendations answers the draft paper to a browser, escaped, and JSON otherwise', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  const profile = {
    title: '<script>alert(1)</script> & "quotes"',
    contract: { type: 'services', estimatedValue: 850000, cpvCodes: ['85311000-2'] },
    constraints: { startDate: '2026-03-02' }
  }
  const page = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: { accept: 'text/html' }, payload: profile })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.headers.vary, 'Accept')
  t.notMatch(page.body, /<script>/, 'a title cannot inject markup')
  t.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/)
  t.match(page.body, /Draft: not a decision record/)
  t.match(page.body, /85311000-2<\/code> Social work services with accommodation/, 'CPV codes with their labels')
  const json = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: profile })
  t.match(json.headers['content-type'], /^application\/json/)
  t.equal(json.json().recommendations[0].procedureId, 'light-touch')
  const invalid = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: { accept: 'text/html' }, payload: {} })
  t.equal(invalid.statusCode, 400, 'a bad profile is still a problem, whatever the Accept')
  t.match(invalid.headers['content-type'], /^application\/problem\+json/)
})
