// The JSON text of a report (POST /v1/recommendations and each report of a batch): the same bytes
// as the route's schema serializer (fast-json-stringify with the RecommendationReport schema), in
// about half the time (bench/README.md). V8's JSON.stringify writes the whole report in one pass;
// fast-json-stringify builds it by string concatenation in JavaScript.
//
// Both leave a rope (a tree of string parts). For one report (20 KB) flattening it before the
// write measured no gain (bench/README.md, "What was tried"); for a 2 MB batch it is what cost
// most, hence batchJson below.
//
// Invariant this relies on: the projection (projections/report.ts and the engine objects it
// takes, such as reasons, warnings and the agreement rules) builds every object with exactly
// the properties its schema declares, no undefined values, in fast-json-stringify's order:
// required properties first, then the optional ones, each in schema order. test/report-json.test.ts
// compares the bytes with the schema serializer's on thousands of generated profiles, batches
// included, so a projection that breaks the invariant fails the tests, not a client.
//
// A batch is written one result at a time (batchJson): the same bytes as JSON.stringify of the
// whole batch, since JSON.stringify of an object is its members' texts joined in order. For a
// 2 MB batch that is also much cheaper on Node 20: V8 returns the text of a large object as a
// rope, which costs more to flatten and encode than to write (bench/README.md, "What was tried").
import type { BatchResponse } from '../../schemas/batch.js'
import type { RecommendationReport } from '../../schemas/report.js'

export type BatchResult = BatchResponse['results'][number]

export function serializeReport(report: RecommendationReport): string {
  return JSON.stringify(report)
}

/**
 * The JSON text of a batch of `count` results, as UTF-8 chunks: one a result, the envelope's
 * opening with the first, its closing with the last. Results are taken from `results` one at a
 * time, as each chunk is asked for.
 */
export function* batchJson(results: Iterator<BatchResult>, count: number): Generator<Buffer, void, undefined> {
  if (count === 0) yield Buffer.from('{"results":[]}')
  for (let i = 0; i < count; i++) {
    const next = results.next()
    if (next.done === true) throw new Error(`batchJson: ${i} results of ${count}`)
    yield chunk(i === 0 ? '{"results":[' : ',', JSON.stringify(next.value), i === count - 1 ? ']}' : '')
  }
}

/**
 * ASCII `before` and `after` around `text`, as UTF-8, written straight into one buffer. Not
 * Buffer.from(before + text + after): on Node 20 Buffer.from takes a slow path for a Latin-1 text
 * that is not all ASCII (a report's pound signs make it one).
 */
function chunk(before: string, text: string, after: string): Buffer {
  const length = Buffer.byteLength(text)
  const bytes = Buffer.allocUnsafe(before.length + length + after.length)
  bytes.write(before, 0, 'latin1')
  bytes.write(text, before.length)
  bytes.write(after, before.length + length, 'latin1')
  return bytes
}

/** The JSON text of a whole batch: batchJson's chunks joined. */
export function serializeBatch(batch: BatchResponse): string {
  return Buffer.concat([...batchJson(batch.results[Symbol.iterator](), batch.results.length)]).toString('utf8')
}
