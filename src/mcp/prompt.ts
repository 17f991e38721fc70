// The MCP prompt: an assistant interviews a procurement officer with the questions of the
// service's own answer, one at a time, until the answer settles. Given a profile, the prompt
// starts from the service's answer to it.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js'
import type { RecommendationReport } from '../../schemas/report.js'

export const PROMPT: Prompt = {
  name: 'choose_procedure',
  title: 'Choose a procurement procedure with an officer',
  description:
    'Interviews a procurement officer with the questions of the recommendation, one at a time, until the answer settles, ' +
    'then explains the recommended procedures with their legal basis.',
  arguments: [
    { name: 'purchase', description: 'What the borough wants to buy, in the officer\u2019s words.', required: false },
    {
      name: 'profile',
      description: 'A procurement profile as JSON, when some of it is known already (the input of recommend_procedure).',
      required: false
    }
  ]
}

const STEPS = [
  'You are helping a procurement officer of a London borough choose the procurement procedure for a purchase, with the ' +
    'tools of the Procurement Route Advisor. Interview the officer until the answer settles:',
  '1. Build a procurement profile from what the officer has actually said. The type of contract (goods, services or works) ' +
    'and its estimated value (GBP including VAT, over the whole life of the contract) are required: ask for them first if you ' +
    'do not have them. Leave out everything else the officer has not told you, and never fill a field in with a guess: a ' +
    'field left out is treated as unknown, while a guess would be treated as the council\u2019s own statement.',
  '2. Call recommend_procedure with the profile.',
  '3. Ask the officer the questions of the answer (its questions list), one at a time, in its order, most useful first, in ' +
    'plain words. Where the answer lists no questions, ask instead about what its reasons and warnings say is not known. ' +
    'Put each answer in the field the question points at; if the officer does not know, leave the field out and go on.',
  '4. Call recommend_procedure again after each answer. Stop when no questions are left, or when two answers in a row leave ' +
    'the top procedure and its fit unchanged: the answer has settled.',
  '5. Then tell the officer the recommended procedures, best first, each with its legal route and the provisions its ' +
    'reasons cite, what the answer assumed, and its warnings. Report what the service says; add no legal conclusion of your own.'
]

export interface InterviewInput {
  purchase?: string | undefined
  /** record_decision is offered. */
  write: boolean
  profile?: unknown
  /** The service's answer to `profile`. */
  report?: RecommendationReport
}

/** Where the interview stands: the profile so far and the service's answer to it. */
function standing(profile: unknown, report: RecommendationReport): string {
  const top = report.recommendations[0]!
  const questions = (report as RecommendationReport & { questions?: { question: string }[] }).questions ?? []
  return [
    'The profile so far:',
    '```json',
    JSON.stringify(profile, null, 2),
    '```',
    `The service\u2019s answer to it now: ${top.name} (${top.fit} fit), ${top.legalRoute.name}, ${top.legalRoute.legalBasis}.`,
    questions.length > 0
      ? `Its questions, most useful first:\n${questions.map((q) => `- ${q.question}`).join('\n')}`
      : 'It lists no questions: ask about what its reasons and warnings say is not known, if anything.'
  ].join('\n')
}

export function interviewPrompt(input: InterviewInput): GetPromptResult {
  const close = input.write
    ? 'Offer plan_procurement for a dated timetable, and record_decision once the officer has decided and asks you to record the decision.'
    : 'Offer plan_procurement for a dated timetable.'
  const parts = [...STEPS, close, 'This is decision support, not legal advice.']
  const purchase = input.purchase?.trim() ?? ''
  if (purchase !== '') parts.push(`The purchase, in the officer\u2019s words: ${purchase}`)
  if (input.report) parts.push(standing(input.profile, input.report))
  return {
    description: PROMPT.description,
    messages: [{ role: 'user', content: { type: 'text', text: parts.join('\n\n') } }]
  }
}
