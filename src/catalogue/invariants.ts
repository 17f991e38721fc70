// The checks a schema cannot express, run once at start on the files read.ts has parsed: within a
// file (unique ids, ordered ranges, thresholds that do not overlap, a RACI with one A, the CPV 2008
// codes in order, each under its division, and their shape, which the schema leaves to a loop for
// speed) and across files (a procedure's RACI template, the CPV lists the regimes name, a base
// score for every procedure, a message for every warning code of the contract, the direct award
// ground ids and the PSR processes). The first fault throws a CatalogueError naming the file and
// the JSON pointer of the fault.
import type { Type } from 'typebox'
import { DIRECT_AWARD_GROUND_IDS, PROCEDURE_IDS, PSR_PROCESS_IDS, REGIME_IDS, WARNING_CODES } from '../../schemas/common.js'
import { AGREEMENT_KINDS } from '../../schemas/profile.js'
import { fail } from './error.js'
import { FILES, procedureFile, type CatalogueFiles } from './read.js'
import { RESERVED_RULE_IDS, type ConditionSchema, type LeafConditionSchema } from './schema.js'

type Condition = Type.Static<typeof ConditionSchema>
type Leaf = Type.Static<typeof LeafConditionSchema>

/** The leaves of a condition, with the JSON pointer of each below `pointer`. */
function leavesOf(c: Condition, pointer: string): [Leaf, string][] {
  if ('all' in c) return c.all.map((leaf, i) => [leaf, `${pointer}/all/${i}`])
  if ('any' in c) {
    return c.any.flatMap((part, i) =>
      'all' in part ? part.all.map((leaf, j): [Leaf, string] => [leaf, `${pointer}/any/${i}/all/${j}`]) : [[part, `${pointer}/any/${i}`]]
    )
  }
  return [[c, pointer]]
}

/** Each value a condition compares `fact` with, and the JSON pointer of that value. */
function valuesOf(c: Condition | undefined, pointer: string, fact: Leaf['fact']): [unknown, string][] {
  if (!c) return []
  return leavesOf(c, pointer)
    .filter(([leaf]) => leaf.fact === fact)
    .flatMap(([leaf, at]) => (Array.isArray(leaf.value) ? leaf.value : [leaf.value]).map((v): [unknown, string] => [v, `${at}/value`]))
}

/**
 * Fails on the second use of an id in one list (a ground's conditions and duties, a process's
 * routes, ...), unless the two are for different regimes: an id names one reason under each regime.
 */
function uniqueIds(file: string, items: { id: string; pointer: string; regimes?: readonly string[] }[], what: string): void {
  items.forEach((item, i) => {
    const clash = items
      .slice(0, i)
      .some((other) => other.id === item.id && (!other.regimes || !item.regimes || other.regimes.some((r) => item.regimes!.includes(r))))
    if (clash) fail(file, item.pointer, `duplicate ${what} id "${item.id}"`)
  })
}

export function checkInvariants(files: CatalogueFiles): void {
  // Order kept from the single loader: of several faults, the same one is reported.
  checkRegimes(files)
  checkCpvLists(files)
  checkCpv2008(files)
  checkSelection(files)
  checkRaci(files)
  checkProcedures(files)
  checkThresholds(files)
  checkRules(files)
  checkWarnings(files)
  checkPsrProcesses(files)
  checkAgreements(files)
}

function checkRegimes({ regimes }: CatalogueFiles): void {
  const ids = new Set(regimes.regimes.map((r) => r.id))
  for (const id of REGIME_IDS) if (!ids.has(id)) fail(FILES.regimes[0], '/regimes', `regime "${id}" is missing`)
}

function checkCpvLists({ cpvLists }: CatalogueFiles): void {
  const file = FILES.cpvLists[0]
  const ids = new Set<string>()
  cpvLists.lists.forEach((list, i) => {
    if (ids.has(list.id)) fail(file, `/lists/${i}/id`, `duplicate list id "${list.id}"`)
    ids.add(list.id)
    list.entries.forEach((e, j) => {
      if (Number(e.from) > Number(e.to)) fail(file, `/lists/${i}/entries/${j}`, '"from" is after "to"')
    })
  })
}

const CPV_CODE = /^\d{8}$/
const CHECK_DIGIT = /^\d$/

/**
 * Each code of cpv-2008.json a [8 digits, check digit, label] tuple (the shape its schema leaves to
 * this loop, for speed), in ascending order without repeats (the index relies on it), and under a
 * listed division (so every code's parent chain ends at one).
 */
function checkCpv2008({ cpv2008 }: CatalogueFiles): void {
  const file = FILES.cpv2008[0]
  const codes: readonly unknown[] = cpv2008.codes
  if (codes.length === 0) fail(file, '/codes', 'is empty')
  // A plain loop: it runs at every start over 9,454 codes, mostly before the JIT has warmed up.
  let previous = ''
  let division = ''
  for (let i = 0; i < codes.length; i++) {
    const t = codes[i]
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string' || typeof t[1] !== 'string' || typeof t[2] !== 'string') {
      fail(file, `/codes/${i}`, 'must be [code, check digit, label], three strings')
    }
    const [code, checkDigit, label] = t as [string, string, string]
    if (!CPV_CODE.test(code)) fail(file, `/codes/${i}/0`, 'must be 8 digits')
    if (!CHECK_DIGIT.test(checkDigit)) fail(file, `/codes/${i}/1`, 'must be one digit')
    if (label.trim() === '') fail(file, `/codes/${i}/2`, 'must not be empty')
    if (code <= previous) {
      fail(file, `/codes/${i}/0`, `${code} ${code === previous ? 'is repeated' : `is out of order (after ${previous})`}`)
    }
    previous = code
    // In code order, a division comes first of the codes that share its two digits.
    if (code.endsWith('000000')) division = code
    else if (code.slice(0, 2) !== division.slice(0, 2)) {
      fail(file, `/codes/${i}/0`, `${code} has no division ${code.slice(0, 2)}000000 listed`)
    }
  }
}

/** The CPV lists that decide the regime and light touch exist. */
function checkSelection({ regimes, cpvLists }: CatalogueFiles): void {
  const ids = new Set(cpvLists.lists.map((l) => l.id))
  const sel = regimes.selection
  for (const [pointer, id] of [
    ['/selection/psrCpvList', sel.psrCpvList],
    ['/selection/lightTouchCpvLists/pcr2015', sel.lightTouchCpvLists.pcr2015],
    ['/selection/lightTouchCpvLists/pa2023', sel.lightTouchCpvLists.pa2023]
  ] as const) {
    if (!ids.has(id)) fail(FILES.regimes[0], pointer, `no CPV list "${id}" in ${FILES.cpvLists[0]}`)
  }
}

function checkAssignments(pointer: string, assignments: Record<string, string>, roles: Set<string>): void {
  const file = FILES.raci[0]
  const values = Object.entries(assignments)
  for (const [role] of values) if (!roles.has(role)) fail(file, `${pointer}/assignments/${role}`, `unknown role "${role}"`)
  const accountable = values.filter(([, v]) => v === 'A').length
  if (accountable !== 1) fail(file, `${pointer}/assignments`, `must have exactly one A (has ${accountable})`)
  if (!values.some(([, v]) => v === 'R')) fail(file, `${pointer}/assignments`, 'must have at least one R')
}

/** Every activity has one A and an R; every template carries the guidance's split for choosing the procedure. */
function checkRaci({ raci }: CatalogueFiles): void {
  const file = FILES.raci[0]
  const roles = new Set(raci.roles.map((r) => r.id))
  checkAssignments('/choiceActivity', raci.choiceActivity.assignments, roles)
  raci.templates.forEach((template, i) => {
    let hasChoice = false
    template.activities.forEach((activity, j) => {
      const pointer = `/templates/${i}/activities/${j}`
      checkAssignments(pointer, activity.assignments, roles)
      if (activity.id === raci.choiceActivity.id) {
        hasChoice = true
        for (const [role, value] of Object.entries(raci.choiceActivity.assignments)) {
          if (activity.assignments[role] !== value) {
            fail(file, `${pointer}/assignments/${role}`, `must be ${value}, as the guidance's split for choosing the procedure says`)
          }
        }
      }
    })
    if (!hasChoice) fail(file, `/templates/${i}/activities`, `has no "${raci.choiceActivity.id}" activity`)
  })
}

/** Each procedure's RACI template exists and its routes' durations are consistent. (read.ts has made the ids unique and complete.) */
function checkProcedures({ procedures, raci }: CatalogueFiles): void {
  const templates = new Set(raci.templates.map((t) => t.id))
  for (const p of procedures) {
    const file = procedureFile(p.id)
    if (!templates.has(p.raciTemplate)) fail(file, '/raciTemplate', `no RACI template "${p.raciTemplate}" in ${FILES.raci[0]}`)
    for (const [key, route] of Object.entries(p.routes)) {
      const pointer = `/routes/${key}`
      if (!route) continue
      if (route.regime !== key) fail(file, `${pointer}/regime`, `must be "${key}"`)
      if (route.minimumWeeks > route.typicalWeeks.min) fail(file, `${pointer}/minimumWeeks`, 'is more than typicalWeeks.min')
      if (route.typicalWeeks.min > route.typicalWeeks.max) fail(file, `${pointer}/typicalWeeks`, 'min is more than max')
      if ((route.urgentMinimumWeeks ?? 0) > route.minimumWeeks) fail(file, `${pointer}/urgentMinimumWeeks`, 'is more than minimumWeeks')
    }
  }
}

/** Unique ids, and never two thresholds in force on one day for the same kind, authority type and regime. */
function checkThresholds({ thresholds: { thresholds } }: CatalogueFiles): void {
  const file = FILES.thresholds[0]
  const ids = new Set<string>()
  thresholds.forEach((t, i) => {
    if (ids.has(t.id)) fail(file, `/thresholds/${i}/id`, `duplicate id "${t.id}"`)
    ids.add(t.id)
    if (t.effectiveTo !== null && t.effectiveTo < t.effectiveFrom) fail(file, `/thresholds/${i}/effectiveTo`, 'is before effectiveFrom')
    thresholds.forEach((u, j) => {
      if (j <= i || u.kind !== t.kind || u.authorityType !== t.authorityType || !u.regimes.some((r) => t.regimes.includes(r))) return
      const overlap = t.effectiveFrom <= (u.effectiveTo ?? '9999-12-31') && u.effectiveFrom <= (t.effectiveTo ?? '9999-12-31')
      if (overlap) fail(file, `/thresholds/${j}`, `overlaps "${t.id}" for the same kind, authority type and regime`)
    })
  })
}

function checkRules(files: CatalogueFiles): void {
  const { rules } = files
  const file = FILES.rules[0]
  for (const id of PROCEDURE_IDS) if (rules.scoring.base[id] === undefined) fail(file, '/scoring/base', `no base score for "${id}"`)
  const ids = new Set<string>()
  rules.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) fail(file, `/rules/${i}/id`, `duplicate rule id "${rule.id}"`)
    if ((RESERVED_RULE_IDS as readonly string[]).includes(rule.id)) {
      fail(file, `/rules/${i}/id`, `"${rule.id}" is reserved for the engine's own reasons`)
    }
    ids.add(rule.id)
    if (rule.kind !== 'require-any') return
    const grounds = new Set<string>()
    rule.grounds.forEach((g, j) => {
      if (grounds.has(g.id)) fail(file, `/rules/${i}/grounds/${j}/id`, `duplicate ground id "${g.id}" in rule "${rule.id}"`)
      grounds.add(g.id)
      // A condition's or a duty's reason id is "<rule>/<ground>/<id>": unique within the ground.
      uniqueIds(
        file,
        [
          ...(g.conditions ?? []).map((c, k) => ({ id: c.id, regimes: c.regimes, pointer: `/rules/${i}/grounds/${j}/conditions/${k}/id` })),
          ...(g.duties ?? []).map((d, k) => ({ id: d.id, regimes: d.regimes, pointer: `/rules/${i}/grounds/${j}/duties/${k}/id` }))
        ],
        `condition or duty in ground "${g.id}"`
      )
    })
    // A claim the regime does not recognise shares its reason id with the ground of another regime, never of the same.
    rule.notRecognised?.forEach((n, j) => {
      const clash = rule.grounds.find((g) => g.id === n.id && (!g.regimes || g.regimes.some((r) => n.regimes.includes(r))))
      if (clash) fail(file, `/rules/${i}/notRecognised/${j}/id`, `"${n.id}" is a ground of rule "${rule.id}" under one of the same regimes`)
    })
  })
  checkDirectAwardGroundIds(files)
}

/** The values of constraints.directAwardGrounds in conditions are the profile's ids, and every id is read by some rule. */
function checkDirectAwardGroundIds({ rules }: CatalogueFiles): void {
  const file = FILES.rules[0]
  const known: readonly string[] = DIRECT_AWARD_GROUND_IDS
  const used = new Set<string>()
  const check = (c: Condition | undefined, pointer: string): void => {
    for (const [value, at] of valuesOf(c, pointer, 'constraints.directAwardGrounds')) {
      if (typeof value !== 'string' || !known.includes(value)) {
        fail(file, at, `${JSON.stringify(value)} is not a direct award ground id (DIRECT_AWARD_GROUND_IDS in schemas/common.ts)`)
      }
      used.add(value as string)
    }
  }
  rules.rules.forEach((rule, i) => {
    check(rule.applies, `/rules/${i}/applies`)
    if (rule.kind !== 'require-any') return check(rule.when, `/rules/${i}/when`)
    rule.grounds.forEach((g, j) => {
      check(g.when, `/rules/${i}/grounds/${j}/when`)
      g.conditions?.forEach((c, k) => {
        check(c.applies, `/rules/${i}/grounds/${j}/conditions/${k}/applies`)
        check(c.when, `/rules/${i}/grounds/${j}/conditions/${k}/when`)
      })
    })
    rule.notRecognised?.forEach((n, j) => check(n.when, `/rules/${i}/notRecognised/${j}/when`))
  })
  for (const id of DIRECT_AWARD_GROUND_IDS) {
    if (!used.has(id)) fail(file, '/rules', `no rule reads the direct award ground "${id}": a claim of it would be ignored`)
  }
}

/**
 * The processes are exactly those of the contract (PSR_PROCESS_IDS), each once; a condition on
 * psr.availableProcesses names a process evaluated before it; reason ids are unique; a process id
 * is not also a rule id (both start reason ids).
 */
function checkPsrProcesses({ psrProcesses, rules }: CatalogueFiles): void {
  const file = FILES.psrProcesses[0]
  const known: readonly string[] = PSR_PROCESS_IDS
  const ruleIds = new Set(rules.rules.map((r) => r.id))
  const before: string[] = []
  psrProcesses.processes.forEach((p, i) => {
    const at = `/processes/${i}`
    if (before.includes(p.id)) fail(file, `${at}/id`, `duplicate process id "${p.id}"`)
    if (ruleIds.has(p.id)) fail(file, `${at}/id`, `"${p.id}" is also a rule id in ${FILES.rules[0]}`)
    const check = (c: Condition | undefined, pointer: string): void => {
      for (const [value, at] of valuesOf(c, pointer, 'psr.availableProcesses')) {
        if (typeof value !== 'string' || !known.includes(value)) fail(file, at, `${JSON.stringify(value)} is not a process id`)
        if (!before.includes(value as string)) {
          fail(file, at, `"${String(value)}" is not evaluated before "${p.id}": list it earlier in the file`)
        }
      }
    }
    uniqueIds(
      file,
      [
        ...p.routes.map((r, j) => ({ id: r.id, pointer: `${at}/routes/${j}/id` })),
        ...(p.preferences ?? []).map((r, j) => ({ id: r.id, pointer: `${at}/preferences/${j}/id` }))
      ],
      `route or preference in process "${p.id}"`
    )
    p.routes.forEach((r, j) => {
      uniqueIds(
        file,
        [
          ...r.conditions.map((c, k) => ({ id: c.id, pointer: `${at}/routes/${j}/conditions/${k}/id` })),
          ...(r.duties ?? []).map((d, k) => ({ id: d.id, pointer: `${at}/routes/${j}/duties/${k}/id` }))
        ],
        `condition or duty in route "${r.id}"`
      )
      r.conditions.forEach((c, k) => {
        check(c.applies, `${at}/routes/${j}/conditions/${k}/applies`)
        check(c.when, `${at}/routes/${j}/conditions/${k}/when`)
      })
    })
    p.preferences?.forEach((pref, j) => check(pref.when, `${at}/preferences/${j}/when`))
    before.push(p.id)
  })
  for (const id of PSR_PROCESS_IDS) if (!before.includes(id)) fail(file, '/processes', `process "${id}" is missing`)
}

/** The warning codes are exactly those of the contract (WARNING_CODES), each with one message. */
function checkWarnings({ warnings }: CatalogueFiles): void {
  const file = FILES.warnings[0]
  const known: readonly string[] = WARNING_CODES
  const codes = new Set<string>()
  warnings.warnings.forEach((w, i) => {
    if (!known.includes(w.code)) {
      fail(file, `/warnings/${i}/code`, `"${w.code}" is not a warning code of the contract (WARNING_CODES in schemas/common.ts)`)
    }
    if (codes.has(w.code)) fail(file, `/warnings/${i}/code`, `duplicate warning code "${w.code}"`)
    codes.add(w.code)
  })
  for (const code of WARNING_CODES) if (!codes.has(code)) fail(file, '/warnings', `no message for warning "${code}"`)
}

/** One kind per value of profile.agreement.establishes, in its order; refusal and rule ids unique. */
function checkAgreements({ agreements }: CatalogueFiles): void {
  const file = FILES.agreements[0]
  const kinds = agreements.kinds.map((k) => k.id)
  if (kinds.join() !== AGREEMENT_KINDS.join()) {
    fail(file, '/kinds', `must be exactly ${AGREEMENT_KINDS.join(', ')}, in that order (AGREEMENT_KINDS in schemas/profile.ts)`)
  }
  const ids = new Set<string>()
  agreements.refusals.forEach((r, i) => {
    if (ids.has(r.id)) fail(file, `/refusals/${i}/id`, `duplicate refusal id "${r.id}"`)
    ids.add(r.id)
  })
  agreements.rules.forEach((r, i) => {
    if (ids.has(r.id)) fail(file, `/rules/${i}/id`, `duplicate id "${r.id}"`)
    ids.add(r.id)
  })
}
