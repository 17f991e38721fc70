// The MCP tools (contract 1.2), each the /v1 operation it stands for: its arguments are that
// operation's request (the same TypeBox schema), its structured result the operation's answer,
// and the service answers it by making that very request to itself (routes/mcp.ts), so a tool
// can never answer differently from the REST API. Here: what each tool is called, what it
// takes, which request it makes, and the few lines a person reads beside the structured answer.
import Type from 'typebox'
import { DecisionListQuerySchema, type DecisionList, type DecisionRecord } from '../../schemas/decision.js'
import type { Plan } from '../../schemas/plan.js'
import { ProcedureParamsSchema, type LegalRoute, type Procedure } from '../../schemas/procedure.js'
import type { RecommendationReport } from '../../schemas/report.js'
import { ThresholdQuerySchema, type Threshold } from '../../schemas/threshold.js'

/** A request to the service's own REST API. */
export interface ApiRequest {
  method: 'GET' | 'POST'
  url: string
  payload?: unknown
}

/** How the text names things: money as the service writes it everywhere, a procedure by its name. */
export interface Words {
  money: (amount: number) => string
  procedureName: (id: string) => string
}

export interface ToolSpec {
  name: string
  title: string
  description: string
  /** The arguments: the operation's body, query or path parameters, as the REST API validates them. */
  input: object
  /** The $id of the schema of the operation's answer. */
  output: string
  /** Changes nothing: safe to call at any time. */
  readOnly: boolean
  /** The operationId of the REST operation it stands for (the OpenAPI document describes it). */
  operationId: string
  request(args: Record<string, unknown>): ApiRequest
  /** What a person reads: a few lines; the structured answer holds the rest. */
  text(answer: never, words: Words): string
}

/** Arguments as a query string: the REST API validates every value as text. */
function query(args: Record<string, unknown>): string {
  const pairs = Object.entries(args).map(([name, value]) => [name, String(value)])
  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`
}

const ref = (id: string) => Type.Ref(id)

/** At most this many lines of a list in the text; the structured answer has them all. */
const LIST_LINES = 10

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, LIST_LINES).map(line)
  if (items.length > LIST_LINES) lines.push(`... and ${items.length - LIST_LINES} more in the structured answer.`)
  return lines
}

/** The 1.2 fields of a report (contract 1.2), read where the engine gives them. */
interface QuestionsAndAssumptions {
  questions?: { question: string; why?: string }[]
  assumedInputs?: unknown[]
}

function reportText(report: RecommendationReport, { money }: Words): string {
  const { value } = report
  const threshold = value.threshold
  const lines = [
    `${report.regime.name} applies (start date ${report.startDate}). ${money(value.estimatedValue)} including VAT is ` +
      `${value.aboveThreshold ? 'at or above' : 'below'} the ${money(threshold.amount)} threshold in force from ${threshold.effectiveFrom}.`,
    'Recommended, best first:',
    ...listed(
      report.recommendations,
      (r) => `${r.rank}. ${r.name} (${r.fit} fit, score ${r.score}): ${r.legalRoute.name}, ${r.legalRoute.legalBasis}. ${r.summary}`
    )
  ]
  if (report.notRecommended.length > 0) {
    lines.push(`Not recommended: ${report.notRecommended.map((n) => n.name).join(', ')}; the structured answer says why for each.`)
  }
  const extra = report as RecommendationReport & QuestionsAndAssumptions
  if (extra.assumedInputs && extra.assumedInputs.length > 0) {
    lines.push(`The answer assumes ${extra.assumedInputs.length} input(s) the profile did not give; the structured answer lists them.`)
  }
  if (extra.questions && extra.questions.length > 0) {
    lines.push('Questions that would most change the answer:', ...listed(extra.questions, (q) => `- ${q.question}`))
  }
  for (const warning of report.warnings) lines.push(`Warning: ${warning.message}`)
  return lines.join('\n')
}

function planText(plan: Plan): string {
  return [
    `${plan.legalRoute.name} (${plan.legalRoute.legalBasis}) under the ${plan.regime.name}, from ${plan.startDate}:`,
    ...listed(plan.milestones, (m) => `- ${m.date}: ${m.name}${m.basis === 'estimate' ? ' (estimate)' : ''}`)
  ].join('\n')
}

function procedureText({ procedure }: { procedure: Procedure }): string {
  const routes = Object.values(procedure.routes as Record<string, LegalRoute>).map((route) => `- ${route.name}: ${route.legalBasis}`)
  return [`${procedure.name}: ${procedure.summary}`, 'Legal route under each regime that has one:', ...routes].join('\n')
}

const THRESHOLD_WORDS: Record<string, string> = {
  'goods-services': 'Goods and services',
  works: 'Works',
  'light-touch': 'Light-touch services',
  'notifiable-below-threshold': 'Below-threshold contracts to publish',
  concession: 'Concession contracts',
  'light-touch-concession': 'Light-touch concessions',
  'works-suitability-stage': 'Below-threshold works tenders limited by suitability'
}

function thresholdsText(list: { date: string; thresholds: Threshold[] }, { money }: Words): string {
  return [
    `Thresholds for boroughs (sub-central authorities) in force on ${list.date}, including VAT:`,
    ...list.thresholds
      .filter((t) => t.authorityType === 'sub-central')
      .map(
        (t) =>
          `- ${THRESHOLD_WORDS[t.kind] ?? t.kind}: ${money(t.amount)} from ${t.effectiveFrom}` +
          `${t.effectiveTo ? ` to ${t.effectiveTo}` : ''} (${t.legalBasis})`
      ),
    'Central government values are in the structured answer.'
  ].join('\n')
}

function decisionsText(list: DecisionList, { procedureName }: Words): string {
  if (list.items.length === 0) return 'No decision records match.'
  const lines = [
    `${list.items.length} decision record(s), newest first:`,
    ...listed(
      list.items,
      (d) =>
        `- ${d.createdAt.slice(0, 10)}${d.reference ? ` ${d.reference}` : ''}: ${procedureName(d.procedureId)}, ` +
        `${d.rank === null ? 'not recommended' : `rank ${d.rank}`}, decided by ${d.decidedBy.name} (record ${d.id})`
    )
  ]
  if (list.nextCursor) lines.push('More records: call again with cursor set to nextCursor.')
  if (list.faults && list.faults.length > 0) lines.push(`${list.faults.length} record(s) failed their integrity check and are not listed.`)
  return lines.join('\n')
}

function recordText(record: DecisionRecord, { procedureName }: Words): string {
  return (
    `Recorded on ${record.createdAt.slice(0, 10)}: ${procedureName(record.procedureId)}, ${record.rank === null ? 'not recommended' : `rank ${record.rank}`}, ` +
    `decided by ${record.decidedBy.name}. Record ${record.id}; keep its receipt (in the structured answer) to check the chain later.`
  )
}

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'recommend_procedure',
    title: 'Recommend a procurement procedure',
    operationId: 'recommendProcedures',
    description:
      'Which procurement procedure fits a purchase by a London borough, under the regime in force on the start date ' +
      '(PCR 2015, Procurement Act 2023, or the health care Provider Selection Regime): every procedure ranked, best first, ' +
      'with the reasons for and against each and the legal provision behind them, the threshold check, warnings and the ' +
      'RACI for the top one. Only contract.type and contract.estimatedValue (GBP including VAT, whole life) are required; ' +
      'leave out what the officer does not know rather than guessing. The answer is POST /v1/recommendations?view=compact.',
    input: ref('ProcurementProfile'),
    output: 'RecommendationReport',
    readOnly: true,
    request: (args) => ({ method: 'POST', url: '/v1/recommendations?view=compact', payload: args }),
    text: reportText as ToolSpec['text']
  },
  {
    name: 'plan_procurement',
    title: 'Plan a procurement timetable',
    operationId: 'planProcurement',
    description:
      'A dated timetable for one procedure of a profile (default: the top recommendation): each milestone with the earliest ' +
      'date the law allows, an estimate where the law sets none, or a date already fixed (known), and how it was counted. ' +
      'Covers the Procurement Act 2023 and the Provider Selection Regime. The answer is POST /v1/plans.',
    input: ref('PlanRequest'),
    output: 'Plan',
    readOnly: true,
    request: (args) => ({ method: 'POST', url: '/v1/plans', payload: args }),
    text: planText as ToolSpec['text']
  },
  {
    name: 'get_procedure',
    title: 'Describe a procedure',
    operationId: 'getProcedure',
    description:
      'One procedure of the catalogue: when to use it and when not, and its legal route under each regime, with conditions, ' +
      'minimum periods, notices and sources. The answer is GET /v1/procedures/{id}.',
    input: ProcedureParamsSchema,
    output: 'ProcedureDetail',
    readOnly: true,
    request: (args) => ({ method: 'GET', url: `/v1/procedures/${encodeURIComponent(String(args.id))}` }),
    text: procedureText as ToolSpec['text']
  },
  {
    name: 'thresholds_on',
    title: 'Thresholds in force on a date',
    operationId: 'listThresholds',
    description:
      'The procurement thresholds (GBP including VAT) in force on a date, default today: goods and services, works, ' +
      'light-touch services and the below-threshold values, for boroughs and central government, each with its dates and ' +
      'legal basis. The answer is GET /v1/thresholds.',
    input: ThresholdQuerySchema,
    output: 'ThresholdList',
    readOnly: true,
    request: (args) => ({ method: 'GET', url: `/v1/thresholds${query(args)}` }),
    text: thresholdsText as ToolSpec['text']
  },
  {
    name: 'list_decisions',
    title: 'List your decision records',
    operationId: 'listDecisions',
    description:
      "The decision records of the API key's own organisation, newest first, filtered by reference and creation day; " +
      'pass nextCursor as cursor for the next page. Records of other API clients are never listed. The answer is GET /v1/decisions.',
    input: DecisionListQuerySchema,
    output: 'DecisionList',
    readOnly: true,
    request: (args) => ({ method: 'GET', url: `/v1/decisions${query(args)}` }),
    text: decisionsText as ToolSpec['text']
  },
  {
    name: 'record_decision',
    title: "Record the borough's decision",
    operationId: 'recordDecision',
    description:
      'Stores the decision: the chosen procedure, why, and who decided in which RACI role. The service recomputes the ' +
      "report itself and keeps it with the record, signed in the organisation's chain; records cannot be changed. A " +
      'rationale is required when the procedure is not the top recommendation, and for any direct award. Only record ' +
      'what the officer has decided and asked to record. The answer is POST /v1/decisions.',
    input: ref('DecisionRequest'),
    output: 'DecisionRecord',
    readOnly: false,
    request: (args) => ({ method: 'POST', url: '/v1/decisions', payload: args }),
    text: recordText as ToolSpec['text']
  }
]

/** The tools a deployment offers: record_decision only with MCP_WRITE=true. */
export function offeredTools(write: boolean): readonly ToolSpec[] {
  return TOOLS.filter((tool) => tool.readOnly || write)
}

const RESOURCE_BASE = 'procurement-route-advisor://'

/** The resources: the catalogue as the REST API serves it, with its ruleset version. */
export const RESOURCES = [
  {
    uri: `${RESOURCE_BASE}procedures`,
    name: 'procedures',
    title: 'Procedure catalogue',
    description: 'Every procedure with when to use it and its legal route under each regime, with sources'
  },
  {
    uri: `${RESOURCE_BASE}thresholds`,
    name: 'thresholds',
    title: 'Thresholds in force today',
    description: 'The procurement thresholds in force today, GBP including VAT, with their dates and legal basis'
  }
] as const

export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: `${RESOURCE_BASE}procedures/{id}`,
    name: 'procedure',
    title: 'One procedure',
    description: 'One procedure of the catalogue by its id'
  },
  {
    uriTemplate: `${RESOURCE_BASE}thresholds/{date}`,
    name: 'thresholds-on',
    title: 'Thresholds on a date',
    description: 'The thresholds in force on a date, YYYY-MM-DD'
  }
] as const

/** The REST request that reads a resource, or undefined for a URI that names none. */
export function resourceRequest(uri: string): ApiRequest | undefined {
  if (!uri.startsWith(RESOURCE_BASE)) return undefined
  const path = uri.slice(RESOURCE_BASE.length)
  if (path === 'procedures') return { method: 'GET', url: '/v1/procedures' }
  if (path === 'thresholds') return { method: 'GET', url: '/v1/thresholds' }
  const procedure = /^procedures\/([a-z-]{1,64})$/.exec(path)
  if (procedure) return { method: 'GET', url: `/v1/procedures/${procedure[1]}` }
  const thresholds = /^thresholds\/(\d{4}-\d{2}-\d{2})$/.exec(path)
  if (thresholds) return { method: 'GET', url: `/v1/thresholds?date=${thresholds[1]}` }
  return undefined
}
