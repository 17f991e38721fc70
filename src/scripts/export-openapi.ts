// npm run openapi: writes openapi/openapi.json. The test suite fails when the committed file
// differs from what the app generates.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateOpenApi } from '../openapi.js'

const path = fileURLToPath(new URL('../../../openapi/openapi.json', import.meta.url))
writeFileSync(path, await generateOpenApi())
process.stdout.write(`wrote ${path}\n`)
