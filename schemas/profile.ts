// The procurement profile: the request of POST /v1/recommendations. Only contract.type and
// contract.estimatedValue are required; each description says what an absent field means, in
// step with src/engine/knowledge.ts: a default taken as given, or not known (contract 1.2). The
// validator never rewrites the request. No `default` keyword: a generator reads it as "always
// present" and makes the field required in the request type.
import Type from 'typebox'
import { DateSchema, DIRECT_AWARD_GROUND_IDS, SingleLineText } from './common.js'

export const CATEGORIES = [
  'social-care',
  'health-care',
  'education',
  'technology',
  'construction',
  'professional-services',
  'facilities',
  'other'
] as const
export const PRIORITIES = [
  'innovation',
  'speed',
  'value-for-money',
  'social-value',
  'sme-access',
  'risk-reduction',
  'user-involvement',
  'collaboration'
] as const

/** The competitive procedures a failed competition may have been (constraints.previousCompetition.procedure). */
export const PREVIOUS_PROCEDURES = [
  'open',
  'restricted',
  'competitive-flexible',
  'competitive-negotiation',
  'competitive-dialogue',
  'innovation-partnership'
] as const

/** What a procurement can set up instead of a single contract (profile.agreement.establishes). */
export const AGREEMENT_KINDS = ['framework', 'open-framework', 'dynamic-market'] as const

const closed = { additionalProperties: false } as const

export const ProcurementProfileSchema = Type.Object(
  {
    reference: Type.Optional(
      SingleLineText({ minLength: 1, maxLength: 100, description: "The buyer's own reference, echoed back in the report." })
    ),
    title: Type.Optional(SingleLineText({ minLength: 1, maxLength: 300, description: 'What is being bought, in a few words.' })),
    authorityType: Type.Optional(
      Type.Enum(['sub-central', 'central'], {
        description:
          'sub-central: a local authority such as a London borough. central: a central government ' +
          'authority. Decides which thresholds apply. Absent: taken as sub-central.'
      })
    ),
    contract: Type.Object(
      {
        type: Type.Enum(['goods', 'services', 'works'], {
          description: 'What the contract is mainly for: goods (supplies), services, or works (building and civil engineering).'
        }),
        estimatedValue: Type.Number({
          minimum: 0,
          maximum: 100000000000,
          description:
            'Estimated value in GBP **including VAT**, over the whole life of the contract including extensions ' +
            'and options (PA 2023 s.4; PCR 2015 reg 6).'
        }),
        cpvCodes: Type.Optional(
          Type.Array(
            Type.String({
              pattern: '^\\d{8}(-\\d)?$',
              maxLength: 10,
              description: 'A CPV code: 8 digits, optionally a dash and the check digit.'
            }),
            {
              minItems: 1,
              maxItems: 50,
              uniqueItems: true,
              description:
                'Common Procurement Vocabulary codes. The FIRST code is the main subject-matter: it decides light touch and health care.'
            }
          )
        ),
        categories: Type.Optional(
          Type.Array(Type.Enum([...CATEGORIES], { type: 'string' }), {
            minItems: 1,
            maxItems: 8,
            uniqueItems: true,
            description:
              'Used when no CPV code is given, and to settle a broad main CPV code (e.g. 85000000) whose narrower ' +
              'codes fall on both sides of a legal line; the FIRST category is the main one: social-care, health-care ' +
              'and education count as light-touch services, health-care also as health care services (Provider ' +
              'Selection Regime); the rest as neither.'
          })
        ),
        durationMonths: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 600, description: 'Contract term in months, including extensions.' })
        ),
        concession: Type.Optional(
          Type.Boolean({
            description:
              'A concession contract (PA 2023 s.8): at least part of what the supplier gets is the right to exploit the ' +
              'works or services (a leisure centre, a catering concession), and it bears a real operating risk. Works or ' +
              'services only. estimatedValue is then what the supplier could expect to receive under or in connection ' +
              'with the contract, from the authority and from users (Sch 3 para 3). A concession commenced before ' +
              '24 Feb 2025 is governed by the Concession Contracts Regulations 2016, which this service does not cover: ' +
              'such a profile is answered with a 422 problem. Absent: taken as false.'
          })
        ),
        utilities: Type.Optional(
          Type.Boolean({
            description:
              'A utilities contract: wholly or mainly for a utility activity (PA 2023 s.6 and Sch 4: gas, heat, ' +
              'electricity and water networks, transport networks, ports and airports; before 24 Feb 2025 the Utilities ' +
              'Contracts Regulations 2016). This service does not cover utilities contracts: such a profile is answered ' +
              'with a 422 problem, never a recommendation. Absent: taken as false.'
          })
        )
      },
      { ...closed, description: 'What is being bought and what it is worth.' }
    ),
    agreement: Type.Optional(
      Type.Object(
        {
          establishes: Type.Enum([...AGREEMENT_KINDS], {
            description:
              'What the procurement sets up: a framework (PA 2023 ss.45-47; PCR 2015 reg 33), an open framework (a ' +
              'scheme of successive frameworks, PA 2023 s.49; no PCR equivalent) or a dynamic market (PA 2023 ' +
              'ss.34-40; a dynamic purchasing system under PCR 2015 reg 34).'
          }),
          otherAuthorities: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 1000,
              description:
                'How many other contracting authorities may award contracts under it (0: this authority only). Above 0 ' +
                'the report adds the considerations of procuring for several authorities. Absent: taken as 0.'
            })
          ),
          centralisedProcurement: Type.Optional(
            Type.Boolean({
              description:
                'The buyer sets it up as a centralised procurement authority for the others (PA 2023 s.1(3)(b), (4); ' +
                'a central purchasing body, PCR 2015 reg 37), rather than procuring jointly with them. Absent: taken as false.'
            })
          ),
          suppliers: Type.Optional(
            Type.Enum(['one', 'several'], {
              description:
                'Whether one supplier or several will be party to the framework (decides some term limits). Absent: taken as several.'
            })
          ),
          termMonths: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 600,
              description:
                'The term in months: of the framework; of the whole scheme for an open framework; how long a dynamic market ' +
                'will operate.'
            })
          ),
          longerTermJustified: Type.Optional(
            Type.Boolean({
              description:
                'The authority considers that the nature of what is bought requires a framework term over the limit, and ' +
                'will set out its reasons in the tender or transparency notice (PA 2023 s.47(2)-(3); under the PCR 2015 ' +
                'an exceptional case duly justified, reg 33(3)). Absent: taken as false.'
            })
          )
        },
        {
          ...closed,
          description:
            'What the procurement sets up when it is not a single contract, and for whom. Absent: it awards a contract. ' +
            'constraints.existingAgreement says instead that a suitable agreement already exists.'
        }
      )
    ),
    need: Type.Optional(
      Type.Object(
        {
          solutionMaturity: Type.Optional(
            Type.Enum(['off-the-shelf', 'needs-adaptation', 'not-on-market'], {
              description:
                'off-the-shelf: solutions on the market meet the need as they are. needs-adaptation: market ' +
                'solutions must be adapted. not-on-market: nothing on the market meets the need; it has to be ' +
                'developed. Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          requirementsClarity: Type.Optional(
            Type.Enum(['specified', 'outcome-known', 'exploratory'], {
              description:
                'specified: the buyer can write the specification now. outcome-known: the buyer knows the outcome ' +
                'wanted but not how to get there, so the solution must be worked out with bidders. exploratory: the ' +
                'problem itself is still being understood. Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          researchAndDevelopment: Type.Optional(
            Type.Boolean({
              description:
                'The work needs research and development (feasibility studies, prototypes). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          complexOrRisky: Type.Optional(
            Type.Boolean({
              description:
                'The contract cannot be awarded without prior negotiation because of its nature, complexity, legal and ' +
                'financial make-up or the risks attached (e.g. a long leisure operating contract or a development ' +
                'partnership). A ground for negotiation or dialogue under PCR 2015 reg 26(4)(a)(iii). Absent: not known; the report asks about it where the answer matters.'
            })
          )
        },
        { ...closed, description: 'How well the market and the buyer understand the need.' }
      )
    ),
    process: Type.Optional(
      Type.Object(
        {
          negotiation: Type.Optional(
            Type.Boolean({
              description:
                'The buyer wants to negotiate requirements or terms with bidders. Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          demonstrations: Type.Optional(
            Type.Boolean({
              description:
                'The buyer wants demos, test environments or proofs of concept during the procedure. Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          pitchOrPilot: Type.Optional(
            Type.Boolean({
              description:
                'The buyer wants a pitch competition or pilots of several solutions, with an option to contract the winner. Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          coDevelopment: Type.Optional(
            Type.Boolean({
              description:
                'The buyer wants to develop the solution with suppliers and several stakeholders. Absent: not known; the report asks about it where the answer matters.'
            })
          )
        },
        { ...closed, description: 'What the buyer wants the procedure itself to allow.' }
      )
    ),
    constraints: Type.Optional(
      Type.Object(
        {
          startDate: Type.Optional({
            ...DateSchema,
            description: 'When the procurement starts (commences). Decides the regime and the thresholds. Default: today (UTC).'
          }),
          weeksToAward: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 520, description: 'Weeks available from start to contract award.' })
          ),
          awardBy: Type.Optional({
            ...DateSchema,
            description:
              '(1.1) The date by which the contract must be awarded (entered into). When given with weeksToAward, ' +
              'awardBy wins. POST /v1/plans says whether the plan meets it and by what margin.'
          }),
          urgency: Type.Optional(
            Type.Enum(['standard', 'urgent', 'extreme'], {
              description:
                'urgent: shorter statutory periods may be justified. extreme: extreme and unavoidable urgency from ' +
                'unforeseeable events not caused by the buyer (a direct award ground). Absent: taken as standard.'
            })
          ),
          existingAgreement: Type.Optional(
            Type.Enum(['none', 'framework', 'dynamic-market'], {
              description:
                'A suitable framework agreement or dynamic market (DPS) already exists that the buyer may use. Absent: taken as none.'
            })
          ),
          singleSupplier: Type.Optional(
            Type.Enum(['none', 'technical', 'exclusive-rights', 'artistic'], {
              description:
                'Only one supplier can deliver: for technical reasons, because of exclusive rights (including IP), ' +
                'or for a unique work of art or performance. Absent: taken as none.'
            })
          ),
          teamCapacity: Type.Optional(
            Type.Enum(['low', 'medium', 'high'], {
              description:
                "The procurement team's capacity to run a long or complex procedure. Absent: not known; the report asks about it where the answer matters."
            })
          ),
          directAwardGrounds: Type.Optional(
            Type.Array(Type.Enum([...DIRECT_AWARD_GROUND_IDS], { type: 'string' }), {
              minItems: 1,
              maxItems: DIRECT_AWARD_GROUND_IDS.length,
              uniqueItems: true,
              description:
                'Direct award grounds the buyer claims (PA 2023 s.41 and Sch 5; PCR 2015 reg 32). The report says ' +
                'for each whether the regime has it and which of its conditions hold, with citations. ' +
                'extreme-urgency also sets urgency to "extreme", and artistic, exclusive-rights or technical-reasons ' +
                'set singleSupplier, when those fields are not given.'
            })
          ),
          previousCompetition: Type.Optional(
            Type.Object(
              {
                procedure: Type.Enum([...PREVIOUS_PROCEDURES], {
                  description:
                    'The competitive procedure already run for this contract. The PCR 2015 allow the switch only ' +
                    'after an open or restricted procedure (reg 32(2)(a)); the Act after any competitive tendering ' +
                    'procedure (s.43(1)(a)).'
                }),
                suitableTenders: Type.Boolean({
                  description:
                    'At least one suitable tender or request to participate was received. false: none, or none ' +
                    'suitable (PA 2023 s.43(2); PCR 2015 reg 32(3)).'
                }),
                competitiveAwardPossible: Type.Optional(
                  Type.Boolean({
                    description:
                      'The buyer considers that an award after a competitive tendering procedure is still possible (PA 2023 s.43(1)(c)). Absent: not known; the report asks about it where the answer matters.'
                  })
                ),
                conditionsSubstantiallyAltered: Type.Optional(
                  Type.Boolean({
                    description:
                      'The initial conditions of the contract would be substantially altered (PCR 2015 reg 32(2)(a)). Absent: taken as false.'
                  })
                )
              },
              {
                ...closed,
                description:
                  'A competition already run for this contract, to switch to direct award when it failed ' +
                  '(PA 2023 s.43; PCR 2015 reg 32(2)(a)).'
              }
            )
          )
        },
        { ...closed, description: 'Dates, time and circumstances that limit the choice.' }
      )
    ),
    healthCare: Type.Optional(
      Type.Object(
        {
          existingProvider: Type.Optional(
            Type.Boolean({
              description:
                'A provider already holds a contract for these services that has not expired or been terminated (PSR reg 6(3)(a)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          onlyExistingProviderCapable: Type.Optional(
            Type.Boolean({
              description:
                'The buyer is satisfied that, due to the nature of the services, only the existing provider can provide them (PSR reg 6(3)(b)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          patientChoice: Type.Optional(
            Type.Boolean({
              description:
                'Patients are offered a choice of provider, the number of providers is not restricted, contracts ' +
                'will be offered to every provider that meets the requirements, and providers can express an ' +
                'interest (PSR reg 6(4)(a)-(d)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          existingContractExpiring: Type.Optional(
            Type.Boolean({
              description:
                'The term of an existing contract is due to expire and a new contract will replace it at the end of its term (PSR reg 6(5)(b)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          existingProviderSatisfactory: Type.Optional(
            Type.Boolean({
              description:
                'The existing provider is satisfying the existing contract and will likely satisfy the proposed ' +
                'contract to a sufficient standard (PSR reg 6(5)(d)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          existingContractValue: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 100000000000,
              description:
                "The existing contract's lifetime value when it was entered into, GBP including VAT: the value test " +
                'of the considerable change threshold compares contract.estimatedValue with it (PSR reg 6(10)(b)).'
            })
          ),
          materiallyDifferent: Type.Optional(
            Type.Boolean({
              description:
                'The proposed arrangements are materially different in character from the existing contract, ' +
                "beyond a change in the provider's identity through succession (PSR reg 6(10)(a), (11)). Absent: not known; the report asks about it where the answer matters."
            })
          ),
          valueChangeFromExternalFactors: Type.Optional(
            Type.Boolean({
              description:
                'The change in lifetime value responds to external factors beyond the control of the buyer and ' +
                'the provider, such as patient volumes or formula prices, not to decisions of the buyer (PSR reg 6(10)(b)(i), (12)). Absent: taken as false.'
            })
          ),
          mostSuitableProviderIdentifiable: Type.Optional(
            Type.Boolean({
              description:
                'Taking into account likely providers and the information available, the buyer is likely to be ' +
                'able to identify the most suitable provider (PSR reg 6(6)(c)). Absent: not known; the report asks about it where the answer matters.'
            })
          ),
          delayRisksSafety: Type.Optional(
            Type.Boolean({
              description:
                'Delaying the award to follow the award processes would be likely to pose a risk to patient or ' +
                'public safety (PSR reg 14(2)(c)); with urgency "extreme", an urgent award is possible. Absent: not known; the report asks about it where the answer matters.'
            })
          )
        },
        {
          ...closed,
          description:
            'Facts that decide the Provider Selection Regime award process (PSR 2023 regs 6-14). Read only when ' +
            'the PSR applies; with it the report ranks the processes (recommendations[].processes).'
        }
      )
    ),
    priorities: Type.Optional(
      Type.Array(Type.Enum([...PRIORITIES], { type: 'string' }), {
        maxItems: 8,
        uniqueItems: true,
        description: 'What matters most to the buyer; moves scores, never overrides a legal condition.'
      })
    )
  },
  {
    $id: 'ProcurementProfile',
    additionalProperties: false,
    description: 'What the borough wants to buy and how. Unknown fields are rejected with 400.'
  }
)
export type ProcurementProfile = Type.Static<typeof ProcurementProfileSchema>

export const PROFILE_EXAMPLE: ProcurementProfile = {
  reference: 'LBX-2026-031',
  title: 'Digital social care referrals platform',
  authorityType: 'sub-central',
  contract: {
    type: 'services',
    estimatedValue: 850000,
    cpvCodes: ['72212000-4'],
    categories: ['technology', 'social-care'],
    durationMonths: 36
  },
  need: { solutionMaturity: 'needs-adaptation', requirementsClarity: 'outcome-known', researchAndDevelopment: false },
  process: { negotiation: true, demonstrations: true, pitchOrPilot: false, coDevelopment: false },
  constraints: {
    startDate: '2026-12-01',
    weeksToAward: 40,
    urgency: 'standard',
    existingAgreement: 'none',
    singleSupplier: 'none',
    teamCapacity: 'medium'
  },
  priorities: ['innovation', 'user-involvement']
}
