// The JSON text of a report (POST /v1/recommendations and each report of a batch): the same bytes
// as the route's schema serializer (fast-json-stringify with the RecommendationReport schema), in
// about half the time (bench/README.md). V8's JSON.stringify writes the whole report in one pass
// into one flat string; fast-json-stringify builds it by string concatenation in JavaScript and
// leaves a rope that is flattened again before the socket write.
//
// Invariant this relies on: the projection (projections/report.ts and the engine objects it
// takes, such as reasons, warnings and the agreement rules) builds every object with exactly
// the properties its schema declares, no undefined values, in fast-json-stringify's order:
// required properties first, then the optional ones, each in schema order. test/report-json.test.ts
// compares the bytes with the schema serializer's on thousands of generated profiles, batches
// included, so a projection that breaks the invariant fails the tests, not a client.
import type { BatchResponse } from '../../schemas/batch.js'
import type { RecommendationReport } from '../../schemas/report.js'

export function serializeReport(report: RecommendationReport): string {
  return JSON.stringify(report)
}

export function serializeBatch(batch: BatchResponse): string {
  return JSON.stringify(batch)
}
