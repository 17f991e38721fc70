// Run by the build (`npm run build:data`) on the data files it copied into dist/: checks them all
// against their schemas and records that it did (catalogue/read.ts, CHECKED_FILE), so the server
// does not check them again at each start unless they or the schemas change. A fault fails the build.
import { CATALOGUE_DIR } from '../catalogue/load.js'
import { recordChecked } from '../catalogue/read.js'

recordChecked(CATALOGUE_DIR)
