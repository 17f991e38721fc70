// Loads the catalogue data files once at start: read.ts reads each file and checks it against its
// schema, invariants.ts checks what spans entries and files, compile.ts builds what the engine
// needs. Any fault throws a CatalogueError naming the file and the JSON pointer of the fault.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileCatalogue, type Catalogue } from './compile.js'
import { checkInvariants } from './invariants.js'
import { readCatalogueFiles } from './read.js'

export { CatalogueError } from './error.js'
export { thresholdsOn, type Catalogue, type CpvList, type CpvRange } from './compile.js'
export type { CpvCheck, CpvEntry, CpvIndex, CpvLevel } from './cpv.js'

/** The data files are beside the loader: src/catalogue/ under the tests, dist/src/catalogue/ when built. */
export const CATALOGUE_DIR = dirname(fileURLToPath(import.meta.url))

export function loadCatalogue(dir: string = CATALOGUE_DIR): Catalogue {
  const files = readCatalogueFiles(dir)
  checkInvariants(files)
  return compileCatalogue(files)
}
