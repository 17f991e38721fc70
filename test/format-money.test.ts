// The engine's money texts (compiled.formatMoney): whole pounds are written without Intl, and must
// read exactly as Intl's en-GB GBP format writes them; other amounts go through Intl.
import t from 'tap'
import fc from 'fast-check'
import { loadCatalogue } from '../src/catalogue/load.js'
import { compileCatalogue } from '../src/engine/compile.js'

const { formatMoney } = compileCatalogue(loadCatalogue())
const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 })

t.test('explicit values', async (t) => {
  t.equal(formatMoney(0), '£0')
  t.equal(formatMoney(7), '£7')
  t.equal(formatMoney(999), '£999')
  t.equal(formatMoney(1000), '£1,000')
  t.equal(formatMoney(850000), '£850,000')
  t.equal(formatMoney(214904), '£214,904')
  t.equal(formatMoney(5372609), '£5,372,609')
  t.equal(formatMoney(100_000_000_000), '£100,000,000,000')
  t.equal(formatMoney(1234.5), '£1,234.5')
  t.equal(formatMoney(1.005), '£1.01')
  t.equal(formatMoney(99999999999.99), '£99,999,999,999.99')
})

t.test('the same text as Intl for any amount a profile can hold', async (t) => {
  const mismatches: number[] = []
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000_000_000 }).map((pence) => pence / 100),
        fc.double({ min: 0, max: 100_000_000_000, noNaN: true })
      ),
      (amount) => {
        if (formatMoney(amount) !== gbp.format(amount) && mismatches.length < 5) mismatches.push(amount)
      }
    ),
    { numRuns: 20_000 }
  )
  t.same(mismatches, [])
})
