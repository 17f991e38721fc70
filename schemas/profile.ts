// The procurement profile: the request of POST /v1/recommendations. Only contract.type and
// contract.estimatedValue are required; `default` documents what an absent field means (the
// engine applies it; the validator never rewrites the request).
import Type from 'typebox'
import { DateSchema } from './common.js'

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

/** What a procurement can set up instead of a single contract (profile.agreement.establishes). */
export const AGREEMENT_KINDS = ['framework', 'open-framework', 'dynamic-market'] as const

const closed = { additionalProperties: false } as const

export const ProcurementProfileSchema = Type.Object(
  {
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "The buyer's own reference, echoed back in the report." })
    ),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'What is being bought, in a few words.' })),
    authorityType: Type.Optional(
      Type.Enum(['sub-central', 'central'], {
        default: 'sub-central',
        description:
          'sub-central: a local authority such as a London borough (default). central: a central government ' +
          'authority. Decides which thresholds apply.'
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
            Type.String({ pattern: '^\\d{8}(-\\d)?$', description: 'A CPV code: 8 digits, optionally a dash and the check digit.' }),
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
            default: false,
            description:
              'A concession contract (PA 2023 s.8): at least part of what the supplier gets is the right to exploit the ' +
              'works or services (a leisure centre, a catering concession), and it bears a real operating risk. Works or ' +
              'services only. estimatedValue is then what the supplier could expect to receive under or in connection ' +
              'with the contract, from the authority and from users (Sch 3 para 3). A concession commenced before ' +
              '24 Feb 2025 is governed by the Concession Contracts Regulations 2016, which this service does not cover: ' +
              'such a profile is answered with a 422 problem.'
          })
        ),
        utilities: Type.Optional(
          Type.Boolean({
            default: false,
            description:
              'A utilities contract: wholly or mainly for a utility activity (PA 2023 s.6 and Sch 4: gas, heat, ' +
              'electricity and water networks, transport networks, ports and airports; before 24 Feb 2025 the Utilities ' +
              'Contracts Regulations 2016). This service does not cover utilities contracts: such a profile is answered ' +
              'with a 422 problem, never a recommendation.'
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
              default: 0,
              description:
                'How many other contracting authorities may award contracts under it (0: this authority only). Above 0 ' +
                'the report adds the considerations of procuring for several authorities.'
            })
          ),
          centralisedProcurement: Type.Optional(
            Type.Boolean({
              default: false,
              description:
                'The buyer sets it up as a centralised procurement authority for the others (PA 2023 s.1(3)(b), (4); ' +
                'a central purchasing body, PCR 2015 reg 37), rather than procuring jointly with them.'
            })
          ),
          suppliers: Type.Optional(
            Type.Enum(['one', 'several'], {
              default: 'several',
              description: 'Whether one supplier or several will be party to the framework (decides some term limits).'
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
              default: false,
              description:
                'The authority considers that the nature of what is bought requires a framework term over the limit, and ' +
                'will set out its reasons in the tender or transparency notice (PA 2023 s.47(2)-(3); under the PCR 2015 ' +
                'an exceptional case duly justified, reg 33(3)).'
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
              default: 'off-the-shelf',
              description:
                'off-the-shelf: solutions on the market meet the need as they are. needs-adaptation: market ' +
                'solutions must be adapted. not-on-market: nothing on the market meets the need; it has to be ' +
                'developed.'
            })
          ),
          requirementsClarity: Type.Optional(
            Type.Enum(['specified', 'outcome-known', 'exploratory'], {
              default: 'specified',
              description:
                'specified: the buyer can write the specification now. outcome-known: the buyer knows the outcome ' +
                'wanted but not how to get there, so the solution must be worked out with bidders. exploratory: the ' +
                'problem itself is still being understood.'
            })
          ),
          researchAndDevelopment: Type.Optional(
            Type.Boolean({ default: false, description: 'The work needs research and development (feasibility studies, prototypes).' })
          ),
          complexOrRisky: Type.Optional(
            Type.Boolean({
              default: false,
              description:
                'The contract cannot be awarded without prior negotiation because of its nature, complexity, legal and ' +
                'financial make-up or the risks attached (e.g. a long leisure operating contract or a development ' +
                'partnership). A ground for negotiation or dialogue under PCR 2015 reg 26(4)(a)(iii).'
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
            Type.Boolean({ default: false, description: 'The buyer wants to negotiate requirements or terms with bidders.' })
          ),
          demonstrations: Type.Optional(
            Type.Boolean({
              default: false,
              description: 'The buyer wants demos, test environments or proofs of concept during the procedure.'
            })
          ),
          pitchOrPilot: Type.Optional(
            Type.Boolean({
              default: false,
              description: 'The buyer wants a pitch competition or pilots of several solutions, with an option to contract the winner.'
            })
          ),
          coDevelopment: Type.Optional(
            Type.Boolean({
              default: false,
              description: 'The buyer wants to develop the solution with suppliers and several stakeholders.'
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
              default: 'standard',
              description:
                'urgent: shorter statutory periods may be justified. extreme: extreme and unavoidable urgency from ' +
                'unforeseeable events not caused by the buyer (a direct award ground).'
            })
          ),
          existingAgreement: Type.Optional(
            Type.Enum(['none', 'framework', 'dynamic-market'], {
              default: 'none',
              description: 'A suitable framework agreement or dynamic market (DPS) already exists that the buyer may use.'
            })
          ),
          singleSupplier: Type.Optional(
            Type.Enum(['none', 'technical', 'exclusive-rights', 'artistic'], {
              default: 'none',
              description:
                'Only one supplier can deliver: for technical reasons, because of exclusive rights (including IP), ' +
                'or for a unique work of art or performance.'
            })
          ),
          teamCapacity: Type.Optional(
            Type.Enum(['low', 'medium', 'high'], {
              default: 'medium',
              description: "The procurement team's capacity to run a long or complex procedure."
            })
          )
        },
        { ...closed, description: 'Dates, time and circumstances that limit the choice.' }
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
