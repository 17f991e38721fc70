// Entry point: main.ts (loadConfig -> buildApp -> listen; graceful shutdown). `npm run build`
// replaces dist/src/server.js with a bundle of main.js and all it imports (scripts/bundle.mjs):
// one file loads several times faster than the ~1,500 modules behind it. Built by tsc alone
// (`npm test`), this file is what runs.
import './main.js'
