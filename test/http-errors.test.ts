// Every error the contract lists, through the real app: RFC 9457 shape, status, pointers.
import t from 'tap'
import { PROBLEM_BASE, testApp } from './helpers/app.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

t.test('error responses', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())

  function problemOf(res: { headers: Record<string, unknown>; json: () => Record<string, unknown> }, status: number, type: string) {
    t.match(String(res.headers['content-type']), /^application\/problem\+json/, `${type}: content type`)
    const body = res.json()
    t.equal(body.status, status, `${type}: status member`)
    t.equal(body.type, `${PROBLEM_BASE}${type}`, `${type}: type`)
    t.equal(body.instance, `urn:uuid:${String(res.headers['x-request-id'])}`, `${type}: instance is the request id`)
    t.match(String(res.headers['x-request-id']), UUID)
    return body
  }

  await t.test('400 lists every field at fault with its JSON pointer, unknown fields included', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: {
        foo: 1,
        contract: { type: 'service', estimatedValue: -1, valu: 3 },
        constraints: { startDate: '2026-13-01', weeksToAward: 0 }
      }
    })
    t.equal(res.statusCode, 400)
    const body = problemOf(res, 400, 'validation')
    t.same((body.errors as { pointer: string }[]).map((e) => e.pointer).sort(), [
      '/constraints/startDate',
      '/constraints/weeksToAward',
      '/contract/estimatedValue',
      '/contract/type',
      '/contract/valu',
      '/foo'
    ])
    t.same(
      (body.errors as { pointer: string; message: string }[]).find((e) => e.pointer === '/contract/type'),
      {
        pointer: '/contract/type',
        in: 'body',
        message: 'must be one of: goods, services, works'
      }
    )
  })

  await t.test('400 for a missing required field names it', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/recommendations', payload: { contract: { type: 'goods' } } })
    const body = problemOf(res, 400, 'validation')
    t.same(body.errors, [{ pointer: '/contract/estimatedValue', in: 'body', message: 'is required' }])
  })

  await t.test('400 does not coerce types: a numeric string is not a number', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      payload: { contract: { type: 'goods', estimatedValue: '850000' } }
    })
    const body = problemOf(res, 400, 'validation')
    t.same(body.errors, [{ pointer: '/contract/estimatedValue', in: 'body', message: 'must be number' }])
  })

  await t.test('400 for malformed JSON', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/recommendations',
      headers: { 'content-type': 'application/json' },
      payload: '{"contract":'
    })
    t.equal(res.statusCode, 400)
    problemOf(res, 400, 'malformed-json')
  })

  await t.test('400 for __proto__ and constructor payloads', async (t) => {
    for (const payload of [
      '{"__proto__":{"x":1},"contract":{"type":"goods","estimatedValue":1}}',
      '{"constructor":{"prototype":{"x":1}},"contract":{"type":"goods","estimatedValue":1}}'
    ]) {
      const res = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: { 'content-type': 'application/json' }, payload })
      t.equal(res.statusCode, 400, payload)
      problemOf(res, 400, 'malformed-json')
    }
  })

  await t.test('400 for an unknown or malformed query parameter', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/thresholds?date=yesterday&lang=en' })
    const body = problemOf(res, 400, 'validation')
    t.same(
      (body.errors as object[]).map((e) => e).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        { pointer: '/date', in: 'querystring', message: 'must match format "date"' },
        { pointer: '/lang', in: 'querystring', message: 'is not a known field (unknown fields are rejected, not ignored)' }
      ]
    )
  })

  await t.test('404 for an unknown route', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
    t.equal(res.statusCode, 404)
    const body = problemOf(res, 404, 'not-found')
    t.equal(body.code, 'PRA_ERR_ROUTE_NOT_FOUND')
  })

  await t.test('404 for an unknown procedure id', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/procedures/beauty-contest' })
    t.equal(res.statusCode, 404)
    const body = problemOf(res, 404, 'procedure-not-found')
    t.equal(body.code, 'PRA_ERR_PROCEDURE_NOT_FOUND')
    t.match(body.detail, /beauty-contest/)
  })

  await t.test('405 with Allow for a known path and the wrong method', async (t) => {
    const res = await app.inject({ method: 'DELETE', url: '/v1/recommendations' })
    t.equal(res.statusCode, 405)
    t.equal(res.headers.allow, 'POST')
    problemOf(res, 405, 'method-not-allowed')
    const get = await app.inject({ method: 'PUT', url: '/v1/procedures/open-tender' })
    t.equal(get.statusCode, 405)
    t.equal(get.headers.allow, 'GET, HEAD')
  })

  await t.test('413 for a body over the limit', async (t) => {
    const payload = JSON.stringify({ contract: { type: 'goods', estimatedValue: 1 }, title: 'x'.repeat(2 * 1024 * 1024) })
    const res = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: { 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 413)
    problemOf(res, 413, 'body-too-large')
  })

  await t.test('415 for a body that is not JSON', async (t) => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await app.inject({ method: 'POST', url: '/v1/recommendations', headers: { 'content-type': type }, payload: 'contract=1' })
      t.equal(res.statusCode, 415, type)
      problemOf(res, 415, 'unsupported-media-type')
    }
  })

  await t.test("a caller's x-request-id is echoed, but the service's own id is the problem instance", async (t) => {
    const id = '0b5e1c2d-3f4a-4b6c-8d7e-9f0a1b2c3d4e'
    const first = await app.inject({ method: 'GET', url: '/v1/procedures/nope', headers: { 'x-request-id': id } })
    const second = await app.inject({ method: 'GET', url: '/v1/procedures/nope', headers: { 'x-request-id': id } })
    t.equal(first.headers['x-request-id'], id, 'echoed for correlation')
    t.equal(second.headers['x-request-id'], id)
    const instances = [first.json().instance, second.json().instance]
    t.not(instances[0], `urn:uuid:${id}`, 'never the caller id')
    t.not(instances[0], instances[1], 'two requests never share an identity')
    t.equal(instances[0], `urn:uuid:${String(first.headers['x-server-request-id'])}`)
    t.match(String(first.headers['x-server-request-id']), UUID)
    const malformed = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'x'.repeat(129) } })
    t.equal(
      malformed.headers['x-request-id'],
      malformed.headers['x-server-request-id'],
      'an over-long id is not echoed: the service id takes its place'
    )
  })
})
