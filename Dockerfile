# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, ship only the runtime ones, run as a non-root user.
#   stdio (default):  docker run -i --rm dspec
#   HTTP:             docker run --rm -p 3939:3939 -e DSPEC_HTTP_TOKEN=change-me dspec serve --http --host 0.0.0.0
# In a container the HTTP transport must bind 0.0.0.0 to be reachable; it refuses to start there without DSPEC_HTTP_TOKEN.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY prompts ./prompts
COPY ui-reference ./ui-reference
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json mcp.config.json README.md ./
COPY --chown=node:node prompts ./prompts
COPY --chown=node:node ui-reference ./ui-reference
USER node
WORKDIR /work
EXPOSE 3939
ENTRYPOINT ["node", "/app/dist/bin/dspec.js"]
CMD ["serve"]
