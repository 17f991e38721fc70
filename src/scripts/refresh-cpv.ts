// npm run refresh:cpv -- <source-file> --retrieved-from <owner/repo>@<commit>:<path> [--retrieved YYYY-MM-DD] [--out FILE]
//
// Rebuilds src/catalogue/cpv-2008.json, the CPV 2008 list (Regulation (EC) No 213/2008), from a
// copy of the list fetched by hand: no network here. Two forms are read, told apart by their first
// character:
//   - JSON, an object from "<8 digits>-<check digit>" to the English label, as openprocurement/standards
//     publishes it (classifiers/cpv/en.json), the source of the file as committed;
//   - XML, one element per code with a CODE="<8 digits>-<check digit>" attribute holding a
//     <TEXT LANG="EN"> label, the layout of the Publications Office's cpv_2008.xml (this path has
//     been run on samples only, not on the official file).
// Every code needs its check digit: a source without them (the OCA product_code_cpv data) cannot
// rebuild the file. The script refuses a source with a malformed or repeated code and writes the
// codes in code order, one per line. The "source" block of the existing file is kept, with
// retrievedFrom and retrieved replaced: revise its citation, confidence and note by hand when the
// new source differs. Then run npm test (test/cpv.test.ts pins the count and known codes).
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { level, type CpvTuple } from '../catalogue/cpv.js'

/** The "source" block of cpv-2008.json (its schema is Cpv2008FileSchema in src/catalogue/schema.ts). */
export interface CpvFileSource {
  citation: string
  url: string
  retrievedFrom: string
  retrieved: string
  confidence: 'confirmed' | 'secondary' | 'unconfirmed'
  note: string
}

/** How many codes the CPV 2008 list has; another count is reported, not refused. */
export const CPV_2008_CODE_COUNT = 9454

const FULL_CODE = /^(\d{8})-(\d)$/
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)))
    }
    return XML_ENTITIES[name] ?? whole
  })
}

/** The [code, check digit, label] of one source entry; throws on a malformed code or an empty label. */
function tuple(fullCode: string, rawLabel: string): CpvTuple {
  const match = FULL_CODE.exec(fullCode.trim())
  if (!match) throw new Error(`"${fullCode}" is not a CPV code with its check digit (8 digits, "-", 1 digit)`)
  const label = rawLabel.replace(/\s+/g, ' ').trim()
  if (!label) throw new Error(`${fullCode} has no English label`)
  return [match[1] as string, match[2] as string, label]
}

/** The codes of a source file's text, in source order. */
export function parseCpvSource(text: string): CpvTuple[] {
  const body = text.replace(/^\uFEFF/, '').trimStart()
  if (body.startsWith('{')) {
    const data: unknown = JSON.parse(body)
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('the JSON source is not an object')
    return Object.entries(data).map(([code, label]) => {
      if (typeof label !== 'string') throw new Error(`${code}: the label is not a string`)
      return tuple(code, label)
    })
  }
  if (body.startsWith('<')) {
    const codes: CpvTuple[] = []
    // The element is taken whole (to its own closing tag), then its English text within it.
    for (const element of body.matchAll(/<(\w+)\b[^>]*\bCODE="([^"]*)"[^>]*>([\s\S]*?)<\/\1>/g)) {
      const english = /<TEXT\b[^>]*\bLANG="EN"[^>]*>([^<]*)<\/TEXT>/i.exec(element[3] as string)
      if (!english) throw new Error(`${element[2]} has no <TEXT LANG="EN">`)
      codes.push(tuple(element[2] as string, decodeXml(english[1] as string)))
    }
    return codes
  }
  throw new Error('the source is neither JSON nor XML')
}

/** The codes in code order; throws on a code given twice. */
export function sortedCodes(codes: readonly CpvTuple[]): CpvTuple[] {
  const sorted = [...codes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  sorted.forEach((t, i) => {
    if (i > 0 && (sorted[i - 1] as CpvTuple)[0] === t[0]) throw new Error(`${t[0]} is given twice`)
  })
  return sorted
}

/** The text of cpv-2008.json: the source block indented, then one code per line (the file is kept out of Prettier). */
export function renderCpvFile(source: CpvFileSource, codes: readonly CpvTuple[]): string {
  const sourceText = JSON.stringify(source, null, 2).replace(/\n/g, '\n  ')
  return `{\n  "source": ${sourceText},\n  "codes": [\n${codes.map((t) => `    ${JSON.stringify(t)}`).join(',\n')}\n  ]\n}\n`
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'retrieved-from': { type: 'string' },
      retrieved: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      out: { type: 'string', default: 'src/catalogue/cpv-2008.json' }
    }
  })
  const [sourcePath] = positionals
  const retrievedFrom = values['retrieved-from']
  if (positionals.length !== 1 || !sourcePath || !retrievedFrom || !/^\d{4}-\d{2}-\d{2}$/.test(values.retrieved)) {
    process.stderr.write(
      'usage: npm run refresh:cpv -- <source-file> --retrieved-from <owner/repo>@<commit>:<path> [--retrieved YYYY-MM-DD] [--out FILE]\n'
    )
    process.exit(2)
  }
  const previous = JSON.parse(readFileSync(values.out, 'utf8')) as { source: CpvFileSource }
  const codes = sortedCodes(parseCpvSource(readFileSync(sourcePath, 'utf8')))
  const source: CpvFileSource = { ...previous.source, retrievedFrom, retrieved: values.retrieved }
  writeFileSync(values.out, renderCpvFile(source, codes))
  const divisions = codes.filter(([code]) => level(code) === 'division').length
  process.stdout.write(`${values.out}: ${codes.length} codes, ${divisions} divisions, from ${retrievedFrom}\n`)
  if (codes.length !== CPV_2008_CODE_COUNT) {
    process.stdout.write(`note: CPV 2008 has ${CPV_2008_CODE_COUNT} codes; check the source before committing\n`)
  }
  process.stdout.write('Review the note of the "source" block, then run npm test.\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
