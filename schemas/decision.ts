// Decision records (contract 1.1): POST /v1/decisions, GET /v1/decisions/{id}, GET /v1/decisions.
// The record keeps what was decided and what the service said at that moment: the profile, the
// report the server computed (never one the client sends), the chosen procedure and its rank,
// the rationale, who decided in which RACI role, the ruleset, and a tamper-evident hash chain.
import Type from 'typebox'
import { DateSchema, MultiLineText, ProcedureIdSchema, RulesetVersionSchema, SingleLineText } from './common.js'
import type { ProcurementProfile } from './profile.js'
import type { RecommendationReport } from './report.js'
import type { Plan } from './plan.js'

// Kept equal to the roles of src/catalogue/raci.json by test/catalogue.test.ts.
export const RACI_ROLE_IDS = ['procurement-team', 'cio-cdo', 'service-team', 'legal', 'finance', 'decision-maker'] as const

const DecidedBySchema = Type.Object(
  {
    name: SingleLineText({ minLength: 1, maxLength: 200, description: 'Who decided (a person or a board).' }),
    role: Type.Enum([...RACI_ROLE_IDS], { type: 'string', description: 'Their role in the RACI matrix (raci.roles[].id).' })
  },
  { additionalProperties: false }
)

export const DecisionRequestSchema = Type.Object(
  {
    profile: Type.Unsafe<ProcurementProfile>(Type.Ref('ProcurementProfile')),
    procedureId: ProcedureIdSchema,
    rationale: Type.Optional(
      MultiLineText({
        minLength: 1,
        maxLength: 5000,
        description: "Why this procedure. Required when it is not the report's rank 1, and for any direct award."
      })
    ),
    decidedBy: DecidedBySchema
  },
  { $id: 'DecisionRequest', additionalProperties: false }
)
export type DecisionRequest = Type.Static<typeof DecisionRequestSchema>

const HashSchema = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex.' })
const SignatureSchema = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description:
    "HMAC-SHA256, lowercase hex, with a secret only the service holds, of the entry's place: kind, client, seq, contentHash and previousHash."
})
const KeyIdSchema = Type.String({
  maxLength: 64,
  description: 'Which of the service\u2019s signing keys made the signature (keys rotate).'
})
const SeqSchema = Type.Integer({ minimum: 1, description: "The entry's place in the client's chain: 1, 2, 3, ..." })

export const ReceiptSchema = Type.Object(
  {
    seq: SeqSchema,
    contentHash: HashSchema,
    headHash: { ...HashSchema, description: 'The contentHash of the newest entry of the chain once this one was written (this one).' },
    signature: SignatureSchema,
    keyId: KeyIdSchema
  },
  {
    $id: 'Receipt',
    additionalProperties: false,
    description:
      'Keep it: GET /v1/decisions/chain must later answer a seq at least this one, and the record at this seq must still have ' +
      'this contentHash. A record removed or rewritten in the database, or a chain rolled back, then shows.'
  }
)
export type Receipt = Type.Static<typeof ReceiptSchema>

export const EntryFaultSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'The entry at fault; absent when it is missing.' })),
    seq: Type.Integer(),
    problem: Type.String()
  },
  { $id: 'EntryFault', additionalProperties: false, description: 'An entry that failed its check, and why.' }
)
export type EntryFault = Type.Static<typeof EntryFaultSchema>

export const DecisionRecordSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
    client: Type.String({ description: 'The API client whose key made the record (anonymous when the API is open).' }),
    reference: Type.Optional(Type.String()),
    rulesetVersion: RulesetVersionSchema,
    procedureId: ProcedureIdSchema,
    rank: Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      description: "The chosen procedure's rank in the report; null when legally available but not recommended."
    }),
    rationale: Type.Optional(Type.String()),
    decidedBy: DecidedBySchema,
    // Not a $ref to ProcurementProfile: the serializer would write its defaults into the answer,
    // and the record must read back exactly as it was hashed.
    profile: Type.Unsafe<ProcurementProfile>({
      type: 'object',
      additionalProperties: true,
      description: 'The ProcurementProfile exactly as the client sent it (no defaults added).'
    }),
    report: Type.Unsafe<RecommendationReport>(Type.Ref('RecommendationReport')),
    plan: Type.Optional(
      Type.Unsafe<Plan>({
        ...Type.Ref('Plan'),
        description: 'The dated plan of the chosen procedure as computed at the decision (the Act and the PSR; none under the PCR 2015).'
      })
    ),
    contentHash: {
      ...HashSchema,
      description: "SHA-256 of the record's canonical JSON (RFC 8785) as created: without contentHash, seq, signature, keyId and receipt."
    },
    previousHash: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      pattern: '^[0-9a-f]{64}$',
      description: "The contentHash of the client's previous chain entry; null for its first."
    }),
    seq: Type.Optional(SeqSchema),
    signature: Type.Optional(SignatureSchema),
    keyId: Type.Optional(KeyIdSchema),
    receipt: Type.Optional(Type.Unsafe<Receipt>({ ...Type.Ref('Receipt'), description: 'Only in the 201 answer: keep it.' }))
  },
  { $id: 'DecisionRecord', additionalProperties: false, description: 'A stored decision. Immutable.' }
)
export type DecisionRecord = Type.Static<typeof DecisionRecordSchema>

export const DecisionSummarySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    href: Type.String({ description: 'Where the full record is.' }),
    createdAt: Type.String({ format: 'date-time' }),
    reference: Type.Optional(Type.String()),
    title: Type.Optional(Type.String({ description: "What is being bought: the profile's title, when it gave one." })),
    procedureId: ProcedureIdSchema,
    rank: Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1 }),
    decidedBy: DecidedBySchema,
    rulesetVersion: RulesetVersionSchema,
    contentHash: HashSchema
  },
  { $id: 'DecisionSummary', additionalProperties: false }
)
export type DecisionSummary = Type.Static<typeof DecisionSummarySchema>

export const DecisionListSchema = Type.Object(
  {
    items: Type.Array(Type.Unsafe<DecisionSummary>(Type.Ref('DecisionSummary')), { description: 'Newest first.' }),
    nextCursor: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      description: 'Pass as `cursor` for the next (older) page; null on the last page.'
    }),
    faults: Type.Optional(
      Type.Array(Type.Unsafe<EntryFault>(Type.Ref('EntryFault')), {
        description:
          'Records of this page that failed their integrity check (altered or forged in the database): named here, never ' +
          'served as genuine. Absent when every record passed.'
      })
    )
  },
  { $id: 'DecisionList', additionalProperties: false }
)
export type DecisionList = Type.Static<typeof DecisionListSchema>

export const DecisionListQuerySchema = Type.Object(
  {
    reference: Type.Optional(SingleLineText({ minLength: 1, maxLength: 100, description: 'Only records with this reference.' })),
    from: Type.Optional({ ...DateSchema, description: 'Only records created on or after this day (UTC).' }),
    to: Type.Optional({ ...DateSchema, description: 'Only records created on or before this day (UTC).' }),
    cursor: Type.Optional(SingleLineText({ minLength: 1, maxLength: 200, description: 'From nextCursor of the previous page.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Records per page, 1 to 100. Absent: 20.' }))
  },
  { additionalProperties: false }
)

export const ChainVerificationQuerySchema = Type.Object(
  {
    full: Type.Optional(
      Type.Boolean({
        description:
          'true: check every entry from the first, not only those added since the last verified checkpoint (slower; ' +
          'run it now and then, and after any doubt about the database). Absent: false.'
      })
    )
  },
  { additionalProperties: false }
)

export const ChainVerificationSchema = Type.Object(
  {
    client: Type.String(),
    records: Type.Integer({ minimum: 0, description: 'Entries in the chain up to the newest one verified good.' }),
    valid: Type.Boolean({
      description:
        'Every entry checked recomputes its content hash, carries a signature of this service, links to the one before, and ' +
        'the chain ends at the head the service recorded.'
    }),
    headHash: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      description: 'The contentHash of the newest entry verified good (the chain head when valid); null for an empty chain.'
    }),
    seq: Type.Integer({ minimum: 0, description: 'The seq of that entry: compare with your newest receipt. 0 for an empty chain.' }),
    signature: Type.Unsafe<string | null>({ type: ['string', 'null'], description: "That entry's signature, as in its receipt." }),
    keyId: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'The key of that signature.' }),
    scope: Type.Enum(['since-checkpoint', 'full'], {
      type: 'string',
      description: 'full: every entry was checked; since-checkpoint: the entries after the last verified checkpoint.'
    }),
    checkedFrom: Type.Integer({ minimum: 1, description: 'The seq the check started at.' }),
    checked: Type.Integer({ minimum: 0, description: 'Entries checked by this verification.' }),
    firstFault: Type.Optional(Type.Unsafe<EntryFault>({ ...Type.Ref('EntryFault'), description: 'The oldest entry that fails, and why.' }))
  },
  { $id: 'ChainVerification', additionalProperties: false }
)
export type ChainVerification = Type.Static<typeof ChainVerificationSchema>
