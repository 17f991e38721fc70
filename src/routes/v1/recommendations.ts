import Type, { type Static } from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { BatchRequestSchema, MAX_BATCH, type BatchResponse } from '../../../schemas/batch.js'
import { PROFILE_EXAMPLE, type ProcurementProfile } from '../../../schemas/profile.js'
import type { Problem } from '../../../schemas/problem.js'
import type { EngineResult } from '../../engine/index.js'
import { fieldErrorList, validationDetail, type Validator } from '../../validation.js'
import { VALIDATION_EXAMPLE, problemExamples, problemResponses } from '../../problem-responses.js'
import type { NamedExample } from '../../plugins/swagger.js'

export interface RecommendationRouteOptions {
  now: () => Date
  /** Validates one profile exactly as the single endpoint does. */
  validateProfile: Validator
  /** A batch may be larger than one profile. */
  batchBodyLimit: number
}

/** The time the documented examples are generated at, so the OpenAPI document is stable. */
const EXAMPLE_TIME = new Date('2026-11-25T10:00:00.000Z')

export default async function recommendationRoutes(fastify: FastifyInstance, opts: RecommendationRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { recommender } = app

  function engineProblem(request: FastifyRequest, result: Extract<EngineResult, { ok: false }>, prefix = ''): Problem {
    return app.problem(request, 'PRA_ERR_VALIDATION', 'The profile cannot be evaluated; see errors.', {
      errors: [{ pointer: `${prefix}${result.error.pointer}`, in: 'body', message: result.error.message }]
    })
  }

  const example = recommender.recommend(PROFILE_EXAMPLE, EXAMPLE_TIME)
  const exampleReport = example.ok ? example.report : undefined
  // A second, small purchase for the batch example; the documented response also shows how an
  // invalid profile is answered.
  const smallProfile: ProcurementProfile = {
    reference: 'LBX-2026-044',
    contract: { type: 'goods', estimatedValue: 45000, categories: ['facilities'] },
    constraints: { startDate: '2026-12-01' }
  }

  /** Examples of the inputs that decide a direct award and the Provider Selection Regime process. */
  const FAILED_COMPETITION_EXAMPLE: ProcurementProfile = {
    reference: 'LBX-2026-052',
    title: 'Grounds maintenance for three cemeteries',
    contract: { type: 'services', estimatedValue: 950000, cpvCodes: ['77313000-7'] },
    constraints: {
      startDate: '2026-12-01',
      previousCompetition: { procedure: 'open', suitableTenders: false, competitiveAwardPossible: false }
    }
  }
  const DIRECT_AWARD_GROUND_EXAMPLE: ProcurementProfile = {
    reference: 'LBX-2026-060',
    title: 'Additional CCTV cameras compatible with the existing network',
    contract: { type: 'goods', estimatedValue: 380000, cpvCodes: ['35125300-2'] },
    constraints: { startDate: '2026-12-01', directAwardGrounds: ['additional-supply'] }
  }
  const PSR_PROCESS_EXAMPLE: ProcurementProfile = {
    reference: 'LBX-2026-071',
    title: 'Substance misuse treatment and recovery service',
    contract: { type: 'services', estimatedValue: 2200000, cpvCodes: ['85312500-4'], durationMonths: 60 },
    constraints: { startDate: '2026-12-01' },
    healthCare: {
      existingProvider: true,
      existingContractExpiring: true,
      existingProviderSatisfactory: true,
      existingContractValue: 2000000,
      materiallyDifferent: false
    },
    priorities: ['social-value']
  }

  // A public-health contract filed under the broad division code 85000000: the report answers
  // under the Act and shows the PSR reading under `alternatives`.
  const broadProfile: ProcurementProfile = {
    reference: 'LBX-2026-051',
    title: 'Sexual health services in primary care',
    contract: { type: 'services', estimatedValue: 1340000, cpvCodes: ['85000000-9'] },
    constraints: { startDate: '2026-12-01' }
  }
  const broad = recommender.recommend(broadProfile, EXAMPLE_TIME)

  const batchExample = {
    results: [
      { index: 0, status: 200, report: exampleReport },
      {
        index: 1,
        status: 400,
        // The single-profile 400 example, as it reads for profile 1 of a batch.
        problem: {
          ...VALIDATION_EXAMPLE,
          detail: '2 fields at fault in profile 1; see errors.',
          errors: VALIDATION_EXAMPLE.errors?.map((e) => ({ ...e, pointer: `/profiles/1${e.pointer}` }))
        }
      },
      { index: 2, status: 200, report: broad.ok ? broad.report : undefined }
    ]
  }
  // Named examples: the main profile first, then one for each kind of input the report decides
  // more from (a failed competition, a direct award ground, the Provider Selection Regime facts).
  const requests: Record<string, NamedExample> = {
    'digital-platform': { summary: 'A digital service needing adaptation and negotiation', value: PROFILE_EXAMPLE },
    'failed-competition': {
      summary: 'Switching to direct award after an open procedure drew no suitable tenders (PA 2023 s.43)',
      value: FAILED_COMPETITION_EXAMPLE
    },
    'direct-award-ground': {
      summary: 'A direct award ground claimed: additional goods from the existing supplier (PA 2023 Sch 5 para 7)',
      value: DIRECT_AWARD_GROUND_EXAMPLE
    },
    'psr-process': {
      summary: 'A health care service under the Provider Selection Regime, with the facts that decide its award process',
      value: PSR_PROCESS_EXAMPLE
    }
  }
  const reports: Record<string, NamedExample> = {}
  for (const [name, { summary, value }] of Object.entries(requests)) {
    const result = recommender.recommend(value as ProcurementProfile, EXAMPLE_TIME)
    if (result.ok) reports[name] = { summary, value: result.report }
  }
  app.docExamples.set('recommendProcedures', {
    requests,
    responses: problemExamples(400, 401, 413, 415, 429, 503),
    namedResponses: { 200: reports }
  })
  app.docExamples.set('recommendProceduresBatch', {
    request: { profiles: [PROFILE_EXAMPLE, smallProfile, broadProfile] },
    responses: { 200: batchExample, ...problemExamples(400, 401, 413, 415, 429, 503) }
  })

  app.post(
    '/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        operationId: 'recommendProcedures',
        summary: 'Recommend procedures for one procurement profile',
        description:
          'Evaluates every procedure for the profile and returns the ranked recommendations, the procedures ' +
          'not recommended, each with the reasons from the evaluation, the legal route under the regime that ' +
          'applies, a timeline check, warnings and the RACI for the top recommendation. Only contract.type and ' +
          'contract.estimatedValue are required. Unknown fields are rejected. The same profile, start date and ' +
          'ruleset always give the same report apart from generatedAt.',
        body: Type.Unsafe<ProcurementProfile>(Type.Ref('ProcurementProfile')),
        response: {
          200: { ...Type.Ref('RecommendationReport'), description: 'The recommendation report' },
          ...problemResponses(400, 401, 413, 415, 429, 503)
        }
      }
    },
    async (request, reply) => {
      const result = recommender.recommend(request.body as ProcurementProfile, opts.now())
      if (!result.ok) {
        return (reply as unknown as FastifyReply).code(400).type('application/problem+json').send(engineProblem(request, result))
      }
      return result.report
    }
  )

  app.post(
    '/recommendations/batch',
    {
      bodyLimit: opts.batchBodyLimit,
      schema: {
        tags: ['recommendations'],
        operationId: 'recommendProceduresBatch',
        summary: `Recommend procedures for 1 to ${MAX_BATCH} profiles`,
        description: `Takes { "profiles": [...] } with 1 to ${MAX_BATCH} procurement profiles and returns one result per profile, in order: { index, status: 200, report } or, for an invalid profile, { index, status: 400, problem } whose error pointers start with /profiles/{index}. One invalid profile never fails the batch; more than ${MAX_BATCH} profiles is a 400 problem.`,
        body: Type.Unsafe<Static<typeof BatchRequestSchema>>(Type.Ref('BatchRequest')),
        response: {
          200: { ...Type.Ref('BatchResponse'), description: 'One result per profile, in order' },
          ...problemResponses(400, 401, 413, 415, 429, 503)
        }
      }
    },
    async (request) => {
      const now = opts.now()
      const results: BatchResponse['results'] = request.body.profiles.map((profile, index) => {
        const prefix = `/profiles/${index}`
        if (!opts.validateProfile(profile)) {
          const list = fieldErrorList(opts.validateProfile.errors, 'body', prefix)
          const problem = app.problem(request, 'PRA_ERR_VALIDATION', validationDetail(list, `profile ${index}`), list)
          return { index, status: 400, problem }
        }
        const result = recommender.recommend(profile as ProcurementProfile, now)
        if (!result.ok) return { index, status: 400, problem: engineProblem(request, result, prefix) }
        return { index, status: 200, report: result.report }
      })
      return { results }
    }
  )
}
