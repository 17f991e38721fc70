// What the answer assumed, and what to ask (contract 1.2): every field the profile left out whose
// default the answer rests on, with what that default did, read off the evaluation itself; and
// the questions whose answers would most change the ranking, found by evaluating each answer.
import type { ProcedureId } from '../../schemas/common.js'
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { AssumedInput, Question } from '../../schemas/report.js'
import type { FactName } from '../catalogue/schema.js'
import type { CompiledCatalogue } from './compile.js'
import type { Facts } from './conditions.js'
import type { ProcedureOutcome } from './decision.js'
import type { Context } from './evaluate.js'
import { askOf, FIELD_LABELS, hasField, INPUT_DEFAULTS, parentOf, pointerOf } from './knowledge.js'
import type { ProcessOutcome } from './psr.js'
import { fitOf } from './rank.js'

/** The outcomes of one evaluation: what the questions compare. */
export interface Outcomes {
  procedures: ProcedureOutcome[]
  ranking: ProcedureId[]
  processes: ProcessOutcome[] | undefined
}

const MAX_QUESTIONS = 5

/** "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/** The names of what an evaluation judged: procedures and PSR processes. */
function namer(compiled: CompiledCatalogue): (id: string) => string {
  return (id) => compiled.catalogue.procedureById.get(id as never)?.name ?? compiled.psrProcesses.find((p) => p.id === id)?.name ?? id
}

/** Each procedure and process with its reasons and conditions to confirm. */
function judged(
  o: Outcomes
): { id: string; outcomes: ProcedureOutcome['outcomes']; toConfirm: ProcedureOutcome['toConfirm']; ranked: boolean }[] {
  return [
    ...o.procedures.map((p) => ({ id: p.procedureId as string, outcomes: p.outcomes, toConfirm: p.toConfirm, ranked: p.score !== null })),
    ...(o.processes ?? []).map((p) => ({
      id: p.processId as string,
      outcomes: p.outcomes,
      toConfirm: p.toConfirm,
      ranked: p.score !== null
    }))
  ]
}

/** What assuming these facts did to the answer, in a sentence; empty when it did nothing. */
function effectOf(compiled: CompiledCatalogue, o: Outcomes, facts: FactName[], pointers: string[]): string {
  const name = namer(compiled)
  const higher: string[] = []
  const lower: string[] = []
  const ruledOut: string[] = []
  const toConfirm: string[] = []
  for (const j of judged(o)) {
    for (const x of j.outcomes) {
      if (x.reason.basis !== 'assumed' || !x.reads?.some((f) => facts.includes(f))) continue
      // What ranks only matters for what is ranked: a procedure something else rules out is not.
      if (x.reason.effect !== 'excludes' && !j.ranked) continue
      const list = x.reason.effect === 'excludes' ? ruledOut : x.reason.effect === 'supports' ? higher : lower
      if (!list.includes(j.id)) list.push(j.id)
    }
    if (j.toConfirm.some((c) => c.pointer !== undefined && pointers.includes(c.pointer))) toConfirm.push(j.id)
  }
  const parts = [
    ruledOut.length > 0 ? `rules out ${listOf(ruledOut.map(name))}` : '',
    higher.length > 0 ? `ranks ${listOf(higher.map(name))} higher` : '',
    lower.filter((id) => !ruledOut.includes(id)).length > 0
      ? `ranks ${listOf(lower.filter((id) => !ruledOut.includes(id)).map(name))} lower`
      : '',
    toConfirm.length > 0 ? `leaves conditions of ${listOf(toConfirm.map(name))} to confirm` : ''
  ].filter((p) => p !== '')
  if (parts.length === 0) return ''
  const text = parts.join('; ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/**
 * The fields left out whose defaults the answer rests on, in the order of the fact table. A field
 * inside an object the profile leaves out entirely is listed once, as that object.
 */
export function assumedInputsOf(compiled: CompiledCatalogue, profile: ProcurementProfile, ctx: Context, o: Outcomes): AssumedInput[] {
  const out: AssumedInput[] = []
  for (const d of INPUT_DEFAULTS) {
    if (!hasField(profile, d.pointer)) {
      out.push({ pointer: d.pointer, label: labelOf(d.pointer), assumed: defaultOf(d.pointer, ctx), unknown: false, effect: d.effect })
    }
  }
  const groups = new Map<string, { facts: FactName[]; pointers: string[]; unknown: boolean; first: FactName }>()
  for (const a of ctx.knowledge.assumed) {
    const parent = parentOf(a.pointer)
    const pointer = parent !== '' && !hasField(profile, parent) ? parent : a.pointer
    const group = groups.get(pointer)
    if (group) {
      group.facts.push(a.fact)
      group.pointers.push(a.pointer)
    } else groups.set(pointer, { facts: [a.fact], pointers: [a.pointer], unknown: a.unknown, first: a.fact })
  }
  for (const [pointer, g] of groups) {
    const effect = effectOf(compiled, o, g.facts, g.pointers)
    if (effect === '') continue
    out.push({ pointer, label: labelOf(pointer), assumed: assumedValue(pointer, g, ctx), unknown: g.unknown, effect })
  }
  return out
}

/**
 * The value taken for a field left out: its default; for an object left out entirely, nothing
 * (a single contract, no earlier competition) or, where its fields are unknown, each field's default.
 */
function assumedValue(pointer: string, g: { facts: FactName[]; pointers: string[]; unknown: boolean }, ctx: Context): unknown {
  const [first] = g.facts as [FactName]
  if (g.pointers.length === 1 && g.pointers[0] === pointer) return first === 'healthCare.valueTest' ? null : ctx.facts[first]
  if (!g.unknown) return null
  const fields: Record<string, unknown> = {}
  g.facts.forEach((f, i) => {
    if (f !== 'healthCare.valueTest') fields[(g.pointers[i] as string).slice(pointer.length + 1)] = ctx.facts[f]
  })
  return fields
}

const labelOf = (pointer: string): string => FIELD_LABELS[pointer] ?? pointer

function defaultOf(pointer: string, ctx: Context): unknown {
  return pointer === '/constraints/startDate' ? ctx.vars.startDate : 'sub-central'
}

/** What a reader would see change: the ranking with each fit; the PSR processes' ranks likewise. */
function signatureOf(compiled: CompiledCatalogue, o: Outcomes): Map<string, string> {
  const sig = new Map<string, string>()
  for (const p of o.procedures) {
    sig.set(p.procedureId, p.rank === null ? 'not recommended' : `${p.rank} ${fitOf(compiled, p)}`)
  }
  for (const p of o.processes ?? []) sig.set(p.processId, `${p.status} ${p.rank ?? ''} ${p.toConfirm.length > 0}`)
  return sig
}

/**
 * The questions for the unknown facts the answer turned on, most useful first: for each, every
 * answer it may take is evaluated, and a question is worth the share of its answers that change
 * the ranking or a fit (then by how much changes; then the fact table's order).
 */
export function questionsOf(
  compiled: CompiledCatalogue,
  ctx: Context,
  o: Outcomes,
  evaluateWith: (ctx: Context, changed: FactName) => Outcomes
): Question[] {
  const name = namer(compiled)
  const before = signatureOf(compiled, o)
  const scored: { question: Question; share: number; changed: number; order: number }[] = []
  let order = 0
  for (const fact of ctx.knowledge.unknown) {
    order++
    const ask = askOf(fact)
    const pointer = pointerOf(fact) as string
    // Asked whether or not its default did anything: another answer may (demonstrations wanted).
    // The health care facts decide nothing where the PSR processes are not evaluated.
    if (!ask || (o.processes === undefined && fact.startsWith('healthCare.'))) continue
    const unknown = new Set(ctx.knowledge.unknown)
    unknown.delete(fact)
    const changed = new Set<string>()
    let changing = 0
    for (const value of ask.values) {
      const facts: Facts = { ...ctx.facts, [fact]: value }
      const after = signatureOf(compiled, evaluateWith({ ...ctx, facts, knowledge: { ...ctx.knowledge, unknown } }, fact))
      let differs = false
      for (const [id, s] of after) {
        if (before.get(id) === s) continue
        differs = true
        changed.add(id)
      }
      if (differs) changing++
    }
    if (changing === 0) continue
    const settles = judged(o).filter((j) => j.toConfirm.some((c) => c.pointer === pointer))
    const why =
      settles.length > 0
        ? `It settles a legal condition of ${listOf(settles.map((j) => name(j.id)))}.`
        : `The answer changes how ${listOf([...changed].map(name))} ${changed.size === 1 ? 'ranks' : 'rank'}.`
    scored.push({ question: { pointer, question: ask.question, why }, share: changing / ask.values.length, changed: changed.size, order })
  }
  scored.sort((a, b) => b.share - a.share || b.changed - a.changed || a.order - b.order)
  return scored.slice(0, MAX_QUESTIONS).map((s) => s.question)
}
