# syntax=docker/dockerfile:1
# Multi-stage: build and pack with dev dependencies, then install the packed tarball (the same
# self-contained package npm users get: bundled dist/ plus its few runtime dependencies) and
# run as a non-root user.
#   stdio (default):  docker run -i --rm dspec
#   HTTP:             docker run --rm -p 3939:3939 -e DSPEC_HTTP_TOKEN=change-me dspec serve --http --host 0.0.0.0
# In a container the HTTP transport must bind 0.0.0.0 to be reachable; it refuses to start there without DSPEC_HTTP_TOKEN.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json README.md mcp.config.json ./
COPY scripts ./scripts
COPY src ./src
COPY prompts ./prompts
COPY ui-reference ./ui-reference
RUN npm run build && mkdir /pack && npm pack --ignore-scripts --pack-destination /pack && mv /pack/dspec-*.tgz /pack/dspec.tgz

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
COPY --from=build /pack/dspec.tgz /tmp/dspec.tgz
RUN npm install --global --no-audit --no-fund /tmp/dspec.tgz && rm /tmp/dspec.tgz && npm cache clean --force \
  && mkdir /work && chown node:node /work
USER node
WORKDIR /work
EXPOSE 3939
ENTRYPOINT ["dspec"]
CMD ["serve"]
