// The documented answers (openapi/examples/*.json, *.ics) are fixtures; each is what the live service
// answers to its documented request, apart from what differs by nature (ruleset version, record
// ids, hashes, signatures, problem instances). A change of the law that changes an answer fails
// here, naming the fixture; `npm run examples` rewrites them.
import t from 'tap'
import { readdirSync } from 'node:fs'
import { answerFixtures } from '../src/examples/answer.js'
import { comparable, EXAMPLES_DIR, FIXTURES, fixtureFile, readFixture } from '../src/examples/fixtures.js'

t.test('every fixture is what the live service answers to its documented request', async (t) => {
  const answers = await answerFixtures()
  t.equal(answers.length, 15)
  for (const { fixture, status, value } of answers) {
    const file = `openapi/examples/${fixtureFile(fixture)}`
    t.equal(status, fixture.status, `${file}: the documented request is answered ${fixture.status}`)
    t.same(
      comparable(value),
      comparable(readFixture(fixture)),
      `${file} is what the service answers (if not, run \`npm run examples\` and review the diff)`
    )
  }
})

t.test('a fixture file is there for every fixture, and nothing else is', async (t) => {
  const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json') || f.endsWith('.ics'))
  t.same(files.sort(), FIXTURES.map(fixtureFile).sort())
})

t.test('only what differs by nature is masked: a changed threshold is a difference', async (t) => {
  const fixture = FIXTURES.find((f) => fixtureFile(f) === 'listThresholds.200.json')!
  const documented = readFixture(fixture) as { rulesetVersion: string; thresholds: { amount: number }[] }
  t.equal(documented.thresholds.length > 0, true)
  const otherBuild = { ...documented, rulesetVersion: '2027.1.0+0123456789ab' }
  t.same(comparable(otherBuild), comparable(documented), 'another ruleset version alone is no difference')
  const otherLaw = { ...documented, thresholds: [{ ...documented.thresholds[0], amount: 1 }, ...documented.thresholds.slice(1)] }
  t.notSame(comparable(otherLaw), comparable(documented), 'another amount is')
})
