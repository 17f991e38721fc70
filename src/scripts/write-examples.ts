// npm run examples: rewrites the fixtures of the documented answers (openapi/examples/*.json, *.ics)
// from the live app. Run it after a change of the law, when test/examples.test.ts names a stale
// fixture; review the diff and commit it with the law. openapi/openapi.json does not change: it
// points at the fixtures (externalValue).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { answerFixtures } from '../examples/answer.js'
import { EXAMPLES_DIR, fixtureFile, fixtureText } from '../examples/fixtures.js'

// The fixtures in the checkout, not the build's copies (dist/openapi/examples).
const dir = EXAMPLES_DIR.replace(/[\\/]dist([\\/]openapi[\\/]examples[\\/]?)$/, '$1')
for (const answer of await answerFixtures()) {
  const file = fixtureFile(answer.fixture)
  if (answer.status !== answer.fixture.status) {
    process.stderr.write(`${file}: the service answered ${answer.status}, not ${answer.fixture.status}; not written\n`)
    process.exitCode = 1
    continue
  }
  writeFileSync(join(dir, file), fixtureText(answer.fixture, answer.value))
  process.stdout.write(`wrote openapi/examples/${file}\n`)
}
