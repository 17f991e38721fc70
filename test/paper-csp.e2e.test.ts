// The route-to-market paper has no scripts, so it is served with a Content-Security-Policy that
// allows none (and nothing else but its inline styles and its data: icon); the JSON answers and
// the Swagger UI, which needs its own scripts, keep helmet's policy. Over raw sockets to a real
// server process.
import t from 'tap'
import { startServer } from './helpers/server-process.js'
import { rawRequest } from './helpers/raw-http.js'
import { PROFILE_EXAMPLE } from '../schemas/profile.js'

const PAPER_CSP = "default-src 'none';style-src 'unsafe-inline';img-src data:;base-uri 'none';form-action 'none';frame-ancestors 'none'"
const HELMET_CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
  "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'"

t.test('both HTML papers forbid scripts; JSON and /docs keep their policy', async (t) => {
  const server = await startServer()
  t.teardown(() => server.child.kill('SIGKILL'))
  const json = 'Host: x\r\nContent-Type: application/json'
  const created = await rawRequest(
    server.port,
    `POST /v1/decisions HTTP/1.1\r\n${json}`,
    JSON.stringify({
      profile: PROFILE_EXAMPLE,
      procedureId: 'open-tender',
      rationale: 'The supplier market is open and mature.',
      decidedBy: { name: 'Chief Digital Officer', role: 'cio-cdo' }
    })
  )
  t.equal(created.status, 201, created.status === 201 ? 'the decision is recorded' : String(created.body))
  const { id } = JSON.parse(String(created.body)) as { id: string }

  const paper = await rawRequest(server.port, `GET /v1/decisions/${id} HTTP/1.1\r\nHost: x\r\nAccept: text/html`)
  t.equal(paper.status, 200)
  t.match(paper.headers['content-type'], /^text\/html/)
  t.equal(paper.headers['content-security-policy'], PAPER_CSP, 'the stored decision paper')

  const draft = await rawRequest(
    server.port,
    `POST /v1/recommendations HTTP/1.1\r\n${json}\r\nAccept: text/html`,
    JSON.stringify(PROFILE_EXAMPLE)
  )
  t.equal(draft.status, 200)
  t.match(draft.headers['content-type'], /^text\/html/)
  t.equal(draft.headers['content-security-policy'], PAPER_CSP, 'the draft paper')

  const record = await rawRequest(server.port, `GET /v1/decisions/${id} HTTP/1.1\r\nHost: x\r\nAccept: application/json`)
  t.equal(record.status, 200)
  t.equal(record.headers['content-security-policy'], HELMET_CSP, 'the same record as JSON')
  const docs = await rawRequest(server.port, 'GET /docs/ HTTP/1.1\r\nHost: x')
  t.equal(docs.status, 200)
  t.equal(docs.headers['content-security-policy'], HELMET_CSP, 'the Swagger UI, which runs scripts of its own')
})
