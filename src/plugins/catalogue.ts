// Decorates the app with the catalogue, the recommender and the working-day calendar, all built once at start.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { loadCatalogue, type Catalogue } from '../catalogue/load.js'
import { createRecommender, type Recommender } from '../recommender.js'
import { loadCalendar, type Calendar } from '../calendar/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    catalogue: Catalogue
    recommender: Recommender
    calendar: Calendar
  }
}

export interface CatalogueOptions {
  /** A catalogue already loaded (tests); default: the data files beside the loader. */
  catalogue?: Catalogue
  /** Where the data files are; default: beside the loader. */
  dir?: string
}

export default fp<CatalogueOptions>(
  async function catalogue(app: FastifyInstance, opts: CatalogueOptions) {
    const loaded = opts.catalogue ?? loadCatalogue(opts.dir)
    app.decorate('catalogue', loaded)
    const calendar = loadCalendar()
    app.decorate('recommender', createRecommender(loaded, calendar))
    app.decorate('calendar', calendar)
  },
  { name: 'catalogue' }
)
