# syntax=docker/dockerfile:1
# Mascot's production image (issue 20). Three stages:
#   build      installs everything and runs `npm run build` (widget, explorer, Console, server → server/dist)
#   prod-deps  installs the server's production dependencies only
#   runtime    Node on Debian slim, tini as PID 1, a non-root user, the build output and production dependencies;
#              no sources, no TypeScript, no tsx: `node server/dist/main.js`.
# CI cannot build images (no Docker engine on our machines); server/src/app/built-server.int.test.ts runs the same
# build output with plain `node` instead. See deploy/README.md.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Studio's Electron binary is a download Mascot's server never needs.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 CI=true
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build
# Every workspace manifest, and nothing else, for the prod-deps stage (npm ci needs all of them to read the lock file).
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './server/dist/*' -print0 \
    | tar --null -cf - -T - | tar -xf - -C /manifests

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=build /manifests/ ./
COPY --from=build /app/package-lock.json ./
# Production dependencies of the server workspace (and of the workspace packages it uses). npm's allowScripts
# (package.json) keeps dependency install scripts off; sharp and argon2 ship prebuilt binaries as packages.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspace server --include-workspace-root=false --no-audit --no-fund \
 # The root node_modules links @mascot/* to workspace sources the image does not ship; server/dist carries their
 # compiled copies in server/dist/node_modules/@mascot, which Node finds first.
 && rm -rf node_modules/@mascot \
 && mkdir -p server/node_modules

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    MASCOT_DATA_DIR=/var/lib/mascot \
    NODE_OPTIONS=--enable-source-maps \
    # V8's compiled modules, kept for the next start of the container (/tmp is writable; the root is not).
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/server/node_modules ./server/node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/server/package.json ./server/package.json
COPY --from=build /app/server/dist ./server/dist
COPY --from=build /app/server/explorer/dist ./server/explorer/dist
COPY --from=build /app/server/console/dist ./server/console/dist
COPY --from=build /app/widget/dist ./widget/dist
# The only place Mascot writes (the embedded database and generated local secrets when no DATABASE_URL and
# MASCOT_JWT_SECRET are given): a volume, so the root file system can be read-only. Files every instance must
# see (avatars, uploads) live in PostgreSQL or S3, not here.
RUN mkdir -p /var/lib/mascot && chown node:node /var/lib/mascot
VOLUME ["/var/lib/mascot"]
# The `node` user of the official image (uid 1000), numeric so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini reaps zombies and forwards SIGTERM to Node, which drains (MASCOT_SHUTDOWN_GRACE_MS) and exits 0.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server/dist/main.js"]
