// A typed client for Procurement Route Advisor: openapi-fetch over types that openapi-typescript
// generates from the committed document. Generate the types first:
//   npx openapi-typescript openapi/openapi.json -o openapi/client/api.ts
// Every path, body, response and problem is then checked by the compiler; a non-2xx answer
// comes back as `error`, the RFC 9457 problem the service sent.
import createClient from 'openapi-fetch'
import type { paths, components } from './api.js'

export type ProcurementProfile = components['schemas']['ProcurementProfile']
export type RecommendationReport = components['schemas']['RecommendationReport']
export type BatchResponse = components['schemas']['BatchResponse']
export type Problem = components['schemas']['Problem']

/** A client for the service at baseUrl; the API key (when the service has keys) goes in every request. */
export function advisorClient(baseUrl: string, apiKey?: string) {
  return createClient<paths>({ baseUrl, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} })
}
