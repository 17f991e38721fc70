// HTTP fuzzing of the real app (buildApp through app.inject) with fast-check: thousands of generated
// bodies, from random JSON to near-valid profiles broken in exactly one field, huge strings, odd
// numbers, deep nesting, non-JSON text, prototype-poisoning keys and mixed batches.
//
// Invariants on EVERY response: status < 500; a status >= 400 is application/problem+json with
// type, title, status (equal to the HTTP status), detail and instance. A valid profile gets 200;
// a profile broken in one field gets 400 whose `errors` name that field's exact JSON pointer;
// an unknown key is never dropped silently.
//
// This file holds the properties; the bodies come from helpers/fuzz-generators.ts and the checks
// every response must pass from helpers/fuzz-invariants.ts.
//
// FUZZ_SCALE (default 1) multiplies every run count; FUZZ_SEED replays a failing seed.
import t from 'tap'
import fc from 'fast-check'
import { testApp } from './helpers/app.js'
import { validProfile } from './helpers/arbitraries.js'
import {
  MARK,
  NEST_PLACES,
  NEST_SHAPES,
  JSON_CONTENT_TYPES,
  OBJECTS,
  ODD_CONTENT_TYPES,
  POISONS,
  POISON_KEY,
  batchEnvelopeError,
  batchItem,
  brokenProfile,
  hugeString,
  nestedBody,
  nonJsonText,
  oddBytes,
  oddNumber,
  pointerOf,
  randomJsonText,
  setAt,
  slot,
  unknownKeyAnywhere,
  withRaw,
  type Obj,
  type Slot
} from './helpers/fuzz-generators.js'
import { checkBatch, checkInvariants, expect200Report, expect400Naming, fail, isValidProfile, type Res } from './helpers/fuzz-invariants.js'
import { defaultConfig } from '../src/config.js'

// ---------------------------------------------------------------------------------------------
// Setup

const SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE))

const SINGLE = '/v1/recommendations'
const BATCH = '/v1/recommendations/batch'
const { BODY_LIMIT_BYTES, BATCH_BODY_LIMIT_BYTES } = defaultConfig()

// Neither the rate limiter nor load shedding may interfere: this test is about answers, not load.
// (Shedding is off because tap runs files in parallel and building the app under coverage can block
// the event loop for longer than one sample interval, which sheds the first requests with 503.)
const app = await testApp({ RATE_LIMIT_MAX: 1_000_000, MAX_EVENT_LOOP_DELAY_MS: 0 })
t.teardown(() => app.close())

let requests = 0
const statusCounts = new Map<number, number>()

async function send(url: string, body: string | Buffer, contentType = 'application/json'): Promise<Res> {
  requests++
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: body })
  statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1)
  return res as unknown as Res
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

// ---------------------------------------------------------------------------------------------
// The property runner: fc.assert inside, one tap assertion per property.

const SUMMARY: string[] = []

async function property<Ts extends [unknown, ...unknown[]]>(
  tt: Pick<typeof t, 'pass' | 'fail'>,
  name: string,
  prop: fc.IAsyncPropertyWithHooks<Ts>,
  numRuns: number
): Promise<void> {
  const started = performance.now()
  const before = requests
  try {
    await fc.assert(prop, { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) })
    tt.pass(`${name}: ${numRuns} runs`)
  } catch (err) {
    // The whole fast-check report (seed, counterexample, the response) goes to the YAML diagnostic.
    tt.fail(`${name}: property failed`, { diagnostic: true, report: (err as Error).message })
  }
  SUMMARY.push(`${name}: ${numRuns} runs, ${requests - before} requests, ${Math.round(performance.now() - started)} ms`)
}

// ---------------------------------------------------------------------------------------------
// The properties

t.test('random JSON bodies', async (t) => {
  await property(
    t,
    'random JSON to POST /v1/recommendations',
    fc.asyncProperty(randomJsonText, async (text) => {
      const res = await send(SINGLE, text)
      checkInvariants(res)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return
      }
      if (isValidProfile(parsed) && !POISON_KEY.test(text)) expect200Report(res)
      else if (res.statusCode !== 400 && res.statusCode !== 413) fail('random JSON that is not a valid profile must get 400 (or 413)', res)
    }),
    runs(2000)
  )
  await property(
    t,
    'random JSON to POST /v1/recommendations/batch (bare and as { profiles })',
    fc.asyncProperty(randomJsonText, fc.boolean(), async (text, wrap) => {
      const body = wrap ? `{"profiles":[${text}]}` : text
      const res = await send(BATCH, body)
      checkInvariants(res)
      if (!wrap && res.statusCode !== 400 && res.statusCode !== 413) fail('a random JSON batch body must get 400', res)
      if (wrap && res.statusCode === 200) {
        let value: unknown
        try {
          value = JSON.parse(text)
        } catch {
          return
        }
        checkBatch(res, [isValidProfile(value) ? { kind: 'valid', value } : { kind: 'junk', value }])
      }
    }),
    runs(1500)
  )
})

t.test('valid profiles get 200; one unknown key is never dropped', async (t) => {
  await property(
    t,
    'valid profile -> 200 with a report',
    fc.asyncProperty(validProfile, async (profile) => {
      const res = await send(SINGLE, JSON.stringify(profile))
      const report = expect200Report(res)
      if (profile.reference !== undefined && report.reference !== profile.reference) fail('reference must be echoed back unchanged', res)
    }),
    runs(800)
  )
  await property(
    t,
    'valid profile + one unknown key -> 400 naming that key (never 200)',
    fc.asyncProperty(validProfile, unknownKeyAnywhere, async (profile, [at, key, value]) => {
      const p = structuredClone(profile) as unknown as Obj
      setAt(p, [...at, key], value)
      const res = await send(SINGLE, JSON.stringify(p))
      if (res.statusCode === 200) fail(`unknown key ${pointerOf([...at, key])} was silently dropped`, res)
      expect400Naming(res, pointerOf([...at, key]))
    }),
    runs(800)
  )
})

t.test('near-valid profiles broken in exactly one field', async (t) => {
  await property(
    t,
    'one broken field -> 400 naming its exact pointer',
    fc.asyncProperty(brokenProfile, async (b) => {
      const text = JSON.stringify(b.profile)
      const res = await send(SINGLE, text)
      if (bytes(text) > BODY_LIMIT_BYTES) {
        checkInvariants(res)
        if (res.statusCode !== 413) fail('a body over the limit must get 413', res)
        return
      }
      expect400Naming(res, b.pointer)
    }),
    runs(2500)
  )
})

t.test('huge strings, odd numbers, deep nesting', async (t) => {
  await property(
    t,
    'huge strings (1 kB..100 kB) in every position',
    fc.asyncProperty(validProfile, slot, hugeString, fc.boolean(), async (profile, s, huge, inBatch) => {
      const text = withRaw(profile, s, JSON.stringify(huge))
      const parsed = JSON.parse(text) as unknown
      if (inBatch) {
        const body = `{"profiles":[${text}]}`
        const res = await send(BATCH, body)
        checkInvariants(res)
        if (bytes(body) > BATCH_BODY_LIMIT_BYTES) {
          if (res.statusCode !== 413) fail('a batch over the limit must get 413', res)
        } else checkBatch(res, [isValidProfile(parsed) ? { kind: 'valid', value: parsed } : { kind: 'junk', value: parsed }])
        return
      }
      const res = await send(SINGLE, text)
      checkInvariants(res)
      if (bytes(text) > BODY_LIMIT_BYTES) {
        if (res.statusCode !== 413) fail('a body over the limit must get 413', res)
      } else if (isValidProfile(parsed)) expect200Report(res)
      else if (res.statusCode !== 400) fail('an invalid profile must get 400', res)
    }),
    runs(500)
  )
  await property(
    t,
    'odd numbers (1e308, -0, 1e-320, MAX_SAFE_INTEGER+2, ...) in every position',
    fc.asyncProperty(validProfile, slot, oddNumber, async (profile, s, raw) => {
      // A number as a key name makes no sense; put it as a value.
      const target: Slot = s.at === 'unknownName' ? { at: 'unknownValue', obj: s.obj } : s
      const text = withRaw(profile, target, raw)
      const res = await send(SINGLE, text)
      checkInvariants(res)
      const parsed = JSON.parse(text) as unknown
      if (isValidProfile(parsed)) expect200Report(res)
      else if (res.statusCode !== 400) fail('an invalid profile must get 400', res)
    }),
    runs(1000)
  )
  await property(
    t,
    'deep nesting (500..5000 levels) as raw JSON text',
    fc.asyncProperty(
      fc.integer({ min: 500, max: 5000 }),
      fc.constantFrom(...NEST_SHAPES),
      fc.constantFrom(...NEST_PLACES),
      async (depth, shape, where) => {
        const { batch, body } = nestedBody(depth, shape, where)
        const res = await send(batch ? BATCH : SINGLE, body)
        checkInvariants(res)
        if (where === 'batchBody' && res.statusCode === 200) {
          // {"profiles":[[[...]]]} is an envelope with one (nested-array) profile: that result is 400.
          checkBatch(res, [{ kind: 'junk', value: null }])
          const results = (JSON.parse(res.body) as { results: { status: number }[] }).results
          if (results[0]?.status !== 400) fail('a deeply nested profile must get 400 in its result', res)
        } else if (where === 'batchProfile') {
          checkBatch(res, [
            { kind: 'valid', value: null },
            { kind: 'junk', value: null }
          ])
          const results = (JSON.parse(res.body) as { results: { status: number }[] }).results
          if (results[1]?.status !== 400) fail('a deeply nested profile must get 400 in its result', res)
        } else if (res.statusCode !== 400 && res.statusCode !== 413) fail('deep nesting must get 400 (or 413)', res)
      }
    ),
    runs(300)
  )
})

t.test('raw non-JSON text and poisoning keys', async (t) => {
  await property(
    t,
    'non-JSON text with content-type application/json -> 400',
    fc.asyncProperty(
      nonJsonText,
      fc.constantFrom(SINGLE, BATCH),
      fc.constantFrom(...JSON_CONTENT_TYPES),
      async (text, url, contentType) => {
        const res = await send(url, text, contentType)
        checkInvariants(res)
        let isJson = true
        try {
          JSON.parse(text.replace(/^\uFEFF/, ''))
        } catch {
          isJson = false
        }
        if (!isJson && res.statusCode !== 400) fail('a body that is not JSON must get 400', res)
      }
    ),
    runs(1000)
  )
  await property(
    t,
    'odd bytes and content types -> never 5xx',
    fc.asyncProperty(oddBytes, fc.constantFrom(SINGLE, BATCH), fc.constantFrom(...ODD_CONTENT_TYPES), async (body, url, contentType) => {
      checkInvariants(await send(url, body, contentType))
    }),
    runs(400)
  )
  await property(
    t,
    '__proto__ / constructor.prototype keys at any depth -> 400, nothing polluted',
    fc.asyncProperty(
      validProfile,
      fc.constantFrom(...OBJECTS),
      fc.constantFrom(...POISONS),
      fc.boolean(),
      async (profile, o, poison, inBatch) => {
        const p = structuredClone(profile) as unknown as Obj
        setAt(p, [...o.path, MARK], 0)
        const text = JSON.stringify(p).replace(`"${MARK}":0`, () => poison)
        const res = await send(inBatch ? BATCH : SINGLE, inBatch ? `{"profiles":[${text}]}` : text)
        checkInvariants(res)
        if (({} as Obj).polluted !== undefined || (Object.prototype as Obj).polluted !== undefined) {
          fail('Object.prototype was polluted', res)
        }
        if (inBatch && res.statusCode === 200) {
          // Accepted by the parser: the profile itself must still be refused.
          const results = (JSON.parse(res.body) as { results: { status: number }[] }).results
          if (results[0]?.status !== 400) fail('a poisoned profile in a batch must not be accepted', res)
        } else if (res.statusCode !== 400) fail('a poisoned body must get 400', res)
      }
    ),
    runs(500)
  )
})

t.test('batches mixing valid and broken profiles', async (t) => {
  await property(
    t,
    'mixed batch -> one result per profile, in order, pointers under /profiles/<index>',
    fc.asyncProperty(fc.array(batchItem, { minLength: 1, maxLength: 8 }), async (items) => {
      const body = JSON.stringify({ profiles: items.map((i) => i.value) })
      const res = await send(BATCH, body)
      if (bytes(body) > BATCH_BODY_LIMIT_BYTES) {
        checkInvariants(res)
        if (res.statusCode !== 413) fail('a batch over the limit must get 413', res)
        return
      }
      checkBatch(res, items)
    }),
    runs(600)
  )
  await property(
    t,
    'batch envelope errors -> 400 naming the pointer',
    fc.asyncProperty(batchEnvelopeError, async ({ body, pointer }) => {
      expect400Naming(await send(BATCH, JSON.stringify(body)), pointer)
    }),
    runs(200)
  )
})

t.test('summary', async (t) => {
  for (const line of SUMMARY) t.comment(line)
  t.comment(
    `requests: ${requests}; statuses: ${[...statusCounts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(' ')}`
  )
  t.pass('summary')
})
