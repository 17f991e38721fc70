# syntax=docker/dockerfile:1
# Procurement Route Advisor: multi-stage image.
# Stage 1 compiles TypeScript with the full dependency tree; stage 2 carries only the
# compiled output and production dependencies, and runs as the unprivileged `node` user.

# ---- build -------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Dependency layer first so it is cached while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# tsc -p tsconfig.build.json -> dist/, the catalogue data files to dist/src/catalogue/ (with its
# procedures/ folder, one file per procedure; checked against their schemas, recorded in .checked),
# then dist/src/server.js bundled by esbuild (scripts/bundle.mjs). The bundle still loads the
# SQLite build, the drivers and the Swagger UI's pages from node_modules (production dependencies).
RUN npm run build

# ---- runtime -----------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Production dependencies only; no lifecycle scripts are needed at run time.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Compiled code and the catalogue data (read at start from dist/src/catalogue/) stay
# root-owned, so the service cannot rewrite its own code or legal data.
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000

# Probe liveness, not readiness: readiness answers 503 while the service sheds load or drains
# after SIGTERM, and neither means the container is broken and should be restarted. Slim images
# have no curl: use Node's built-in fetch.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Exec form, no shell wrapper: node is PID 1 and receives SIGTERM from `docker stop` directly;
# src/server.ts handles SIGTERM itself (SHUTDOWN_DRAIN_MS of draining, then a graceful close
# within SHUTDOWN_GRACE_MS). `docker stop` sends SIGKILL after 10 s by default; with the
# defaults (5 s + 10 s) give it more, e.g. `docker stop --time 20`.
CMD ["node", "dist/src/server.js"]
