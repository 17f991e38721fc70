// TypeBox schemas of the catalogue data files. Every file is checked against its schema when the
// service starts; a fault stops the start with the file and the JSON pointer of the fault.
import Type, { type TSchema } from 'typebox'
import {
  ConfidenceSchema,
  DateSchema,
  ProcedureIdSchema,
  PSR_PROCESS_IDS,
  RaciValueSchema,
  RegimeIdSchema,
  SourceSchema
} from '../../schemas/common.js'
import { ProcedureDataSchema } from '../../schemas/procedure.js'
import { OCDS_METHODS } from '../../schemas/ocds.js'
import { ThresholdSchema } from '../../schemas/threshold.js'
import type { CpvTuple } from './cpv.js'

const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' })
const Cpv8 = Type.String({ pattern: '^\\d{8}$', description: 'CPV code without its check digit' })

export const RegimesFileSchema = Type.Object(
  {
    regimes: Type.Array(
      Type.Object(
        {
          id: RegimeIdSchema,
          name: Type.String({ minLength: 1 }),
          citation: Type.String({ minLength: 1 }),
          appliesFrom: DateSchema,
          appliesTo: Type.Union([DateSchema, Type.Null()]),
          source: SourceSchema
        },
        { additionalProperties: false }
      ),
      { minItems: 3 }
    ),
    /** Facts that decide the regime; see src/engine/classify.ts. */
    selection: Type.Object(
      {
        pa2023From: Type.Object({ date: DateSchema, source: SourceSchema }, { additionalProperties: false }),
        psr2023From: Type.Object({ date: DateSchema, source: SourceSchema }, { additionalProperties: false }),
        psrAuthorityTypes: Type.Object(
          { values: Type.Array(Type.Enum(['sub-central', 'central'])), source: SourceSchema },
          { additionalProperties: false }
        ),
        psrCpvList: Id,
        healthCareCategories: Type.Array(Type.String()),
        lightTouchCategories: Type.Array(Type.String()),
        lightTouchCpvLists: Type.Object({ pcr2015: Id, pa2023: Id }, { additionalProperties: false })
      },
      { additionalProperties: false }
    )
  },
  { additionalProperties: false }
)

export const CpvListsFileSchema = Type.Object(
  {
    lists: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1 }),
          source: SourceSchema,
          entries: Type.Array(
            Type.Object(
              {
                from: Cpv8,
                to: Cpv8,
                label: Type.String({ minLength: 1 }),
                limitation: Type.Optional(Type.String({ description: 'A condition the law attaches to the code, shown to the buyer.' })),
                confidence: Type.Optional(ConfidenceSchema)
              },
              { additionalProperties: false }
            ),
            { minItems: 1 }
          )
        },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
)

/**
 * cpv-2008.json: the CPV 2008 list and where it was taken from. The schema checks only that "codes"
 * is an array: checking its 9,454 tuples here cost 60 to 80 ms a start (about 280 ms the first
 * time), so invariants.ts checks them with a loop (a few ms).
 */
export const Cpv2008FileSchema = Type.Object(
  {
    source: Type.Object(
      {
        citation: Type.String({ minLength: 1 }),
        url: Type.String({ minLength: 1 }),
        retrievedFrom: Type.String({ minLength: 1, description: 'Where the copy was taken from: <owner/repo>@<commit>:<path>.' }),
        retrieved: DateSchema,
        confidence: ConfidenceSchema,
        note: Type.String({ minLength: 1 })
      },
      { additionalProperties: false }
    ),
    codes: Type.Unsafe<CpvTuple[]>({ type: 'array', description: '[8 digits, check digit, English label], in code order' })
  },
  { additionalProperties: false }
)

export const ThresholdsFileSchema = Type.Object(
  {
    earliestDate: DateSchema,
    thresholds: Type.Array(ThresholdSchema, { minItems: 1 })
  },
  { additionalProperties: false }
)

export const RaciFileSchema = Type.Object(
  {
    roles: Type.Array(Type.Object({ id: Id, name: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { minItems: 3 }),
    /** The seed guidance's split for choosing the procedure; every template must carry it. */
    choiceActivity: Type.Object(
      { id: Id, assignments: Type.Record(Type.String(), RaciValueSchema), source: SourceSchema },
      { additionalProperties: false }
    ),
    templates: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1 }),
          source: SourceSchema,
          activities: Type.Array(
            Type.Object(
              { id: Id, name: Type.String({ minLength: 1 }), assignments: Type.Record(Type.String(), RaciValueSchema) },
              { additionalProperties: false }
            ),
            { minItems: 1 }
          )
        },
        { additionalProperties: false }
      ),
      { minItems: 1 }
    )
  },
  { additionalProperties: false }
)

/**
 * One file of procedures/: a single procedure, named after its id (procedures/<id>.json). Which
 * files must exist (one per PROCEDURE_IDS entry, no others) is checked by read.ts.
 */
export const ProcedureFileSchema = ProcedureDataSchema

export { ProcedureIdSchema }

// ---- rules.json: how each procedure is evaluated (conditions over named facts). ----

export const FACT_NAMES = [
  'regime',
  'contract.type',
  // What the procurement sets up or is (agreements.json; src/engine/arrangements.ts computes them).
  'contract.concession',
  'contract.utilities',
  'dateRegime',
  'agreement.establishes',
  'agreement.shared',
  'agreement.centralised',
  'agreement.suppliers',
  'agreement.termMonths',
  'agreement.longerTermJustified',
  'value.aboveThreshold',
  'value.lightTouch',
  'value.healthCare',
  'value.worksSuitabilityStage',
  'need.solutionMaturity',
  'need.requirementsClarity',
  'need.researchAndDevelopment',
  'need.complexOrRisky',
  'process.negotiation',
  'process.demonstrations',
  'process.pitchOrPilot',
  'process.coDevelopment',
  'constraints.urgency',
  'constraints.existingAgreement',
  'constraints.singleSupplier',
  'constraints.teamCapacity',
  'priorities',
  'constraints.directAwardGrounds',
  'previousCompetition.procedure',
  'previousCompetition.suitableTenders',
  'previousCompetition.competitiveAwardPossible',
  'previousCompetition.conditionsSubstantiallyAltered',
  'healthCare.existingProvider',
  'healthCare.onlyExistingProviderCapable',
  'healthCare.patientChoice',
  'healthCare.existingContractExpiring',
  'healthCare.existingProviderSatisfactory',
  'healthCare.materiallyDifferent',
  /** The value test of the PSR considerable change threshold (reg 6(10)(b), (12)): see src/engine/psr.ts. */
  'healthCare.valueTest',
  'healthCare.mostSuitableProviderIdentifiable',
  'healthCare.delayRisksSafety',
  /** The PSR processes found available so far, in the order of psr-processes.json. */
  'psr.availableProcesses'
] as const
export type FactName = (typeof FACT_NAMES)[number]

const Scalar = Type.Union([Type.String(), Type.Boolean()])
export const LeafConditionSchema = Type.Object(
  {
    fact: Type.Enum([...FACT_NAMES]),
    /**
     * eq / ne compare a scalar; in: the fact is one of the values; includes / excludes: an array
     * fact contains / does not contain the value; gt / lte compare a number fact with a number.
     */
    op: Type.Enum(['eq', 'ne', 'in', 'includes', 'excludes', 'gt', 'lte']),
    value: Type.Union([Scalar, Type.Number(), Type.Array(Type.String(), { minItems: 1 })])
  },
  { additionalProperties: false }
)
const AllConditionSchema = Type.Object({ all: Type.Array(LeafConditionSchema, { minItems: 1 }) }, { additionalProperties: false })
/** A condition: a leaf, all of some leaves, or any of some leaves and all-groups (a disjunction of conjunctions). */
export const ConditionSchema = Type.Union([
  LeafConditionSchema,
  AllConditionSchema,
  Type.Object({ any: Type.Array(Type.Union([LeafConditionSchema, AllConditionSchema]), { minItems: 1 }) }, { additionalProperties: false })
])

const LegalBasisByRegime = Type.Object(
  {
    pcr2015: Type.Optional(Type.String({ minLength: 1 })),
    pa2023: Type.Optional(Type.String({ minLength: 1 })),
    psr2023: Type.Optional(Type.String({ minLength: 1 }))
  },
  { additionalProperties: false, minProperties: 1 }
)

/**
 * A condition of a ground or of a PSR process route, checked against the facts: when it holds it
 * gives `text` (if any) as a supporting reason; when it fails, `failText` (if any) says why the
 * ground or route does not hold. `applies`: it is checked only where that holds. `regimes`: only
 * under those regimes (grounds of rules.json).
 */
const GroundConditionSchema = <L extends TSchema>(legalBasis: L) =>
  Type.Object(
    {
      id: Id,
      regimes: Type.Optional(Type.Array(RegimeIdSchema, { minItems: 1 })),
      applies: Type.Optional(ConditionSchema),
      when: ConditionSchema,
      factor: Type.Optional(Type.String({ minLength: 1 })),
      text: Type.Optional(Type.String({ minLength: 1 })),
      failText: Type.Optional(Type.String({ minLength: 1 })),
      /** The condition to confirm when it turns on a fact the profile leaves unknown (default: text). */
      confirmText: Type.Optional(Type.String({ minLength: 1 })),
      legalBasis: Type.Optional(legalBasis),
      confidence: Type.Optional(ConfidenceSchema)
    },
    { additionalProperties: false }
  )

/** What the law requires once a ground or process holds (a notice, a check), stated as a supporting reason. */
const DutySchema = <L extends TSchema>(legalBasis: L) =>
  Type.Object(
    {
      id: Id,
      regimes: Type.Optional(Type.Array(RegimeIdSchema, { minItems: 1 })),
      factor: Type.Optional(Type.String({ minLength: 1 })),
      text: Type.String({ minLength: 1 }),
      legalBasis: Type.Optional(legalBasis),
      confidence: Type.Optional(ConfidenceSchema)
    },
    { additionalProperties: false }
  )

const ruleCommon = {
  id: Id,
  procedures: Type.Array(ProcedureIdSchema, { minItems: 1 }),
  regimes: Type.Optional(Type.Array(RegimeIdSchema, { minItems: 1 })),
  /** The rule is considered only where this holds (e.g. above threshold). */
  applies: Type.Optional(ConditionSchema),
  factor: Type.String({ minLength: 1 }),
  legalBasis: Type.Optional(LegalBasisByRegime),
  confidence: Type.Optional(ConfidenceSchema)
}

/** Rule ids of the reasons the engine adds itself (no legal route under the regime; below the minimum score; conditions to confirm). */
export const RESERVED_RULE_IDS = ['no-legal-route', 'below-minimum-score', 'to-confirm'] as const

export const RuleSchema = Type.Union([
  // A condition the procedure needs: held -> supports (optional points); failed -> excludes.
  Type.Object(
    {
      ...ruleCommon,
      kind: Type.Literal('require'),
      when: ConditionSchema,
      points: Type.Optional(Type.Integer()),
      text: Type.String({ minLength: 1 }),
      failText: Type.String({ minLength: 1 }),
      /** The condition to confirm when it turns on a fact the profile leaves unknown. */
      confirmText: Type.Optional(Type.String({ minLength: 1 })),
      /** A preference, not a legal condition: when it fails it weakens by these points instead of excluding. */
      failPoints: Type.Optional(Type.Integer({ maximum: 0 }))
    },
    { additionalProperties: false }
  ),
  // Legal grounds of which at least one must hold. A ground is claimed when its `when` holds and
  // holds when, besides, every one of its conditions does: then it supports, with its held
  // conditions and its duties. A claimed ground that fails gives its failed conditions: they
  // exclude the procedure when no ground holds, and weaken it (0 points) otherwise. A claim the
  // regime does not recognise (notRecognised) is reported the same way. No claim at all -> failText.
  Type.Object(
    {
      ...ruleCommon,
      kind: Type.Literal('require-any'),
      grounds: Type.Array(
        Type.Object(
          {
            id: Id,
            regimes: Type.Optional(Type.Array(RegimeIdSchema, { minItems: 1 })),
            when: ConditionSchema,
            points: Type.Optional(Type.Integer()),
            text: Type.String({ minLength: 1 }),
            legalBasis: LegalBasisByRegime,
            confidence: ConfidenceSchema,
            conditions: Type.Optional(Type.Array(GroundConditionSchema(LegalBasisByRegime), { minItems: 1 })),
            duties: Type.Optional(Type.Array(DutySchema(LegalBasisByRegime), { minItems: 1 })),
            /**
             * What the record must show to justify an award on this ground. A ground with evidence
             * that only naming it establishes (no other fact of its condition holds) is to confirm.
             */
            evidence: Type.Optional(Type.String({ minLength: 1 }))
          },
          { additionalProperties: false }
        ),
        { minItems: 1 }
      ),
      notRecognised: Type.Optional(
        Type.Array(
          Type.Object(
            {
              id: Id,
              regimes: Type.Array(RegimeIdSchema, { minItems: 1 }),
              when: ConditionSchema,
              factor: Type.Optional(Type.String({ minLength: 1 })),
              text: Type.String({ minLength: 1 }),
              legalBasis: LegalBasisByRegime,
              confidence: ConfidenceSchema
            },
            { additionalProperties: false }
          ),
          { minItems: 1 }
        )
      ),
      failText: Type.String({ minLength: 1 }),
      /** The condition to confirm when no ground holds and one turns on a fact the profile leaves unknown. */
      confirmText: Type.Optional(Type.String({ minLength: 1 })),
      /**
       * Grounds the council must claim (direct award): one is considered only when a fact the
       * profile gives claims it, never because a fact it leaves unknown might.
       */
      mustBeClaimed: Type.Optional(Type.Literal(true))
    },
    { additionalProperties: false }
  ),
  // A condition that rules the procedure out when it holds.
  Type.Object(
    { ...ruleCommon, kind: Type.Literal('exclude'), when: ConditionSchema, text: Type.String({ minLength: 1 }) },
    { additionalProperties: false }
  ),
  // A preference: held -> supports (points > 0) or weakens (points < 0).
  Type.Object(
    { ...ruleCommon, kind: Type.Literal('score'), when: ConditionSchema, points: Type.Integer(), text: Type.String({ minLength: 1 }) },
    { additionalProperties: false }
  )
])
export type Rule = Type.Static<typeof RuleSchema>

export const RulesFileSchema = Type.Object(
  {
    scoring: Type.Object(
      {
        base: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 100 })),
        fit: Type.Object({ strong: Type.Integer(), good: Type.Integer() }, { additionalProperties: false }),
        minimumScore: Type.Integer({ minimum: 0, maximum: 100 })
      },
      { additionalProperties: false }
    ),
    rules: Type.Array(RuleSchema, { minItems: 1 })
  },
  { additionalProperties: false }
)

export const WarningsFileSchema = Type.Object(
  {
    nearThresholdMargin: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    // A code is checked against WARNING_CODES (schemas/common.ts) by invariants.ts, whose message
    // names the list; here it only has to look like an id.
    warnings: Type.Array(
      Type.Object(
        { code: Id, message: Type.String({ minLength: 1 }), source: Type.Optional(SourceSchema) },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
)

// ---- psr-processes.json: how the Provider Selection Regime award process is decided (reg 6). ----

const Citation = Type.String({ minLength: 1 })

/**
 * The Provider Selection Regime award processes, evaluated in file order. A process is available
 * through the first of its routes (the paragraphs of reg 6 or 14 that allow it) whose conditions
 * all hold, with that route's status; otherwise it is not available and its routes' failed
 * conditions say why. Each available process is added to the fact psr.availableProcesses, so a
 * later process may depend on an earlier one (never the reverse: invariants.ts checks it).
 * The processes that hold are ranked by score, a mandatory one first on a tie.
 */
export const PsrProcessesFileSchema = Type.Object(
  {
    source: SourceSchema,
    /** The value test of the considerable change threshold (reg 6(10)(b)(ii)-(iii)). */
    considerableChange: Type.Object(
      {
        minimumIncrease: Type.Number({ minimum: 0 }),
        minimumIncreaseRatio: Type.Number({ minimum: 0 }),
        citation: Citation,
        confidence: ConfidenceSchema
      },
      { additionalProperties: false }
    ),
    processes: Type.Array(
      Type.Object(
        {
          id: Type.Enum([...PSR_PROCESS_IDS]),
          name: Type.String({ minLength: 1 }),
          legalBasis: Citation,
          /**
           * Ranks the processes that hold (an available one's with its preferences). Give the
           * mandatory ones of reg 6 the highest: the property tests check that Direct Award
           * Process A or B, when it applies, is never outranked.
           */
          score: Type.Integer({ minimum: 0, maximum: 100 }),
          routes: Type.Array(
            Type.Object(
              {
                id: Id,
                status: Type.Enum(['mandatory', 'available']),
                text: Type.String({ minLength: 1 }),
                legalBasis: Citation,
                confidence: ConfidenceSchema,
                conditions: Type.Array(GroundConditionSchema(Citation), { minItems: 1 }),
                duties: Type.Optional(Type.Array(DutySchema(Citation), { minItems: 1 }))
              },
              { additionalProperties: false }
            ),
            { minItems: 1 }
          ),
          /** Preferences among processes the buyer may choose: held -> supports (points > 0) or weakens. */
          preferences: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  id: Id,
                  when: ConditionSchema,
                  points: Type.Integer(),
                  factor: Type.String({ minLength: 1 }),
                  text: Type.String({ minLength: 1 })
                },
                { additionalProperties: false }
              ),
              { minItems: 1 }
            )
          )
        },
        { additionalProperties: false }
      ),
      { minItems: 1 }
    )
  },
  { additionalProperties: false }
)

export const RulesetFileSchema = Type.Object(
  { release: Type.String({ pattern: '^\\d{4}\\.\\d{1,2}\\.\\d+$' }), note: Type.Optional(Type.String()) },
  { additionalProperties: false }
)

// ---- agreements.json: what a procurement sets up or is (frameworks, open frameworks, dynamic
// markets, concessions), the rules that govern it, and the profiles the service does not cover. ----

const AgreementRouteSchema = Type.Object(
  { name: Type.String({ minLength: 1 }), legalBasis: Type.String({ minLength: 1 }) },
  { additionalProperties: false }
)

/** A refusal: when its condition holds the engine answers no report, naming the field at fault. */
const RefusalSchema = Type.Object(
  {
    id: Id,
    /** not-covered: a valid profile outside the service's scope (422); invalid: the law does not allow it (400). */
    kind: Type.Enum(['not-covered', 'invalid']),
    pointer: Type.String({ pattern: '^(/[A-Za-z]+)+$' }),
    when: ConditionSchema,
    message: Type.String({ minLength: 1 }),
    legalBasis: Type.String({ minLength: 1 }),
    confidence: ConfidenceSchema
  },
  { additionalProperties: false }
)

export const AgreementsFileSchema = Type.Object(
  {
    /** One entry per profile.agreement.establishes value, with its route under each regime that has one. */
    kinds: Type.Array(
      Type.Object(
        {
          id: Id,
          routes: Type.Object(
            {
              pcr2015: Type.Optional(AgreementRouteSchema),
              pa2023: Type.Optional(AgreementRouteSchema),
              psr2023: Type.Optional(AgreementRouteSchema)
            },
            { additionalProperties: false, minProperties: 1 }
          )
        },
        { additionalProperties: false }
      )
    ),
    /** The refusal for a kind with no route under the regime ({agreementKind}, {regimeName}). */
    noRoute: Type.Object(
      { pointer: Type.String({ minLength: 1 }), message: Type.String({ minLength: 1 }) },
      { additionalProperties: false }
    ),
    concession: Type.Object({ legalBasis: LegalBasisByRegime }, { additionalProperties: false }),
    /** Checked in order; not-covered ones before anything else, so a utilities profile never gets a report. */
    refusals: Type.Array(RefusalSchema),
    /** Notes for the report's agreement or concession section: each is shown when its condition holds. */
    rules: Type.Array(
      Type.Object(
        {
          id: Id,
          section: Type.Enum(['agreement', 'concession']),
          regimes: Type.Array(RegimeIdSchema, { minItems: 1 }),
          when: ConditionSchema,
          factor: Type.String({ minLength: 1 }),
          effect: Type.Enum(['applies', 'needs-action']),
          text: Type.String({ minLength: 1 }),
          legalBasis: Type.String({ minLength: 1 }),
          confidence: ConfidenceSchema,
          note: Type.Optional(Type.String())
        },
        { additionalProperties: false }
      ),
      { minItems: 1 }
    )
  },
  { additionalProperties: false }
)

// ---- timetables.json: the timing law of the plans (src/projections/plan.ts) and the estimates
// for stages the law does not time. Each entry's `when` is one of a closed set of circumstances
// the plan computes; `days: null` is "no minimum period".
export const PLAN_SHAPES = [
  'open',
  'competitive-flexible',
  'call-off',
  'dynamic-market-award',
  'direct-award',
  'below-threshold',
  'psr'
] as const
export const PERIOD_CONDITIONS = [
  'always',
  'light-touch',
  'urgency',
  'negotiated-tendering-period',
  'pre-selected-suppliers',
  'qualifying-planned-procurement-notice',
  'dynamic-market',
  'electronic-all-documents',
  'electronic-only',
  'all-documents-only',
  'neither'
] as const
export const STANDSTILL_EXEMPTIONS = ['direct-award-urgency', 'framework-call-off', 'dynamic-market', 'light-touch'] as const
const PeriodEntrySchema = Type.Object(
  { when: Type.Enum([...PERIOD_CONDITIONS]), days: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), source: SourceSchema },
  { additionalProperties: false }
)
const PeriodTableSchema = Type.Object(
  {
    counting: Type.Enum(['days-after', 'days-beginning-with']),
    noticeCode: Type.Optional(Type.String()),
    source: SourceSchema,
    entries: Type.Array(PeriodEntrySchema, { minItems: 1 })
  },
  { additionalProperties: false }
)
const FixedPeriodSchema = Type.Object(
  { days: Type.Integer({ minimum: 1 }), counting: Type.Enum(['days-after', 'days-beginning-with']), source: SourceSchema },
  { additionalProperties: false }
)
const EstimateSchema = Type.Object(
  { days: Type.Integer({ minimum: 0 }), what: Type.String({ minLength: 1 }) },
  { additionalProperties: false }
)
export const ESTIMATE_IDS = [
  'preparation',
  'shortlisting',
  'tenderingWithoutMinimum',
  'evaluation',
  'governance',
  'directAwardPreparation',
  'transparencyToAward',
  'urgentAward'
] as const
export const TimetablesFileSchema = Type.Object(
  {
    note: Type.String(),
    shapes: Type.Record(Type.String(), Type.Record(Type.String(), Type.Enum([...PLAN_SHAPES]))),
    participationPeriod: PeriodTableSchema,
    tenderingPeriod: PeriodTableSchema,
    qualifyingPlannedProcurementNotice: Type.Object(
      { minDaysBefore: Type.Integer({ minimum: 1 }), maxMonthsBefore: Type.Integer({ minimum: 1 }), source: SourceSchema },
      { additionalProperties: false }
    ),
    standstill: Type.Object(
      {
        workingDays: Type.Integer({ minimum: 1 }),
        calendar: Type.Literal('pa2023'),
        counting: Type.Literal('working-days-beginning-with'),
        source: SourceSchema,
        exemptions: Type.Array(
          Type.Object({ when: Type.Enum([...STANDSTILL_EXEMPTIONS]), source: SourceSchema }, { additionalProperties: false })
        )
      },
      { additionalProperties: false }
    ),
    contractDetailsNotice: PeriodTableSchema,
    psrStandstill: Type.Object(
      {
        workingDays: Type.Integer({ minimum: 1 }),
        calendar: Type.Literal('psr2023'),
        counting: Type.Literal('working-days-after'),
        /** The standstill's first day, in days after the notice; the working days are counted after it. */
        beginsDaysAfterNotice: Type.Integer({ minimum: 0 }),
        appliesTo: Type.Array(Type.String()),
        source: SourceSchema
      },
      { additionalProperties: false }
    ),
    mspIdentification: FixedPeriodSchema,
    psrAwardNotice: FixedPeriodSchema,
    estimates: Type.Object(
      Object.fromEntries(ESTIMATE_IDS.map((id) => [id, EstimateSchema])) as Record<(typeof ESTIMATE_IDS)[number], typeof EstimateSchema>,
      {
        additionalProperties: false
      }
    )
  },
  { additionalProperties: false }
)

// ---- ocds.json: the OCDS fields of recommendations and plans (src/projections/ocds.ts) -----------
const OcdsLegalBasisDataSchema = Type.Object(
  { scheme: Type.String({ minLength: 1 }), id: Type.String({ minLength: 1 }), uri: Type.Optional(Type.String()), source: SourceSchema },
  { additionalProperties: false }
)
const OcdsTechniqueSchema = Type.Object(
  { procedures: Type.Array(Type.String()), establishes: Type.Array(Type.String()), note: Type.Optional(Type.String()) },
  { additionalProperties: false }
)
export const OcdsFileSchema = Type.Object(
  {
    version: Type.String({ minLength: 1 }),
    note: Type.String(),
    standard: Type.Object({ name: Type.String(), extensions: Type.Array(Type.String()) }, { additionalProperties: false }),
    legalBasis: Type.Object(
      { pa2023: OcdsLegalBasisDataSchema, psr2023: OcdsLegalBasisDataSchema, pcr2015: OcdsLegalBasisDataSchema },
      { additionalProperties: false }
    ),
    documentTypes: Type.Record(
      Type.String(),
      Type.Object({ documentType: Type.String({ minLength: 1 }), confidence: ConfidenceSchema }, { additionalProperties: false })
    ),
    techniques: Type.Object(
      { hasFrameworkAgreement: OcdsTechniqueSchema, hasDynamicPurchasingSystem: OcdsTechniqueSchema },
      { additionalProperties: false }
    ),
    lightTouch: Type.Object(
      { specialRegime: Type.String(), regimes: Type.Array(RegimeIdSchema), confidence: ConfidenceSchema, note: Type.String() },
      { additionalProperties: false }
    ),
    methods: Type.Array(
      Type.Object(
        {
          procedureId: ProcedureIdSchema,
          regime: RegimeIdSchema,
          variant: Type.Optional(Type.Enum(['above', 'below', 'any'])),
          process: Type.Optional(Type.Enum([...PSR_PROCESS_IDS])),
          procurementMethod: Type.Enum([...OCDS_METHODS]),
          procurementMethodDetails: Type.String({ minLength: 1 }),
          confidence: ConfidenceSchema
        },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
)
