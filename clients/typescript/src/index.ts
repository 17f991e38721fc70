// The typed client of the Procurement Route Advisor API: openapi-fetch over the types that
// openapi-typescript generates, with its default options, from the committed OpenAPI document
// (src/api.ts; `npm run generate` rewrites it). Every path, query, body and answer is checked by
// the compiler; an answer other than 2xx comes back as `error`, the RFC 9457 problem the service sent.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { components, paths } from './api.js'

export type { components, paths }

type Schemas = components['schemas']
export type ProcurementProfile = Schemas['ProcurementProfile']
export type RecommendationReport = Schemas['RecommendationReport']
export type BatchResponse = Schemas['BatchResponse']
export type Plan = Schemas['Plan']
export type Milestone = Schemas['Milestone']
export type DecisionRequest = Schemas['DecisionRequest']
export type DecisionRecord = Schemas['DecisionRecord']
export type DecisionList = Schemas['DecisionList']
export type DecisionSummary = Schemas['DecisionSummary']
export type Problem = Schemas['Problem']

export interface AdvisorClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** Where the service answers, e.g. https://advisor.example.gov.uk (no /v1). */
  baseUrl: string
  /** The API key the service's operator gave you; sent as a bearer token. Omit it when the service has no keys. */
  apiKey?: string | undefined
  /** Headers for every request (a request's own headers add to them). */
  headers?: Record<string, string>
}

export type AdvisorClient = Client<paths>

/** An openapi-fetch client for the service at `baseUrl`, sending the API key with every request. */
export function createAdvisorClient({ baseUrl, apiKey, headers, ...options }: AdvisorClientOptions): AdvisorClient {
  const auth = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }
  return createClient<paths>({ ...options, baseUrl, headers: { ...auth, ...headers } })
}
