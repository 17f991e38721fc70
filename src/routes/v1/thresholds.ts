import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ThresholdQuerySchema } from '../../../schemas/threshold.js'
import { thresholdsOn } from '../../catalogue/load.js'
import { DateOutOfRangeError } from '../../errors.js'
import { problemResponses } from '../../problem-responses.js'

export interface ThresholdRouteOptions {
  /** The clock, for the default date. */
  now: () => Date
}

export default async function thresholdRoutes(fastify: FastifyInstance, opts: ThresholdRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/thresholds',
    {
      schema: {
        tags: ['catalogue'],
        operationId: 'listThresholds',
        summary: 'Thresholds in force on a date',
        description:
          'The procurement thresholds in force on the date (a procurement start date; default today, UTC) for ' +
          'sub-central authorities (London boroughs) and central government: goods and services, works, ' +
          'light-touch services, and the notifiable below-threshold values. Amounts are GBP including VAT. ' +
          'Each value has the dates it applies from and to, the regimes that use it, its legal basis and ' +
          'source. A date before the earliest set on record is a 400 problem.',
        querystring: ThresholdQuerySchema,
        response: {
          200: { ...Type.Ref('ThresholdList'), description: 'The thresholds in force on the date' },
          ...problemResponses(400, 401, 429, 503)
        }
      }
    },
    async (request) => {
      const date = request.query.date ?? opts.now().toISOString().slice(0, 10)
      if (date < app.catalogue.earliestThresholdDate) throw new DateOutOfRangeError(date, app.catalogue.earliestThresholdDate)
      return { date, rulesetVersion: app.catalogue.rulesetVersion, thresholds: thresholdsOn(app.catalogue, date) }
    }
  )
}
