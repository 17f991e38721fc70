#!/usr/bin/env node
// The baseline for `npm run bench`: a bare Fastify hello-world with the SAME fastify package the
// service uses (resolved from this project's node_modules), logger off. GET / -> {"hello":"world"}.
// Started by bench/run.mjs as its own child process; loopback only.
//
//   PORT=3001 node bench/hello.mjs
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const port = Number(process.env.PORT ?? 3001)
const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))

// A second baseline: the same framework answering a POST with a report-sized JSON body it already
// holds (PAYLOAD_FILE), so the bench can show what moving ~17 KB over HTTP costs on its own.
if (process.env.PAYLOAD_FILE) {
  const payload = readFileSync(process.env.PAYLOAD_FILE, 'utf8')
  app.post('/payload', async (_request, reply) => reply.type('application/json').send(payload))
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  })
}

await app.listen({ port, host: '127.0.0.1' })
