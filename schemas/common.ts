// Shared building blocks of the wire contract. Enums use Type.Enum so that a 400 names the
// allowed values once instead of repeating an anyOf of literals.
import Type from 'typebox'

export const PROCEDURE_IDS = [
  'open-tender',
  'restricted-tender',
  'competitive-negotiation',
  'competitive-dialogue',
  'innovation-partnership',
  'design-contest',
  'light-touch',
  'framework-call-off',
  'dynamic-market',
  'direct-award',
  'pre-commercial-procurement',
  'below-threshold',
  'provider-selection-regime'
] as const
export type ProcedureId = (typeof PROCEDURE_IDS)[number]

export const REGIME_IDS = ['pcr2015', 'pa2023', 'psr2023'] as const
export type RegimeId = (typeof REGIME_IDS)[number]

/**
 * The warning codes a report can carry. Stable: clients may store them, so a code is never
 * renamed. Each has its message in src/catalogue/warnings.json, and the loader refuses a
 * warnings file that lacks one of them or has a code not listed here.
 */
export const WARNING_CODES = [
  'value-near-threshold',
  'timeline-too-short',
  'timeline-tight',
  'legacy-regime',
  'light-touch-from-category',
  'mixed-subject-matter',
  'psr-award-process',
  'no-cpv-code',
  'unconfirmed-facts',
  'urgency-justification',
  'psr-process-choice',
  'health-care-inputs-unused',
  'broad-cpv-code',
  'unknown-cpv-code',
  'cpv-check-digit'
] as const
export type WarningCode = (typeof WARNING_CODES)[number]

/**
 * The direct award grounds a profile may claim (constraints.directAwardGrounds). Stable ids: each
 * is a ground of PA 2023 Sch 5 or PCR 2015 reg 32 (rules.json says which regime has it, with its
 * conditions and citation). A switch to direct award after a failed competition (PA 2023 s.43;
 * PCR 2015 reg 32(2)(a)) is claimed with constraints.previousCompetition instead.
 */
export const DIRECT_AWARD_GROUND_IDS = [
  'prototype-development',
  'research-products',
  'artistic',
  'exclusive-rights',
  'technical-reasons',
  'additional-supply',
  'repeat-supply',
  'commodity-market',
  'insolvency-terms',
  'extreme-urgency',
  'user-choice',
  'design-contest-follow-on'
] as const

/**
 * The award processes of the Provider Selection Regime (PSR 2023 regs 6-14), in the order the
 * regulations decide among them. Stable ids; src/catalogue/psr-processes.json holds one entry for
 * each, with its conditions and citations.
 */
export const PSR_PROCESS_IDS = [
  'direct-award-a',
  'direct-award-b',
  'direct-award-c',
  'most-suitable-provider',
  'competitive-process',
  'urgent-award'
] as const
export type PsrProcessId = (typeof PSR_PROCESS_IDS)[number]

/**
 * One line of printable text. Refused: the C0 and C1 control characters (U+0000-U+001F,
 * U+007F-U+009F), the line and paragraph separators U+2028/U+2029, and unpaired UTF-16 surrogates (a JSON "\ud800" with no
 * partner, which no UTF-8 store can keep as sent). A NUL, or a line break in a reference that
 * becomes a calendar name or a log line, is refused with a 400 here, before any store sees it.
 * Ajv compiles patterns with the u flag, so a surrogate range matches only an unpaired one.
 * NOT_SINGLE_LINE is the class of refused characters, for a RegExp of its own (with the u flag).
 */
export const NOT_SINGLE_LINE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ud800-\\udfff'
export const SINGLE_LINE_PATTERN = `^[^${NOT_SINGLE_LINE}]*$`
/** As SINGLE_LINE_PATTERN, but tab, line feed, carriage return and U+2028/U+2029 are allowed. */
export const MULTI_LINE_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ud800-\\udfff]*$'

/** The message of a 400 for each text pattern (src/validation.ts), instead of the regular expression. */
export const TEXT_PATTERN_MESSAGES: Record<string, string> = {
  [SINGLE_LINE_PATTERN]: 'must be a single line of text: no control characters, line breaks or unpaired surrogates',
  [MULTI_LINE_PATTERN]: 'must not contain control characters other than tab and line breaks, nor unpaired surrogates'
}

type TextOptions = Omit<Type.TStringOptions, 'pattern'> & { maxLength: number; description: string }

/**
 * A string of one line (a reference, a name, a title, an id): see SINGLE_LINE_PATTERN. Every text
 * a client sends has a bound, stated in its description.
 */
export function SingleLineText(options: TextOptions) {
  const description = `${options.description} One line, at most ${options.maxLength} characters, no control characters.`
  return Type.String({ ...options, description, pattern: SINGLE_LINE_PATTERN })
}

/** Free text that may run to paragraphs (a rationale): see MULTI_LINE_PATTERN. */
export function MultiLineText(options: TextOptions) {
  const description = `${options.description} At most ${options.maxLength} characters; line breaks and tabs are kept, other control characters refused.`
  return Type.String({ ...options, description, pattern: MULTI_LINE_PATTERN })
}

export const ProcedureIdSchema = Type.Enum([...PROCEDURE_IDS], {
  description: 'Stable procedure id; the same under every regime.'
})
export const RegimeIdSchema = Type.Enum([...REGIME_IDS], {
  description:
    'pcr2015: Public Contracts Regulations 2015; pa2023: Procurement Act 2023; psr2023: Health Care ' +
    'Services (Provider Selection Regime) Regulations 2023.'
})
export const ConfidenceSchema = Type.Enum(['confirmed', 'secondary', 'unconfirmed'], {
  description:
    'How sure we are of a legal fact: confirmed from the legislation text, taken from secondary sources ' +
    '(guidance, law-firm commentary), or unconfirmed.'
})
export const DateSchema = Type.String({
  format: 'date',
  maxLength: 10,
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar date, YYYY-MM-DD.',
  examples: ['2026-12-01']
})

export const SourceSchema = Type.Object(
  {
    citation: Type.String({ minLength: 1, description: 'The legal or guidance reference.' }),
    url: Type.Optional(Type.String({ minLength: 1 })),
    confidence: ConfidenceSchema,
    note: Type.Optional(Type.String())
  },
  { additionalProperties: false }
)
export type Source = Type.Static<typeof SourceSchema>

export const RulesetVersionSchema = Type.String({
  description:
    'Version of the legal catalogue that produced this answer: a release version, then "+" and the first ' +
    '12 hex digits of the SHA-256 of the catalogue data.',
  examples: ['2026.11.0+3f2a9c1b7d4e']
})

export const RaciValueSchema = Type.Enum(['R', 'A', 'C', 'I'])
export const RaciMatrixSchema = Type.Object(
  {
    roles: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false })),
    activities: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          assignments: Type.Record(Type.String(), RaciValueSchema)
        },
        { additionalProperties: false }
      )
    )
  },
  {
    $id: 'RaciMatrix',
    additionalProperties: false,
    description: 'Lifecycle activities by role. In every activity exactly one role is A (accountable) and at least one is R (responsible).'
  }
)
export type RaciMatrix = Type.Static<typeof RaciMatrixSchema>
