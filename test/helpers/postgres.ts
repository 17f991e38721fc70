// A private PostgreSQL schema per test file, on the server .ci/run installs and starts
// (TEST_DATABASE_URL, default the local trust-auth server). Outside CI a missing server skips the
// test with the reason; with CI set it fails instead, so CI can never pass without PostgreSQL.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const HINT = `PostgreSQL not reachable at ${TEST_DATABASE_URL}: run .ci/run, or start it (pg_ctlcluster <version> main start)`

/** Creates a fresh schema and returns its name, or undefined (after planning a skip) when PostgreSQL is absent. */
export async function privateSchema(t: Test): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
  } catch (err) {
    if (process.env.CI) t.fail(`${HINT} (${(err as Error).message}; CI is set, so this test may not skip)`)
    else t.plan(0, HINT)
    return undefined
  }
  const schema = `t_${randomBytes(6).toString('hex')}`
  await client.query(`CREATE SCHEMA ${schema}`)
  await client.end()
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await c.connect()
    await c.query(`DROP SCHEMA ${schema} CASCADE`)
    await c.end()
  })
  return schema
}

/** The URL of the test database with its search_path set to the schema (libpq `options`). */
export function urlWithSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}
