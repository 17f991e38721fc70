// The one error the catalogue loader throws: which data file is at fault and where in it, so the
// person editing the law can find the fault without reading code.

export class CatalogueError extends Error {
  override name = 'CatalogueError'
  constructor(
    /** The file's path relative to the catalogue folder, e.g. "rules.json" or "procedures/open-tender.json". */
    readonly file: string,
    /** The JSON pointer of the fault in that file; "" for the file as a whole. */
    readonly pointer: string,
    detail: string
  ) {
    super(`Catalogue file ${file} is invalid at ${pointer || '/'}: ${detail}`)
  }
}

/** Throws a CatalogueError; typed `never` so that a check reads as a guard. */
export function fail(file: string, pointer: string, detail: string): never {
  throw new CatalogueError(file, pointer, detail)
}
