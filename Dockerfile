# ReplayLab — Hugging Face Space (Docker SDK), listening on 7860.
# Build stage: compile better-sqlite3 (no prebuilt download is reachable from every builder)
# and the TypeScript; the runtime stage gets only what runs.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# scripts off: `prepare` would build before the sources are copied; native modules rebuilt below
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && rm -rf server tests .ci .git tsconfig*.json vitest.config.ts drizzle.config.ts

FROM node:20-slim
ENV NODE_ENV=production PORT=7860 HOST=0.0.0.0 DATA_DIR=/app/data
WORKDIR /app
# dist, node_modules, taxonomy, views, public, scenarios, runs, drizzle migrations, bin
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
# the node image's built-in user has uid 1000, which is what Spaces run as
USER node
EXPOSE 7860
CMD ["node", "dist/server/main.js"]
