// A varied, deterministic set of procurement profiles for the benchmarks (engine and batch).
// Same seed, same profiles: every run measures the same work. The values spread over every
// branch the engine has: goods / services / works, below / near / above threshold, light-touch,
// health-care (PSR) and ordinary CPV codes, several codes (mixed subject-matter), categories only,
// nothing at all, start dates 2023-2027 (PCR 2015 and the Procurement Act 2023), every flag,
// urgency, existing agreements, single-supplier grounds and priorities.
//
//   import { makeProfiles } from './profiles.mjs'
//   const profiles = makeProfiles(60)          // 60 profiles, seed 20261125
//
// Every profile is valid against schemas/profile.ts (only documented fields, in range).

/** mulberry32: a tiny seeded PRNG, so the set is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// CPV codes by kind. `-d` check digits on some, as buyers copy them from Find a Tender.
const CPV = {
  it: ['72212000-4', '72000000-5', '48000000-8', '72222300-0', '72267000-4', '30213000-5'],
  socialCare: ['85311000-2', '85312000-9', '85320000-8', '85310000-5'],
  health: ['85100000-0', '85110000-3', '85121000-3', '85140000-2'],
  education: ['80000000-4', '80500000-9', '80340000-9'],
  works: ['45000000-7', '45210000-2', '45233000-9', '45453000-7'],
  facilities: ['90910000-9', '79710000-4', '77310000-6', '55520000-1'],
  goods: ['30192000-1', '33600000-6', '34144900-7', '39000000-2'],
  professional: ['79411000-8', '71000000-8', '79212000-3', '75231200-6']
}
const CATEGORIES = ['social-care', 'health-care', 'education', 'technology', 'construction', 'professional-services', 'facilities', 'other']
const PRIORITIES = [
  'innovation',
  'speed',
  'value-for-money',
  'social-value',
  'sme-access',
  'risk-reduction',
  'user-involvement',
  'collaboration'
]
const TITLES = [
  'Digital social care referrals platform',
  'Home care framework lot 2',
  'School kitchen refurbishment',
  'Highways resurfacing programme',
  'Libraries self-service kiosks',
  'Community health visiting service',
  'Temporary accommodation management',
  'Parking enforcement back office',
  'Housing repairs and voids',
  'Adult learning courses',
  'Street lighting LED upgrade',
  'Children centre catering'
]
// Values around the thresholds (GBP, VAT inclusive) and far from them.
const VALUES = [
  8000, 25000, 29999, 95000, 139688, 207720, 214904, 250000, 663540, 700000, 850000, 1_500_000, 4_900_000, 5_193_000, 5_400_000, 12_000_000,
  48_000_000
]

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

function sample(r, list, n) {
  const copy = [...list]
  const out = []
  while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0])
  return out
}

function date(r) {
  const year = 2023 + Math.floor(r() * 5) // 2023..2027
  const month = 1 + Math.floor(r() * 12)
  const day = 1 + Math.floor(r() * 28)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** `count` profiles (at least 1), deterministic for a given seed. */
export function makeProfiles(count = 60, seed = 20261125) {
  const r = rng(seed)
  const profiles = []
  for (let i = 0; i < count; i++) {
    const type = pick(r, ['goods', 'services', 'services', 'services', 'works'])
    const kind =
      type === 'works'
        ? 'works'
        : type === 'goods'
          ? pick(r, ['goods', 'it'])
          : pick(r, ['it', 'socialCare', 'health', 'education', 'facilities', 'professional'])
    const jitter = 0.9 + r() * 0.2
    const estimatedValue = Math.round(pick(r, VALUES) * (r() < 0.5 ? 1 : jitter))
    const profile = {
      reference: `BENCH-${String(i).padStart(3, '0')}`,
      title: pick(r, TITLES),
      contract: { type, estimatedValue }
    }
    // Subject-matter: CPV codes (one or several, sometimes mixed), categories only, or neither.
    const subject = r()
    if (subject < 0.7) {
      const codes = [pick(r, CPV[kind])]
      if (r() < 0.35) codes.push(pick(r, CPV[pick(r, Object.keys(CPV))]))
      if (r() < 0.15) codes.push(pick(r, CPV[pick(r, Object.keys(CPV))]))
      const unique = [...new Set(codes.map((c) => (r() < 0.3 ? c.slice(0, 8) : c)))]
      profile.contract.cpvCodes = [...new Map(unique.map((c) => [c.slice(0, 8), c])).values()]
    } else if (subject < 0.9) {
      profile.contract.categories = sample(r, CATEGORIES, 1 + Math.floor(r() * 3))
    }
    if (r() < 0.2 && profile.contract.cpvCodes) profile.contract.categories = sample(r, CATEGORIES, 1 + Math.floor(r() * 2))
    if (r() < 0.7) profile.contract.durationMonths = pick(r, [6, 12, 24, 36, 48, 60, 84, 120])
    if (r() < 0.2) profile.authorityType = 'central'
    else if (r() < 0.5) profile.authorityType = 'sub-central'

    if (r() < 0.8) {
      profile.need = {
        solutionMaturity: pick(r, ['off-the-shelf', 'off-the-shelf', 'needs-adaptation', 'not-on-market']),
        requirementsClarity: pick(r, ['specified', 'specified', 'outcome-known', 'exploratory'])
      }
      if (r() < 0.6) profile.need.researchAndDevelopment = r() < 0.2
    }
    if (r() < 0.75) {
      profile.process = {}
      for (const flag of ['negotiation', 'demonstrations', 'pitchOrPilot', 'coDevelopment']) {
        if (r() < 0.7) profile.process[flag] = r() < 0.4
      }
    }
    // A start date always: a profile without one would depend on today's date.
    profile.constraints = { startDate: date(r) }
    if (r() < 0.7) profile.constraints.weeksToAward = pick(r, [2, 4, 8, 12, 20, 26, 40, 52, 78])
    if (r() < 0.6) profile.constraints.urgency = pick(r, ['standard', 'standard', 'urgent', 'extreme'])
    if (r() < 0.6) profile.constraints.existingAgreement = pick(r, ['none', 'none', 'framework', 'dynamic-market'])
    if (r() < 0.5) profile.constraints.singleSupplier = pick(r, ['none', 'none', 'none', 'technical', 'exclusive-rights', 'artistic'])
    if (r() < 0.6) profile.constraints.teamCapacity = pick(r, ['low', 'medium', 'high'])
    if (r() < 0.8) profile.priorities = sample(r, PRIORITIES, Math.floor(r() * 4))
    profiles.push(profile)
  }
  return profiles
}
