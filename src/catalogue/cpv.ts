// The CPV 2008 list (Regulation (EC) No 213/2008) as an index: each code's English label and
// official check digit, its level, and the hierarchy the codes carry in their trailing zeros
// (division XX000000, group XXX00000, class XXXX0000, category XXXXX000 and finer). Pure, no I/O:
// compile.ts builds the index from cpv-2008.json once read.ts and invariants.ts have checked it.
//
// The check digit is looked up, never computed: no algorithm tried reproduces every official digit
// (see the note in cpv-2008.json), so a computed digit would call some official codes wrong.

export type CpvLevel = 'division' | 'group' | 'class' | 'category'

export interface CpvEntry {
  /** The 8 digits, without the check digit. */
  readonly code: string
  /** The official check digit, one digit. */
  readonly checkDigit: string
  /** The English label of the list. */
  readonly label: string
  readonly level: CpvLevel
}

/** One code as cpv-2008.json stores it: [8 digits, check digit, English label]. */
export type CpvTuple = readonly [code: string, checkDigit: string, label: string]

/**
 * What a profile's code is against the list. A warning, never a refusal: a code that passes the
 * profile's pattern stays accepted whatever this says.
 */
export type CpvCheck = 'ok' | 'unknown' | 'bad-check-digit'

export interface CpvIndex {
  /** How many codes the list has. */
  readonly size: number
  /** The listed code with these 8 digits. */
  get(code8: string): CpvEntry | undefined
  /**
   * A listed division, group or class with codes under it: the profile could name something
   * narrower. A category is never broad, even with codes under it; nor is a group or class with
   * nothing listed under it (18 groups and 317 classes: there is nothing narrower to name).
   */
  isBroad(code8: string): boolean
  /** Every listed code under this one (its significant prefix followed by more), in code order; not itself. */
  descendants(code8: string): CpvEntry[]
  /**
   * The nearest listed code above this one, found by cutting significant digits one at a time: not
   * always one level up, as a few codes skip a level the list does not have. Undefined for a
   * division. The code itself need not be listed.
   */
  parent(code8: string): CpvEntry | undefined
  /** A profile's code, 8 digits and optionally "-" and the check digit, against the list. */
  checkCode(input: string): CpvCheck
}

const LEVEL_BY_DIGITS: Readonly<Record<number, CpvLevel>> = { 2: 'division', 3: 'group', 4: 'class' }
/** A profile's form of a code (schemas/profile.ts): 8 digits, optionally "-" and the check digit. */
const CODE_INPUT = /^(\d{8})(?:-(\d))?$/

/** The code without its trailing zeros, never shorter than the 2 digits of its division. */
export function significantPrefix(code8: string): string {
  let end = code8.length
  while (end > 2 && code8[end - 1] === '0') end--
  return code8.slice(0, end)
}

/** The level of a code by its significant digits: 2 division, 3 group, 4 class, 5 or more category. */
export function level(code8: string): CpvLevel {
  return LEVEL_BY_DIGITS[significantPrefix(code8).length] ?? 'category'
}

/**
 * The index over the list's codes. They must be in ascending code order without repeats, as
 * invariants.ts checks of cpv-2008.json: a code is found by binary search, and the codes under a
 * code follow it directly. Nothing is built ahead (no map, no objects), as the service builds the
 * index at every start and asks it about a few codes a request.
 */
export function buildCpvIndex(codes: readonly CpvTuple[]): CpvIndex {
  const codeAt = (i: number): string => (codes[i] as CpvTuple)[0]
  const entryAt = (i: number): CpvEntry => {
    const [code, checkDigit, label] = codes[i] as CpvTuple
    return { code, checkDigit, label, level: level(code) }
  }
  /** Position of the first code not below `code`. */
  const lowerBound = (code: string): number => {
    let lo = 0
    let hi = codes.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (codeAt(mid) < code) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  /** Position of the code, or -1. */
  const find = (code8: string): number => {
    const i = lowerBound(code8)
    return i < codes.length && codeAt(i) === code8 ? i : -1
  }
  const get = (code8: string): CpvEntry | undefined => {
    const i = find(code8)
    return i < 0 ? undefined : entryAt(i)
  }

  return {
    size: codes.length,
    get,
    isBroad(code8) {
      const i = find(code8)
      if (i < 0 || level(code8) === 'category') return false
      // The codes under it, if any, start right after it.
      return i + 1 < codes.length && codeAt(i + 1).startsWith(significantPrefix(code8))
    },
    descendants(code8) {
      const prefix = significantPrefix(code8)
      const found: CpvEntry[] = []
      for (let i = lowerBound(prefix.padEnd(8, '0')); i < codes.length && codeAt(i).startsWith(prefix); i++) {
        if (codeAt(i) !== code8) found.push(entryAt(i))
      }
      return found
    },
    parent(code8) {
      const prefix = significantPrefix(code8)
      for (let digits = prefix.length - 1; digits >= 2; digits--) {
        const above = get(prefix.slice(0, digits).padEnd(8, '0'))
        if (above) return above
      }
      return undefined
    },
    checkCode(input) {
      const match = CODE_INPUT.exec(input)
      const entry = match ? get(match[1] as string) : undefined
      if (!match || !entry) return 'unknown'
      const given = match[2]
      return given === undefined || given === entry.checkDigit ? 'ok' : 'bad-check-digit'
    }
  }
}
