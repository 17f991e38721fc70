// Distinct request bodies for the headline HTTP rounds: every request of a run carries a profile
// no earlier request carried, so no cache of identical requests (were one added) could be what
// the bench measures. Each body is the documented example profile with its own reference and an
// estimated value moved by a few pounds: the same branch of the law (the report has the same
// procedures and reasons, and so about the same size as the payload baseline's bytes), but the
// engine evaluates, and the service serialises, a new report every time.
//
//   const next = distinctBodies(PROFILE_EXAMPLE)
//   next() // '{"reference":"LBX-2026-031-0000001",...,"estimatedValue":850001,...}'

/** The value moves within [value, value + SPREAD): well inside the example's threshold band. */
const SPREAD = 10_000

/** A function returning a new body (JSON text) at each call, deterministic for a given example. */
export function distinctBodies(example) {
  const template = JSON.stringify({ ...example, reference: '__R__', contract: { ...example.contract, estimatedValue: '__N__' } })
  const [head, rest] = template.split('"__R__"')
  const [middle, tail] = rest.split('"__N__"')
  const base = example.contract.estimatedValue
  let n = 0
  return () => {
    n++
    return `${head}"${example.reference}-${String(n).padStart(7, '0')}"${middle}${base + (n % SPREAD)}${tail}`
  }
}
