// The body generators of test/fuzz.e2e.test.ts: fast-check arbitraries for near-valid profiles broken
// in exactly one field (with the JSON pointer of that field), random JSON, huge strings, odd
// numbers, deep nesting, non-JSON text, odd bytes, prototype-poisoning keys and mixed batches.
//
// The profile's fields are listed here from the contract, not read from the schema, so a drift of
// the schema from the contract is caught. Valid profiles come from ./arbitraries.ts.
import fc from 'fast-check'
import { validProfile, startDateTooEarly, REAL_CPV_CODES } from './arbitraries.js'
import { CATEGORIES, PRIORITIES, type ProcurementProfile } from '../../schemas/profile.js'

export type Obj = Record<string, unknown>

/** RFC 6901 escaping of one pointer segment. */
const esc = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1')
export const pointerOf = (path: readonly (string | number)[]): string => path.map((s) => `/${esc(String(s))}`).join('')

export const POISON_KEY = /"(?:__proto__|constructor)"\s*:/
/** JSON text without any "__proto__" / "constructor" key (fast-check likes to generate both). */
const isSafeJson = (value: unknown): boolean => !POISON_KEY.test(JSON.stringify(value) ?? '')

/** Small JSON values with no prototype-poisoning keys. */
const safeJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).filter(isSafeJson)
const anyString = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20, unit: 'binary' }))

type Kind = 'string' | 'enum' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'date'
interface Field {
  path: readonly string[]
  kind: Kind
  values?: readonly string[]
  min?: number
  max?: number
  maxLength?: number
}

const ENUMS = {
  authorityType: ['sub-central', 'central'],
  type: ['goods', 'services', 'works'],
  solutionMaturity: ['off-the-shelf', 'needs-adaptation', 'not-on-market'],
  requirementsClarity: ['specified', 'outcome-known', 'exploratory'],
  urgency: ['standard', 'urgent', 'extreme'],
  existingAgreement: ['none', 'framework', 'dynamic-market'],
  singleSupplier: ['none', 'technical', 'exclusive-rights', 'artistic'],
  teamCapacity: ['low', 'medium', 'high']
} as const

/** Every field of the profile, from the contract (not read from the schema, so drift is caught). */
const FIELDS: readonly Field[] = [
  { path: ['reference'], kind: 'string', maxLength: 100 },
  { path: ['title'], kind: 'string', maxLength: 300 },
  { path: ['authorityType'], kind: 'enum', values: ENUMS.authorityType },
  { path: ['contract'], kind: 'object' },
  { path: ['contract', 'type'], kind: 'enum', values: ENUMS.type },
  { path: ['contract', 'estimatedValue'], kind: 'number', min: 0, max: 100_000_000_000 },
  { path: ['contract', 'cpvCodes'], kind: 'array' },
  { path: ['contract', 'categories'], kind: 'array' },
  { path: ['contract', 'durationMonths'], kind: 'integer', min: 1, max: 600 },
  { path: ['need'], kind: 'object' },
  { path: ['need', 'solutionMaturity'], kind: 'enum', values: ENUMS.solutionMaturity },
  { path: ['need', 'requirementsClarity'], kind: 'enum', values: ENUMS.requirementsClarity },
  { path: ['need', 'researchAndDevelopment'], kind: 'boolean' },
  { path: ['need', 'complexOrRisky'], kind: 'boolean' },
  { path: ['process'], kind: 'object' },
  { path: ['process', 'negotiation'], kind: 'boolean' },
  { path: ['process', 'demonstrations'], kind: 'boolean' },
  { path: ['process', 'pitchOrPilot'], kind: 'boolean' },
  { path: ['process', 'coDevelopment'], kind: 'boolean' },
  { path: ['constraints'], kind: 'object' },
  { path: ['constraints', 'startDate'], kind: 'date' },
  { path: ['constraints', 'weeksToAward'], kind: 'integer', min: 1, max: 520 },
  { path: ['constraints', 'urgency'], kind: 'enum', values: ENUMS.urgency },
  { path: ['constraints', 'existingAgreement'], kind: 'enum', values: ENUMS.existingAgreement },
  { path: ['constraints', 'singleSupplier'], kind: 'enum', values: ENUMS.singleSupplier },
  { path: ['constraints', 'teamCapacity'], kind: 'enum', values: ENUMS.teamCapacity },
  { path: ['priorities'], kind: 'array' }
]
const fieldsOf = (...kinds: Kind[]) => FIELDS.filter((f) => kinds.includes(f.kind))

/** The objects of a profile and the keys each one knows. */
export const OBJECTS: readonly { path: readonly string[]; known: readonly string[] }[] = [
  { path: [], known: ['reference', 'title', 'authorityType', 'contract', 'need', 'process', 'constraints', 'priorities'] },
  { path: ['contract'], known: ['type', 'estimatedValue', 'cpvCodes', 'categories', 'durationMonths'] },
  { path: ['need'], known: ['solutionMaturity', 'requirementsClarity', 'researchAndDevelopment'] },
  { path: ['process'], known: ['negotiation', 'demonstrations', 'pitchOrPilot', 'coDevelopment'] },
  { path: ['constraints'], known: ['startDate', 'weeksToAward', 'urgency', 'existingAgreement', 'singleSupplier', 'teamCapacity'] }
]

const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 3 }),
  fc.constant({}),
  fc.constant({ a: 1 })
)
const notNumber = fc.oneof(
  fc.constantFrom('850000', '0', '', '1e3', 'NaN', 'Infinity'),
  anyString,
  fc.boolean(),
  fc.constant(null),
  fc.constant([1]),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ value: 1 })
)
const notBoolean = fc.oneof(
  fc.constantFrom(0, 1, 'true', 'false', '', 'yes'),
  fc.integer(),
  fc.constant(null),
  fc.constant([]),
  fc.constant([true]),
  fc.constant({})
)
const notArray = fc.oneof(anyString, fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant({ 0: '85311000-2' }))
const notObject = fc.oneof(anyString, fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant([{}]))

function wrongTypeFor(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'string':
    case 'enum':
    case 'date':
      return notString
    case 'number':
      return notNumber
    case 'integer':
      // A number that is not an integer is the wrong type too.
      return fc.oneof(
        notNumber,
        fc.double({ min: field.min ?? 0, max: field.max ?? 1, noNaN: true }).filter((n) => !Number.isInteger(n))
      )
    case 'boolean':
      return notBoolean
    case 'array':
      return notArray
    case 'object':
      return notObject
  }
}

function outOfRange(field: Field): fc.Arbitrary<number> {
  const min = field.min ?? 0
  const max = field.max ?? 0
  if (field.kind === 'integer') {
    return fc.oneof(
      fc.integer({ min: -1_000_000, max: min - 1 }),
      fc.integer({ min: max + 1, max: 1_000_000_000 }),
      fc.constantFrom(min - 1, max + 1, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
    )
  }
  return fc.oneof(
    fc.double({ max: min, noNaN: true, noDefaultInfinity: true }).filter((n) => n < min),
    fc.double({ min: max, noNaN: true, noDefaultInfinity: true }).filter((n) => n > max),
    fc.constantFrom(-0.01, -1, -Number.MIN_VALUE, max + 0.01, max * 10, 1e308, -1e308, Number.MAX_VALUE)
  )
}

function badEnumString(values: readonly string[]): fc.Arbitrary<string> {
  const near = values.flatMap((v) => [
    v.toUpperCase(),
    ` ${v}`,
    `${v} `,
    `${v}s`,
    v.slice(0, -1),
    v.replace(/-/g, '_'),
    v[0]!.toUpperCase() + v.slice(1)
  ])
  return fc.oneof(fc.constantFrom('', 'null', 'undefined', ...near), anyString).filter((s) => !values.includes(s))
}

const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const pad = (n: number, w: number) => String(n).padStart(w, '0')

/** Strings that are not a calendar date in YYYY-MM-DD. */
const badDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-02-30',
    '2026-2-1',
    '2026-02-29',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-04-31',
    '26-01-01',
    '02026-01-01',
    '+02026-01-01',
    '2026/01/01',
    '01/12/2026',
    '2026-01-01T00:00:00Z',
    '2026-01-01 ',
    ' 2026-01-01',
    '2026-01-01\n',
    '２０２６-０１-０１',
    '2026-W01',
    '2026-001',
    '20260101',
    '',
    'today'
  ),
  // A day past the end of its month (leap years included), or a month out of range.
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 })).chain(([y, m]) => {
    const last = m === 2 && isLeap(y) ? 29 : DAYS_IN[m - 1]!
    return fc.integer({ min: last + 1, max: 99 }).map((d) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
  }),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  // Not zero-padded.
  fc
    .tuple(fc.integer({ min: 2022, max: 2030 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
    .map(([y, m, d]) => `${y}-${m}-${d}`),
  anyString.filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s))
)

const CPV = /^\d{8}(-\d)?$/
const badCpv: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '1234567',
    '123456789',
    '12345678-',
    '12345678-12',
    '1234567-8',
    'abcdefgh',
    '12345678 ',
    ' 12345678',
    '12345678\n',
    '85311000–2',
    '８５３１１０００',
    '8531100O',
    '85311000-x',
    '85311000_2'
  ),
  anyString.filter((s) => !CPV.test(s))
)

/** One way to break a profile in exactly one field, and the JSON pointer of that field. */
type Mutation =
  | { op: 'set'; path: readonly (string | number)[]; value: unknown; how: string }
  | { op: 'delete'; path: readonly string[]; how: string }
  | { op: 'unknownKey'; at: readonly string[]; key: string; value: unknown; how: string }
  | { op: 'cpvItem'; index: number; value: string; how: string }
  | { op: 'enumItem'; array: 'categories' | 'priorities'; index: number; value: unknown; how: string }
  | { op: 'duplicate'; array: 'cpvCodes' | 'categories' | 'priorities'; index: number; how: string }
  | { op: 'tooMany'; array: 'cpvCodes' | 'categories' | 'priorities'; extra: number; how: string }
  | { op: 'empty'; array: 'cpvCodes' | 'categories'; how: string }

const chooseField = (fields: readonly Field[]) => fc.constantFrom(...fields)

const unknownKey = (known: readonly string[]): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.constantFrom(
        'valu',
        'estimatedvalue',
        'Contract',
        'type ',
        'TYPE',
        '',
        ' ',
        'a/b',
        'a~b',
        '~1',
        '~0/',
        '$ref',
        'toString',
        'hasOwnProperty',
        'prototype',
        'profiles',
        '0',
        'reference\u0000',
        'naïve',
        '😀'
      ),
      anyString
    )
    .filter((k) => !known.includes(k) && k !== '__proto__' && k !== 'constructor')

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // wrong type
  chooseField(FIELDS).chain((f) =>
    wrongTypeFor(f).map((value): Mutation => ({ op: 'set', path: f.path, value, how: `wrong type at ${pointerOf(f.path)}` }))
  ),
  // out-of-range number
  chooseField(fieldsOf('number', 'integer')).chain((f) =>
    outOfRange(f).map((value): Mutation => ({ op: 'set', path: f.path, value, how: `out of range at ${pointerOf(f.path)}` }))
  ),
  // bad enum string
  chooseField(fieldsOf('enum')).chain((f) =>
    badEnumString(f.values ?? []).map((value): Mutation => ({ op: 'set', path: f.path, value, how: `bad enum at ${pointerOf(f.path)}` }))
  ),
  // bad date, or a real date before the thresholds on record (the engine refuses it)
  fc
    .oneof(badDate, startDateTooEarly)
    .map((value): Mutation => ({ op: 'set', path: ['constraints', 'startDate'], value, how: 'bad startDate' })),
  // string length
  fc
    .tuple(fc.constantFrom(...fieldsOf('string')), fc.constantFrom('', 'x', '😀', 'é'), fc.boolean())
    .map(([f, unit, tooLong]): Mutation => ({
      op: 'set',
      path: f.path,
      value: tooLong ? (unit === '' ? 'x' : unit).repeat((f.maxLength ?? 0) + 1) : '',
      how: `bad length at ${pointerOf(f.path)}`
    })),
  // a required field missing
  fc
    .constantFrom<readonly string[]>(['contract'], ['contract', 'type'], ['contract', 'estimatedValue'])
    .map((path): Mutation => ({ op: 'delete', path, how: `missing ${pointerOf(path)}` })),
  // an unknown key at some depth
  fc
    .constantFrom(...OBJECTS)
    .chain((o) =>
      fc
        .tuple(unknownKey(o.known), safeJson)
        .map(([key, value]): Mutation => ({ op: 'unknownKey', at: o.path, key, value, how: 'unknown key' }))
    ),
  // a bad CPV code
  fc.tuple(fc.nat(), badCpv).map(([index, value]): Mutation => ({ op: 'cpvItem', index, value, how: 'bad CPV code' })),
  // a bad category / priority item
  fc
    .tuple(
      fc.constantFrom('categories' as const, 'priorities' as const),
      fc.nat(),
      fc.oneof(badEnumString([...CATEGORIES, ...PRIORITIES]), notString)
    )
    .map(([array, index, value]): Mutation => ({ op: 'enumItem', array, index, value, how: `bad ${array} item` })),
  // duplicate items
  fc
    .tuple(fc.constantFrom('cpvCodes' as const, 'categories' as const, 'priorities' as const), fc.nat())
    .map(([array, index]): Mutation => ({ op: 'duplicate', array, index, how: `duplicate in ${array}` })),
  // too many items, or none where at least one is required
  fc
    .tuple(fc.constantFrom('cpvCodes' as const, 'categories' as const, 'priorities' as const), fc.integer({ min: 1, max: 30 }))
    .map(([array, extra]): Mutation => ({ op: 'tooMany', array, extra, how: `too many ${array}` })),
  fc.constantFrom('cpvCodes' as const, 'categories' as const).map((array): Mutation => ({ op: 'empty', array, how: `empty ${array}` }))
)

const ARRAY_PATH = { cpvCodes: ['contract', 'cpvCodes'], categories: ['contract', 'categories'], priorities: ['priorities'] } as const
const ARRAY_FILL = {
  cpvCodes: REAL_CPV_CODES as readonly string[],
  categories: CATEGORIES as readonly string[],
  priorities: PRIORITIES as readonly string[]
}
const ARRAY_MAX = { cpvCodes: 50, categories: 8, priorities: 8 }

/** The object at `path`, created (as {}) where it is absent. */
function objectAt(root: Obj, path: readonly (string | number)[]): Obj {
  let node = root
  for (const segment of path) {
    const key = String(segment)
    const next = node[key]
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {}
    node = node[key] as Obj
  }
  return node
}

export function setAt(root: Obj, path: readonly (string | number)[], value: unknown): void {
  const parent = objectAt(root, path.slice(0, -1))
  // defineProperty: a key such as "toString" must be an own, enumerable data property.
  Object.defineProperty(parent, String(path[path.length - 1]), { value, enumerable: true, writable: true, configurable: true })
}

function arrayAt(root: Obj, array: keyof typeof ARRAY_PATH): string[] {
  const path = ARRAY_PATH[array]
  const parent = objectAt(root, path.slice(0, -1))
  const key = path[path.length - 1]!
  const current = parent[key]
  if (!Array.isArray(current) || current.length === 0) parent[key] = [ARRAY_FILL[array][0]!]
  return parent[key] as string[]
}

interface Broken {
  profile: Obj
  pointer: string
  how: string
}

function applyMutation(valid: ProcurementProfile, m: Mutation): Broken {
  const p = structuredClone(valid) as unknown as Obj
  switch (m.op) {
    case 'set':
      setAt(p, m.path, m.value)
      return { profile: p, pointer: pointerOf(m.path), how: m.how }
    case 'delete': {
      const parent = objectAt(p, m.path.slice(0, -1))
      delete parent[m.path[m.path.length - 1]!]
      return { profile: p, pointer: pointerOf(m.path), how: m.how }
    }
    case 'unknownKey': {
      setAt(p, [...m.at, m.key], m.value)
      return { profile: p, pointer: pointerOf([...m.at, m.key]), how: m.how }
    }
    case 'cpvItem': {
      const items = arrayAt(p, 'cpvCodes')
      const index = m.index % items.length
      items[index] = m.value
      return { profile: p, pointer: pointerOf([...ARRAY_PATH.cpvCodes, index]), how: m.how }
    }
    case 'enumItem': {
      const items = arrayAt(p, m.array) as unknown[]
      const index = m.index % items.length
      items[index] = m.value
      return { profile: p, pointer: pointerOf([...ARRAY_PATH[m.array], index]), how: m.how }
    }
    case 'duplicate': {
      const items = arrayAt(p, m.array)
      const at = m.index % items.length
      items.splice(at, 0, items[at]!)
      return { profile: p, pointer: pointerOf(ARRAY_PATH[m.array]), how: m.how }
    }
    case 'tooMany': {
      const items = arrayAt(p, m.array)
      const max = ARRAY_MAX[m.array]
      // cpvCodes: distinct valid codes; categories/priorities have only 8 values, so the extra repeat.
      const more = Array.from({ length: max + m.extra - items.length }, (_, i) =>
        m.array === 'cpvCodes' ? String(10_000_000 + i * 7919).padStart(8, '0') : ARRAY_FILL[m.array][i % 8]!
      )
      items.push(...more)
      return { profile: p, pointer: pointerOf(ARRAY_PATH[m.array]), how: m.how }
    }
    case 'empty': {
      objectAt(p, ['contract'])[m.array] = []
      return { profile: p, pointer: pointerOf(ARRAY_PATH[m.array]), how: m.how }
    }
  }
}

export const brokenProfile: fc.Arbitrary<Broken> = fc.tuple(validProfile, mutation).map(([p, m]) => applyMutation(p, m))

/** Random JSON: fast-check's jsonValue and anything, kept to what JSON.stringify can write. */
export const randomJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .anything({ maxDepth: 4, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withObjectString: true })
    .map((v) => {
      try {
        return JSON.stringify(v)
      } catch {
        return undefined
      }
    })
    .filter((s): s is string => typeof s === 'string')
)

export type BatchItem =
  { kind: 'valid'; value: unknown } | { kind: 'broken'; value: unknown; pointer: string } | { kind: 'junk'; value: unknown }
export const batchItem: fc.Arbitrary<BatchItem> = fc.oneof(
  { weight: 3, arbitrary: validProfile.map((value): BatchItem => ({ kind: 'valid', value })) },
  { weight: 3, arbitrary: brokenProfile.map((b): BatchItem => ({ kind: 'broken', value: b.profile, pointer: b.pointer })) },
  { weight: 1, arbitrary: safeJson.map((value): BatchItem => ({ kind: 'junk', value })) }
)

/** Every place a value can go: each field, an array item, an unknown key's value or name. */
export type Slot =
  | { at: 'field'; path: readonly string[] }
  | { at: 'item'; array: keyof typeof ARRAY_PATH; index: number }
  | { at: 'unknownValue'; obj: readonly string[] }
  | { at: 'unknownName'; obj: readonly string[] }
export const slot: fc.Arbitrary<Slot> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS).map((f): Slot => ({ at: 'field', path: f.path })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('cpvCodes' as const, 'categories' as const, 'priorities' as const), fc.nat())
      .map(([array, index]): Slot => ({ at: 'item', array, index }))
  },
  { weight: 1, arbitrary: fc.constantFrom(...OBJECTS).map((o): Slot => ({ at: 'unknownValue', obj: o.path })) },
  { weight: 1, arbitrary: fc.constantFrom(...OBJECTS).map((o): Slot => ({ at: 'unknownName', obj: o.path })) }
)

export const MARK = '@@FUZZ-RAW@@'
/** The profile as JSON text with `raw` (literal JSON text) in the slot. */
export function withRaw(profile: ProcurementProfile, s: Slot, raw: string): string {
  const p = structuredClone(profile) as unknown as Obj
  switch (s.at) {
    case 'field':
      setAt(p, s.path, MARK)
      break
    case 'item': {
      const items = arrayAt(p, s.array)
      items[s.index % items.length] = MARK
      break
    }
    case 'unknownValue':
      setAt(p, [...s.obj, 'fuzzExtra'], MARK)
      break
    case 'unknownName':
      setAt(p, [...s.obj, MARK], 1)
      break
  }
  return JSON.stringify(p).replace(`"${MARK}"`, () => raw)
}

export const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('x', '8', '😀', '\u0000', '\\', '"', 'é', '\ud800', '85311000-2', '2026-01-01', 'services'),
      fc.string({ minLength: 1, maxLength: 8, unit: 'binary' })
    ),
    fc.integer({ min: 1_000, max: 100_000 })
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n))

/** Literal JSON numbers, including ones no JS number writes: -0, subnormals, past MAX_VALUE. */
export const oddNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '-1e308',
    '1.7976931348623157e308',
    '1e309',
    '-1e400',
    '-0',
    '-0.0',
    '0e0',
    '0.0',
    '1e-320',
    '5e-324',
    '-5e-324',
    '9007199254740993',
    '9007199254740991',
    '-9007199254740993',
    '123456789012345678901234567890',
    '1.0',
    '600.0',
    '600.0000000000001',
    '1e2',
    '100000000000.00000001',
    '99999999999.999999999',
    '0.1e1',
    '1E+2',
    '36.000000000000000000000001'
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.integer().map((n) => String(n))
)

/** Texts that are not JSON (or not one JSON value), near misses of a profile among them. */
const NON_JSON = [
  '',
  ' ',
  '\n',
  '{',
  '}',
  '[',
  '{"contract":',
  '{"contract":{"type":"goods","estimatedValue":1}',
  '{"contract":{"type":"goods","estimatedValue":1}}}',
  '{"contract":{"type":"goods","estimatedValue":1},}',
  "{'contract':{'type':'goods','estimatedValue':1}}",
  '{contract:{type:"goods",estimatedValue:1}}',
  '{"contract":{"type":"goods","estimatedValue":NaN}}',
  '{"contract":{"type":"goods","estimatedValue":Infinity}}',
  '{"contract":{"type":"goods","estimatedValue":0x10}}',
  '{"contract":{"type":"goods","estimatedValue":01}}',
  '{"contract":{"type":"goods","estimatedValue":.5}}',
  '{"contract":{"type":"goods","estimatedValue":+1}}',
  '{"contract":{"type":"goods","estimatedValue":1}} // comment',
  '/* c */{"contract":{"type":"goods","estimatedValue":1}}',
  '{"contract":{"type":"goo\u0000ds","estimatedValue":1}}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  'undefined',
  'NaN',
  'null null',
  '[1,]',
  '\u0000',
  '<xml/>',
  'contract=1',
  '{"contract":{"type":"goods","estimatedValue":1}}\u0000'
]

/** Prototype-poisoning members (as raw JSON text, escaped spellings included) to put in any object. */
export const POISONS = [
  '"__proto__":{"polluted":"yes"}',
  '"__proto__":null',
  '"__proto__":[]',
  '"__proto__":1',
  '"constructor":{"prototype":{"polluted":"yes"}}',
  '"\\u005f_proto__":{"polluted":"yes"}',
  '"__proto\\u005f_":{"polluted":"yes"}',
  '"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}',
  '"constructor":{"prototype":null}',
  '"constructor" : { "prototype" : { "polluted" : "yes" } }'
]

/** An unknown key for one of the profile's objects: [the object's path, the key, its value]. */
export const unknownKeyAnywhere = fc.constantFrom(...OBJECTS).chain((o) => fc.tuple(fc.constant(o.path), unknownKey(o.known), safeJson))

/** Text sent as JSON: the near misses above, or any string (UTF-16, binary, graphemes). */
export const nonJsonText = fc.oneof(
  fc.constantFrom(...NON_JSON),
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.string({ maxLength: 200, unit: 'grapheme' })
)
/** Spellings of the JSON media type the server must accept as JSON. */
export const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'application/json;charset=UTF-8'
] as const

/** Arbitrary bytes, invalid UTF-8 inside a string, and a byte-order mark before valid JSON. */
export const oddBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((a) =>
      Buffer.concat([Buffer.from('{"contract":{"type":"goods","estimatedValue":1},"title":"'), Buffer.from(a), Buffer.from('"}')])
    ),
  fc.constant(Buffer.from('\uFEFF{"contract":{"type":"goods","estimatedValue":1}}'))
)
/** Content types the server does not parse as JSON, or parses with an unusual charset. */
export const ODD_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  'application/octet-stream',
  '*/*',
  'application/jsonx'
] as const

export const NEST_SHAPES = ['array', 'object', 'mixed'] as const
export const NEST_PLACES = ['body', 'title', 'contract', 'cpvItem', 'unknownKey', 'batchBody', 'batchProfile'] as const

/**
 * A body with a value nested `depth` levels deep (arrays, objects or both) as raw JSON text, at
 * `place`: the whole body, a profile field, a CPV item, an unknown key, the batch envelope or one
 * profile of a batch. `batch` tells which endpoint the body is for.
 */
export function nestedBody(
  depth: number,
  shape: (typeof NEST_SHAPES)[number],
  place: (typeof NEST_PLACES)[number]
): { batch: boolean; body: string } {
  const open = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2 === 0) ? '[' : '{"a":')
  const close = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2 === 0) ? ']' : '}')
  let deep = ''
  for (let i = 0; i < depth; i++) deep += open(i)
  deep += '1'
  for (let i = depth - 1; i >= 0; i--) deep += close(i)
  const base = '"contract":{"type":"goods","estimatedValue":1000}'
  switch (place) {
    case 'body':
      return { batch: false, body: deep }
    case 'title':
      return { batch: false, body: `{${base},"title":${deep}}` }
    case 'contract':
      return { batch: false, body: `{"contract":${deep}}` }
    case 'cpvItem':
      return { batch: false, body: `{"contract":{"type":"goods","estimatedValue":1000,"cpvCodes":["85311000-2",${deep},${deep}]}}` }
    case 'unknownKey':
      return { batch: false, body: `{${base},"deep":${deep}}` }
    case 'batchBody':
      return { batch: true, body: `{"profiles":${deep}}` }
    case 'batchProfile':
      return { batch: true, body: `{"profiles":[{${base}},${deep}]}` }
  }
}

/** A batch body whose envelope is wrong, and the JSON pointer the 400 must name. */
export const batchEnvelopeError: fc.Arbitrary<{ body: Obj; pointer: string }> = fc.oneof(
  fc.integer({ min: 101, max: 150 }).map((n) => ({
    body: { profiles: Array.from({ length: n }, () => ({ contract: { type: 'goods', estimatedValue: 1 } })) },
    pointer: '/profiles'
  })),
  fc.constant({ body: { profiles: [] }, pointer: '/profiles' }),
  fc.constant({ body: {}, pointer: '/profiles' }),
  notArray.map((profiles) => ({ body: { profiles }, pointer: '/profiles' })),
  unknownKey(['profiles']).map((key) => ({
    body: { profiles: [{ contract: { type: 'goods', estimatedValue: 1 } }], [key]: 1 },
    pointer: `/${esc(key)}`
  }))
)
