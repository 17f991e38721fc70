// fast-check arbitraries for the wire contract, shared by the engine property tests and the HTTP
// fuzz tests. `validProfile` only ever produces profiles that ProcurementProfileSchema accepts
// (test/engine-properties.test.ts checks that on every run, so it cannot drift from the schema).
import fc from 'fast-check'
import { DIRECT_AWARD_GROUND_IDS, NOT_SINGLE_LINE } from '../../schemas/common.js'
import { CATEGORIES, PREVIOUS_PROCEDURES, PRIORITIES, type ProcurementProfile } from '../../schemas/profile.js'

/** Real CPV codes (with check digit) that hit the interesting classifications. */
export const REAL_CPV_CODES = [
  '85311000-2', // social work services: light touch
  '85100000-0', // health services: light touch and PSR health care
  '72212000-4', // software programming
  '48000000-8', // software packages
  '80000000-4', // education: light touch
  '45000000-7', // construction work
  '79400000-8', // business and management consultancy
  '73000000-2', // research and development
  '85323000-9', // community health services: light touch and PSR health care
  '55520000-1' // catering: light touch
] as const

/** Values at or next to the threshold amounts on record, and other edges. */
export const EDGE_VALUES = [
  0, 0.01, 1, 9999.99, 10000, 12000, 25000, 29999.99, 30000, 135018, 138760, 139688, 139687.99, 207719.99, 207720, 213477, 214903.99,
  214904, 663539.99, 663540, 5192999.99, 5193000, 5336937, 5372609, 99999999999.99, 100000000000
] as const
const THRESHOLD_AMOUNTS = [12000, 30000, 135018, 138760, 139688, 207720, 213477, 214904, 663540, 5193000, 5336937, 5372609] as const

/** Start dates where something changes (thresholds, PSR, the Act). */
export const EDGE_DATES = [
  '2022-01-01',
  '2022-12-20',
  '2022-12-21',
  '2023-12-31',
  '2024-01-01',
  '2025-02-23',
  '2025-02-24',
  '2025-12-31',
  '2026-01-01',
  '2028-02-29',
  '2030-12-31'
] as const

const DAY = 86_400_000

/** A calendar date YYYY-MM-DD between min and max (inclusive). */
export function isoDate(min: string, max: string): fc.Arbitrary<string> {
  const lo = Date.parse(`${min}T00:00:00Z`) / DAY
  const hi = Date.parse(`${max}T00:00:00Z`) / DAY
  return fc.integer({ min: lo, max: hi }).map((d) => new Date(d * DAY).toISOString().slice(0, 10))
}

/** A start date the catalogue covers: 2022-01-01 to 2030-12-31, biased to the edges. */
export const startDate: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: isoDate('2022-01-01', '2030-12-31') },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) }
)

/** A start date before the thresholds on record begin. */
export const startDateTooEarly: fc.Arbitrary<string> = fc.oneof(
  isoDate('1900-01-01', '2021-12-31'),
  fc.constantFrom('2021-12-31', '2021-01-01', '2000-02-29')
)

/** An instant for `now` within 2022..2030 (any time of day). */
export const nowInRange: fc.Arbitrary<Date> = fc.date({
  min: new Date('2022-01-01T00:00:00.000Z'),
  max: new Date('2030-12-31T23:59:59.999Z'),
  noInvalidDate: true
})

/** GBP incl. VAT, 0..100 000 000 000, biased to realistic amounts and threshold edges. */
export const estimatedValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.double({ min: 0, max: 100_000_000_000, noNaN: true, noDefaultInfinity: true }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000_000 }).map((pence) => pence / 100) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...THRESHOLD_AMOUNTS), fc.integer({ min: -500, max: 500 }))
      .map(([amount, pence]) => Math.max(0, amount + pence / 100))
  }
)

const digits8 = fc.integer({ min: 0, max: 99_999_999 }).map((n) => String(n).padStart(8, '0'))
/** A CPV code: a real one (with or without its check digit) or random 8 digits, optionally with a check digit. */
export const cpvCode: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REAL_CPV_CODES) },
  { weight: 1, arbitrary: fc.constantFrom(...REAL_CPV_CODES).map((c) => c.slice(0, 8)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(digits8, fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }))
      .map(([d, check]) => (check === undefined ? d : `${d}-${check}`))
  }
)

// What a one-line text field refuses (schemas/common.ts NOT_SINGLE_LINE): control characters,
// line and paragraph separators, unpaired surrogates. Each becomes one printable character, so
// lengths stay as generated.
const NOT_ONE_LINE = new RegExp(`[${NOT_SINGLE_LINE}]`, 'gu')
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength }),
      fc.string({ minLength: 1, maxLength, unit: 'binary' }),
      fc.string({ minLength: 1, maxLength, unit: 'grapheme-composite' }).filter((s) => [...s].length <= maxLength)
    )
    .map((s) => s.replace(NOT_ONE_LINE, '\u00b7'))

const contract = fc.record(
  {
    type: fc.constantFrom('goods', 'services', 'works'),
    estimatedValue,
    cpvCodes: fc.uniqueArray(cpvCode, { minLength: 1, maxLength: 50 }),
    categories: fc.shuffledSubarray([...CATEGORIES], { minLength: 1, maxLength: 8 }),
    durationMonths: fc.integer({ min: 1, max: 600 })
  },
  { requiredKeys: ['type', 'estimatedValue'], noNullPrototype: true }
)

const need = fc.record(
  {
    solutionMaturity: fc.constantFrom('off-the-shelf', 'needs-adaptation', 'not-on-market'),
    requirementsClarity: fc.constantFrom('specified', 'outcome-known', 'exploratory'),
    researchAndDevelopment: fc.boolean(),
    complexOrRisky: fc.boolean()
  },
  { requiredKeys: [], noNullPrototype: true }
)

const processWanted = fc.record(
  { negotiation: fc.boolean(), demonstrations: fc.boolean(), pitchOrPilot: fc.boolean(), coDevelopment: fc.boolean() },
  { requiredKeys: [], noNullPrototype: true }
)

const previousCompetition = fc.record(
  {
    procedure: fc.constantFrom(...PREVIOUS_PROCEDURES),
    suitableTenders: fc.boolean(),
    competitiveAwardPossible: fc.boolean(),
    conditionsSubstantiallyAltered: fc.boolean()
  },
  { requiredKeys: ['procedure', 'suitableTenders'], noNullPrototype: true }
)

/** Provider Selection Regime facts: biased to true, so that every process is reached often. */
const likely = fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
export const healthCareFacts = fc.record(
  {
    existingProvider: likely,
    onlyExistingProviderCapable: fc.boolean(),
    patientChoice: fc.boolean(),
    existingContractExpiring: likely,
    existingProviderSatisfactory: likely,
    existingContractValue: estimatedValue,
    materiallyDifferent: fc.boolean(),
    valueChangeFromExternalFactors: fc.boolean(),
    mostSuitableProviderIdentifiable: fc.boolean(),
    delayRisksSafety: fc.boolean()
  },
  { requiredKeys: [], noNullPrototype: true }
)

/** Constraints; `date` decides the startDate values (absent at random like every optional field). */
const constraintsWith = (date: fc.Arbitrary<string>) =>
  fc.record(
    {
      startDate: date,
      weeksToAward: fc.integer({ min: 1, max: 520 }),
      urgency: fc.constantFrom('standard', 'urgent', 'extreme'),
      existingAgreement: fc.constantFrom('none', 'framework', 'dynamic-market'),
      singleSupplier: fc.constantFrom('none', 'technical', 'exclusive-rights', 'artistic'),
      teamCapacity: fc.constantFrom('low', 'medium', 'high'),
      directAwardGrounds: fc.uniqueArray(fc.constantFrom(...DIRECT_AWARD_GROUND_IDS), {
        minLength: 1,
        maxLength: DIRECT_AWARD_GROUND_IDS.length
      }),
      previousCompetition
    },
    { requiredKeys: [], noNullPrototype: true }
  )

const profileWith = (date: fc.Arbitrary<string>): fc.Arbitrary<ProcurementProfile> =>
  fc.record(
    {
      reference: text(100),
      title: text(300),
      authorityType: fc.constantFrom('sub-central', 'central'),
      contract,
      need,
      process: processWanted,
      constraints: constraintsWith(date),
      healthCare: healthCareFacts,
      priorities: fc.shuffledSubarray([...PRIORITIES], { minLength: 0, maxLength: 8 })
    },
    { requiredKeys: ['contract'], noNullPrototype: true }
  ) as fc.Arbitrary<ProcurementProfile>

/** Any valid procurement profile whose startDate (when given) is 2022-01-01..2030-12-31. */
export const validProfile: fc.Arbitrary<ProcurementProfile> = profileWith(startDate)

/** A valid profile that always carries an explicit startDate in range. */
export const validProfileWithStartDate: fc.Arbitrary<ProcurementProfile> = fc
  .tuple(validProfile, startDate)
  .map(([p, date]) => ({ ...p, constraints: { ...p.constraints, startDate: date } }))

/** A schema-valid profile whose startDate is before the thresholds on record (the engine must refuse it). */
export const profileStartingTooEarly: fc.Arbitrary<ProcurementProfile> = fc
  .tuple(validProfile, startDateTooEarly)
  .map(([p, date]) => ({ ...p, constraints: { ...p.constraints, startDate: date } }))

/** profile.agreement: what the procurement sets up (any valid combination). */
export const agreement = fc.record(
  {
    establishes: fc.constantFrom('framework', 'open-framework', 'dynamic-market'),
    otherAuthorities: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 })),
    centralisedProcurement: fc.boolean(),
    suppliers: fc.constantFrom('one', 'several'),
    termMonths: fc.oneof(fc.constantFrom(47, 48, 49, 95, 96, 97), fc.integer({ min: 1, max: 600 })),
    longerTermJustified: fc.boolean()
  },
  { requiredKeys: ['establishes'], noNullPrototype: true }
)

/**
 * A valid profile with the inputs of issue 14 at random: an agreement being set up, a concession,
 * a utilities contract (each absent, false or true), and an explicit startDate in range.
 */
export const validProfileWithArrangements: fc.Arbitrary<ProcurementProfile> = fc
  .tuple(
    validProfileWithStartDate,
    fc.option(agreement, { nil: undefined }),
    fc.option(fc.boolean(), { nil: undefined }),
    fc.option(fc.boolean(), { nil: undefined })
  )
  .map(([p, a, concession, utilities]) => {
    const contract = { ...p.contract }
    if (concession !== undefined) contract.concession = concession
    if (utilities !== undefined) contract.utilities = utilities
    return (a === undefined ? { ...p, contract } : { ...p, contract, agreement: a }) as ProcurementProfile
  })
