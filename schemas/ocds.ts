// The OCDS fields of a recommendation and of a plan (contract 1.1): what an e-procurement system
// needs to pre-fill a Find a Tender notice. The mapping is data (src/catalogue/ocds.json), versioned;
// the OpenAPI document publishes it whole (x-ocds-mapping).
import Type from 'typebox'
import { ConfidenceSchema } from './common.js'

export const OCDS_METHODS = ['open', 'selective', 'limited', 'direct'] as const

export const OcdsLegalBasisSchema = Type.Object(
  {
    scheme: Type.String({ description: 'UKPGA (an Act), UKSI (a statutory instrument) or CELEX (EU law).' }),
    id: Type.String({ description: 'The identifier in the scheme, e.g. 2023/54.' }),
    uri: Type.Optional(Type.String())
  },
  { additionalProperties: false }
)

export const OcdsFieldsSchema = Type.Object(
  {
    mappingVersion: Type.String({ description: 'The version of the mapping (x-ocds-mapping in this document) these values come from.' }),
    procurementMethod: Type.Enum([...OCDS_METHODS], { description: 'OCDS tender.procurementMethod (closed codelist).' }),
    procurementMethodDetails: Type.String({ description: 'OCDS tender.procurementMethodDetails: the label Find a Tender publishes.' }),
    legalBasis: OcdsLegalBasisSchema,
    techniques: Type.Object(
      { hasFrameworkAgreement: Type.Boolean(), hasDynamicPurchasingSystem: Type.Boolean() },
      { additionalProperties: false, description: 'OCDS tender.techniques: a framework, or a dynamic market (the nearest OCDS technique).' }
    ),
    specialRegime: Type.Optional(Type.Array(Type.String(), { description: 'tender.specialRegime, as Find a Tender marks light touch.' })),
    notices: Type.Array(
      Type.Object(
        {
          milestoneId: Type.String({ description: 'The plan milestone of the notice (POST /v1/plans).' }),
          noticeCode: Type.Optional(Type.String({ description: 'documents[].noticeType (UK2-UK7).' })),
          documentType: Type.Optional(Type.String({ description: 'The OCDS documentType published with the notice code.' }))
        },
        { additionalProperties: false }
      ),
      {
        description:
          "The expected notice sequence, in the dated plan's order (optional notices such as UK2 and UK3 only where the plan has them). " +
          'Empty where no plan applies (PCR 2015).'
      }
    ),
    confidence: ConfidenceSchema
  },
  {
    $id: 'OcdsFields',
    additionalProperties: false,
    description: '(1.1) OCDS-ready fields for pre-filling Find a Tender notices, from one versioned mapping (x-ocds-mapping).'
  }
)
export type OcdsFields = Type.Static<typeof OcdsFieldsSchema>
