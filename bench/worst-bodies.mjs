// The largest valid profile, and the costliest bodies a client can send within the body limits:
// every array at its largest, items that are all duplicates and all invalid, unknown keys in
// every object, deep nesting. Shared by test/request-limits.e2e.test.ts (the answers are small and
// the event loop stays free) and bench/run.mjs (how long they take). Plain JavaScript, so the
// benchmark can import it without a build.

/** Every non-ASCII UTF-16 unit as a \uXXXX escape, as encoders with ensure_ascii write it. */
export function asciiJson(text) {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const longestFirst = (values) => [...values].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))

/**
 * The largest profile the schema accepts (up to how a number is spelled and whitespace): every
 * string at its maxLength in astral characters (12 bytes each once escaped), every array at its
 * maxItems with the longest values, every optional field present with its longest value.
 */
export function largestValidProfile({ categories, priorities, directAwardGrounds, previousProcedures }) {
  const astral = (n) => '\u{1D538}'.repeat(n)
  return {
    reference: astral(100),
    title: astral(300),
    authorityType: 'sub-central',
    contract: {
      type: 'services',
      estimatedValue: 99999999999.99998,
      cpvCodes: Array.from({ length: 50 }, (_, i) => `${10000000 + i}-${i % 10}`),
      categories: longestFirst(categories),
      durationMonths: 600,
      concession: false,
      utilities: false
    },
    agreement: {
      establishes: 'open-framework',
      otherAuthorities: 1000,
      centralisedProcurement: false,
      suppliers: 'several',
      termMonths: 600,
      longerTermJustified: false
    },
    need: { solutionMaturity: 'needs-adaptation', requirementsClarity: 'outcome-known', researchAndDevelopment: false },
    process: { negotiation: false, demonstrations: false, pitchOrPilot: false, coDevelopment: false },
    constraints: {
      startDate: '2026-12-01',
      weeksToAward: 520,
      urgency: 'standard',
      existingAgreement: 'dynamic-market',
      singleSupplier: 'exclusive-rights',
      teamCapacity: 'medium',
      directAwardGrounds: longestFirst(directAwardGrounds),
      previousCompetition: {
        procedure: longestFirst(previousProcedures)[0],
        suitableTenders: false,
        competitiveAwardPossible: false,
        conditionsSubstantiallyAltered: false
      }
    },
    healthCare: {
      existingProvider: false,
      onlyExistingProviderCapable: false,
      patientChoice: false,
      existingContractExpiring: false,
      existingProviderSatisfactory: false,
      existingContractValue: 99999999999.99998,
      materiallyDifferent: false,
      valueChangeFromExternalFactors: false,
      mostSuitableProviderIdentifiable: false,
      delayRisksSafety: false
    },
    priorities: longestFirst(priorities)
  }
}

/** A batch of 100 largest valid profiles as a client may write it: 2-space indentation, ASCII only. */
export function largestValidBatch(lists) {
  return asciiJson(JSON.stringify({ profiles: Array(100).fill(largestValidProfile(lists)) }, null, 2))
}

/** The most copies of `item` that fit, comma-separated, in `budget` bytes. */
function fill(item, budget) {
  const n = Math.max(0, Math.floor((budget + 1) / (item.length + 1)))
  return Array(n).fill(item).join(',')
}

/** An object's worth of unknown keys "k0":0,"k1":0,... in `budget` bytes (no leading comma). */
function unknownKeys(budget, prefix = 'k') {
  const out = []
  let used = 0
  for (let i = 0; ; i++) {
    const entry = `"${prefix}${i}":0`
    if (used + entry.length + 1 > budget) break
    out.push(entry)
    used += entry.length + 1
  }
  return out.join(',')
}

/**
 * The worst bodies for POST /v1/recommendations (within `bodyLimit`) and for the batch (within
 * `batchBodyLimit`), as { name, path, body } with the body a string of at most the limit.
 */
export function worstBodies({ bodyLimit, batchBodyLimit }) {
  const bodies = []
  const contract = '"contract":{"type":"services","estimatedValue":1}'
  const asProfile = (inner) => `{${contract},${inner}}`
  const asContract = (inner) => `{"contract":{"type":"services","estimatedValue":1,${inner}}}`
  const asConstraints = (inner) => `{${contract},"constraints":{${inner}}}`
  // Each maker writes one profile whose filler takes `budget` bytes (none when budget is 0).
  const arrayOf = (field, item, wrap) => (budget) => wrap(`"${field}":[${fill(item, budget)}]`)
  const makers = [
    ['priorities: numbers, each a duplicate and invalid', arrayOf('priorities', '1', asProfile)],
    ['priorities: one valid value repeated', arrayOf('priorities', '"speed"', asProfile)],
    ['categories: one valid value repeated', arrayOf('categories', '"other"', asContract)],
    ['cpvCodes: one invalid code repeated', arrayOf('cpvCodes', '"x"', asContract)],
    ['directAwardGrounds: one invalid ground repeated', arrayOf('directAwardGrounds', '"x"', asConstraints)],
    ['unknown keys inside healthCare', (budget) => `{${contract},"healthCare":{${unknownKeys(budget) || '"k":0'}}}`],
    ['unknown keys at the top level', (budget) => `{${contract},${unknownKeys(budget) || '"k":0'}}`],
    ['unknown keys inside contract', (budget) => asContract(unknownKeys(budget) || '"k":0')],
    [
      'a deeply nested value',
      (budget) =>
        asContract(`"durationMonths":${'['.repeat(Math.max(1, Math.floor(budget / 2)))}${']'.repeat(Math.max(1, Math.floor(budget / 2)))}`)
    ]
  ]
  const kinds = [
    ['single', '/v1/recommendations', bodyLimit, (profile) => profile],
    ['batch', '/v1/recommendations/batch', batchBodyLimit, (profile) => `{"profiles":[${profile}]}`]
  ]
  for (const [kind, path, limit, wrap] of kinds) {
    for (const [name, make] of makers) {
      const frame = wrap(make(0)).length
      bodies.push({ name: `${kind}: ${name}`, path, body: wrap(make(limit - frame)) })
    }
  }

  // 100 profiles, each with every array at its largest, every item invalid and a duplicate, and
  // unknown keys in every object, sharing the batch budget.
  const per = Math.floor((batchBodyLimit - '{"profiles":[]}'.length) / 100) - 1
  const profileFrame = (extra) =>
    `{"contract":{"type":"services","estimatedValue":1,"cpvCodes":[${Array(50).fill('"x"').join(',')}],"categories":[${Array(8).fill('7').join(',')}]${extra.contract}},"need":{${extra.need}},"process":{${extra.process}},"constraints":{${extra.constraints}},"priorities":[${Array(8).fill('{}').join(',')}]${extra.top}}`
  const empty = { contract: '', need: '', process: '', constraints: '', top: '' }
  const share = Math.floor((per - profileFrame(empty).length) / 5) - 2
  const keys = (p) => unknownKeys(share, p)
  const profile = profileFrame({
    contract: `,${keys('c')}`,
    need: keys('n'),
    process: keys('p'),
    constraints: keys('s'),
    top: `,${keys('t')}`
  })
  bodies.push({
    name: 'batch: 100 profiles, every array full of invalid duplicates, unknown keys in every object',
    path: '/v1/recommendations/batch',
    body: `{"profiles":[${Array(100).fill(profile).join(',')}]}`
  })
  return bodies
}
