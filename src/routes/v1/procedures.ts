import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ProcedureParamsSchema } from '../../../schemas/procedure.js'
import { ProcedureNotFoundError } from '../../errors.js'
import { problemResponses } from '../../problem-responses.js'

export default async function procedureRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const list = { rulesetVersion: app.catalogue.rulesetVersion, procedures: app.catalogue.publicProcedures }

  app.get(
    '/procedures',
    {
      schema: {
        tags: ['catalogue'],
        operationId: 'listProcedures',
        summary: 'List every procedure',
        description:
          'The 13 procedures, each with when to use it and when not, and its legal route under every regime ' +
          'that has one (pcr2015, pa2023, psr2023): the instrument, legal basis, conditions of use, statutory ' +
          'minimum periods, indicative duration, notices and RACI template. Every legal value carries its ' +
          'citation and confidence.',
        response: { 200: { ...Type.Ref('ProcedureList'), description: 'The procedure catalogue' }, ...problemResponses(401, 429, 503) }
      }
    },
    async () => list
  )

  app.get(
    '/procedures/:id',
    {
      schema: {
        tags: ['catalogue'],
        operationId: 'getProcedure',
        summary: 'Get one procedure',
        description: 'One procedure of the catalogue by its stable id. An unknown id is a 404 problem.',
        params: ProcedureParamsSchema,
        response: { 200: { ...Type.Ref('ProcedureDetail'), description: 'The procedure' }, ...problemResponses(401, 404, 429, 503) }
      }
    },
    async (request) => {
      const procedure = app.catalogue.publicProcedureById.get(request.params.id)
      if (!procedure) throw new ProcedureNotFoundError(request.params.id)
      return { rulesetVersion: app.catalogue.rulesetVersion, procedure }
    }
  )
}
