# syntax=docker/dockerfile:1
# One image, three programs: dockerhub (the CLI), dockerhub-mcp (the MCP server; the default, over HTTP)
# and dockerhub-agent (the A2A agent with the web chat). Built from a clean checkout:
#   docker build -t dockerhub-api .
# Run:  docker run --rm -p 8080:8080 -e MCP_AUTH_TOKEN=… -e DOCKER_HUB_USER=… -e DOCKER_HUB_TOKEN=… dockerhub-api
#       docker run --rm dockerhub-api dockerhub inspect nginx:latest
# See docs/deployment.md.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The image's Node is Node 24: the `node` dev dependency (a Node binary for other machines) is not needed,
# and no install script is run.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/.bin/node
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# Listen on every interface of the container; the MCP server then accepts only these Host names
# (DNS-rebinding protection): right for `docker run -p 127.0.0.1:8080:8080`, widened by compose.yaml.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    MCP_ALLOWED_HOSTS=localhost,127.0.0.1 \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/specs ./specs
COPY --from=build /src/web ./web
COPY --from=build /src/LICENSE ./LICENSE
RUN ln -s /app/dist/bin/dockerhub.js /usr/local/bin/dockerhub \
 && ln -s /app/dist/bin/dockerhub-mcp.js /usr/local/bin/dockerhub-mcp \
 && ln -s /app/dist/bin/dockerhub-agent.js /usr/local/bin/dockerhub-agent
# Not root; the Docker login, if mounted, goes to /home/node/.docker.
USER node
EXPOSE 8080 8090 8000 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The MCP server over streamable HTTP, fail-closed: it refuses to start without MCP_AUTH_TOKEN (or OAuth).
CMD ["dockerhub-mcp", "--transport", "http", "--port", "8080"]
