// Answers the request of every fixture from the live app, as a client would: a fixed clock, a
// fresh embedded store, a fixed chain key and the documented client (lb-hackney), so one build
// gives the same answers on every run. Used by `npm run examples` and test/examples.test.ts.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../app.js'
import { defaultConfig } from '../config.js'
import { EXAMPLE_INSTANCE } from '../problem-responses.js'
import { contentHashOf } from '../store/records.js'
import { EXAMPLE_API_KEY, EXAMPLE_RECORD_ID, FIXTURES, type Fixture } from './fixtures.js'

/** The time the documented answers are given at. */
export const EXAMPLE_TIME = new Date('2026-11-25T10:00:00.000Z')

export interface Answer {
  fixture: Fixture
  status: number
  /** What the fixture documents: the parsed JSON (selected), or the iCalendar text. */
  value: unknown
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

export async function answerFixtures(): Promise<Answer[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'examples-'))
  const app = await buildApp(
    defaultConfig({
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: 0,
      MAX_RSS_BYTES: 0,
      DATA_DIR: dataDir,
      API_KEYS: `lb-hackney:sha256:${sha256(EXAMPLE_API_KEY)}`,
      CHAIN_KEYS: `2026-12:${Buffer.alloc(32, 7).toString('base64')}`
    }),
    { now: () => EXAMPLE_TIME }
  )
  try {
    await app.ready()
    const answers: Answer[] = []
    let recordId = ''
    for (const fixture of FIXTURES) {
      const { method, url, payload, accept } = fixture.request(recordId)
      const res = await app.inject({
        method,
        url,
        ...(payload !== undefined && { payload: payload as object }),
        headers: { authorization: `Bearer ${EXAMPLE_API_KEY}`, ...(accept && { accept }) }
      })
      const body = fixture.type === 'text/calendar' ? res.body : res.json()
      if (fixture.operationId === 'recordDecision' && res.statusCode === 201) recordId = (body as { id: string }).id
      answers.push({ fixture, status: res.statusCode, value: fixture.select ? fixture.select(body) : body })
    }
    return stabilised(answers, recordId)
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * The answers with what is random in them made fixed: the record's id becomes EXAMPLE_RECORD_ID
 * (its content hash recomputed, so the documented record hashes to its documented hash), its
 * signature an illustrative one (a real one needs the deployment's key), problem instances the
 * documented instance.
 */
function stabilised(answers: Answer[], recordId: string): Answer[] {
  const recorded = answers.find((a) => a.fixture.operationId === 'recordDecision' && a.status === 201)?.value as
    { contentHash: string; signature: string; receipt: unknown; seq: unknown; keyId: unknown } | undefined
  const replace: [string | RegExp, string][] = [[/urn:uuid:[0-9a-f-]{36}/g, EXAMPLE_INSTANCE]]
  if (recorded && recordId) {
    const { receipt: _r, seq: _s, signature, keyId: _k, contentHash, ...unsigned } = recorded
    const hash = contentHashOf(JSON.parse(JSON.stringify(unsigned).replaceAll(recordId, EXAMPLE_RECORD_ID)) as never)
    replace.push([recordId, EXAMPLE_RECORD_ID], [contentHash, hash], [signature, sha256(`example ${hash}`)])
  }
  return answers.map((a) => {
    let text = JSON.stringify(a.value)
    for (const [from, to] of replace) text = typeof from === 'string' ? text.replaceAll(from, to) : text.replace(from, to)
    return { ...a, value: JSON.parse(text) }
  })
}
