// A typed client for Procurement Route Advisor on global fetch (Node >= 20), no dependencies.
// Generate the types from the committed document first:
//   npx openapi-typescript openapi/openapi.json -o openapi/client/api.ts
import type { paths, components } from './api.js'

export type ProcurementProfile = components['schemas']['ProcurementProfile']
export type RecommendationReport = components['schemas']['RecommendationReport']
export type BatchResponse = components['schemas']['BatchResponse']
export type Problem = components['schemas']['Problem']
type Single = paths['/v1/recommendations']['post']
type Batch = paths['/v1/recommendations/batch']['post']

/** A non-2xx answer, carrying the RFC 9457 problem the service sent. */
export class ProblemError extends Error {
  readonly problem: Problem
  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`)
    this.name = 'ProblemError'
    this.problem = problem
  }
}

async function post<T>(baseUrl: string, path: keyof paths, body: unknown, apiKey?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`
  const res = await fetch(new URL(path, baseUrl), { method: 'POST', headers, body: JSON.stringify(body) })
  const text = await res.text()
  if (res.ok) return JSON.parse(text) as T
  // Every error the service sends is application/problem+json; a proxy in between may not be.
  const isProblem = res.headers.get('content-type')?.startsWith('application/problem+json')
  throw new ProblemError(isProblem ? (JSON.parse(text) as Problem)
    : { type: 'about:blank', title: res.statusText, status: res.status, detail: text, instance: res.url })
}

/** Ranked procedures, reasons, legal routes and RACI for one profile. */
export function recommend(baseUrl: string, profile: Single['requestBody']['content']['application/json'], apiKey?: string): Promise<RecommendationReport> {
  return post<Single['responses'][200]['content']['application/json']>(baseUrl, '/v1/recommendations', profile, apiKey)
}

/** Up to 100 profiles; an invalid one gets `status: 400` and a `problem` in its result, never failing the batch. */
export function recommendBatch(baseUrl: string, profiles: ProcurementProfile[], apiKey?: string): Promise<BatchResponse> {
  const body: Batch['requestBody']['content']['application/json'] = { profiles }
  return post<Batch['responses'][200]['content']['application/json']>(baseUrl, '/v1/recommendations/batch', body, apiKey)
}
