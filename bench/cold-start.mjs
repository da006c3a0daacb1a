// Server cold start: spawn → tools/list answered over stdio with the real SDK client, dspec vs
// the reference @modelcontextprotocol/server-everything, alternating runs in one process. Two more
// rows are the floor of any server on the MCP SDK, one per SDK generation (v1
// @modelcontextprotocol/sdk, v2 @modelcontextprotocol/server, which dspec stands on): one tool,
// bundled and minified as dspec is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, printTable, round } from './stats.mjs';

const SERVERS = {
  dspec: [path.resolve('dist/bin/dspec.js')],
  'server-everything': [path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
};
/**
 * dspec compiles its chunks through V8's code cache (src/startup/load-chunks.ts): the bench keeps
 * that cache in a folder of its own, filled by the warm-up start as a user's first start fills
 * theirs, and shows a start without it (a first start ever, or DSPEC_COMPILE_CACHE=off) beside it.
 */
const DSPEC_FIRST_START = 'dspec, first start';

const FLOOR_V1_ENTRY = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as z from 'zod';
const server = new McpServer({ name: 'floor', version: '1.0.0' });
server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() }, outputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { text } }));
await server.connect(new StdioServerTransport());`;

// SDK v2 serves both protocol generations from a factory, as dspec's stdio transport does.
const FLOOR_V2_ENTRY = `import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';
serveStdio(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text.', inputSchema: z.object({ text: z.string() }), outputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { text } }));
  return server;
}, { legacy: 'serve' });`;

/**
 * The SDK v2 server imports its JSON Schema validator (an inlined ajv, built at import) for
 * elicitation answers; dspec's bundle loads it on first use (scripts/build.mjs), and so does the
 * v2 floor, or the floor would carry a cost no server needs to pay and stop being a floor.
 */
const sdkValidatorOnFirstUse = {
  name: 'sdk-validator-on-first-use',
  setup(builder) {
    const sdkShims = createRequire(path.resolve('package.json')).resolve('@modelcontextprotocol/server/_shims');
    builder.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: 'validator-on-first-use', namespace: 'floor' }));
    // Required at run time from node_modules, not bundled: that is the point.
    builder.onResolve({ filter: /shimsNode\.cjs$/ }, (args) => (args.path === sdkShims ? { path: sdkShims, external: true } : undefined));
    builder.onLoad({ filter: /^validator-on-first-use$/, namespace: 'floor' }, () => ({
      loader: 'js',
      contents: `export { default as process } from 'node:process';
        export class DefaultJsonSchemaValidator {
          constructor(...args) { this._args = args; }
          getValidator(schema) {
            this._inner ??= new (require(${JSON.stringify(sdkShims)}).DefaultJsonSchemaValidator)(...this._args);
            return this._inner.getValidator(schema);
          }
        }`,
    }));
  },
};

/**
 * The smallest stdio server an SDK allows (McpServer, zod, one tool), as one minified ES module.
 * @param {string} directory where to write it
 * @param {'v1' | 'v2'} generation SDK v1 (@modelcontextprotocol/sdk) or v2 (@modelcontextprotocol/server)
 * @returns {Promise<[floorScript: string]>} the floor server's arguments to node
 */
async function buildSdkFloor(directory, generation) {
  const entry = path.join(directory, `floor-${generation}-entry.mjs`);
  writeFileSync(entry, generation === 'v1' ? FLOOR_V1_ENTRY : FLOOR_V2_ENTRY);
  const outfile = path.join(directory, `floor-${generation}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'error',
    nodePaths: [path.resolve('node_modules')],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: generation === 'v2' ? [sdkValidatorOnFirstUse] : [],
  });
  return [outfile];
}

function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`/proc/${pid}/status has no VmRSS line: the server process may have exited`);
  return Number(kilobytes) / 1024;
}

/**
 * Spawns a server and asks for its tools with the real SDK client. `answered` is when the
 * tools/list response reaches the client's transport (the server's part); `resolved` is when
 * `listTools()` returns, which adds the client's own work (it compiles a validator for every
 * tool's output schema), reported for transparency.
 */
async function startAndList({ args, env = {} }) {
  const start = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore', env: { ...process.env, DSPEC_LOG_LEVEL: 'warn', ...env } });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  let answered;
  const deliver = transport.onmessage;
  transport.onmessage = (message) => {
    if (answered === undefined && 'result' in message && message.result.tools) answered = performance.now() - start;
    deliver?.(message);
  };
  await client.listTools();
  const resolved = performance.now() - start;
  // Let the process settle after answering before reading its resident memory.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rss = rssMegabytes(transport.pid);
  await client.close();
  return { elapsed: answered ?? resolved, resolved, rss };
}

const FLOOR_V1 = 'SDK v1 floor';
const FLOOR_V2 = 'SDK v2 floor';

export async function runColdStartBench({ runs = 15 } = {}) {
  const floorDirectory = mkdtempSync(path.join(tmpdir(), 'dspec-bench-floor-'));
  const compileCache = path.join(floorDirectory, 'compile-cache');
  const servers = {
    dspec: { args: SERVERS.dspec, env: { DSPEC_COMPILE_CACHE: compileCache } },
    'server-everything': { args: SERVERS['server-everything'] },
    [FLOOR_V1]: { args: await buildSdkFloor(floorDirectory, 'v1') },
    [FLOOR_V2]: { args: await buildSdkFloor(floorDirectory, 'v2') },
    [DSPEC_FIRST_START]: { args: SERVERS.dspec, env: { DSPEC_COMPILE_CACHE: 'off' } },
  };
  const names = Object.keys(servers);
  /** @type {() => Record<string, number[]>} one empty list of milliseconds (or MB) per server */
  const perServer = () => Object.fromEntries(names.map((name) => [name, []]));
  const samples = perServer();
  const resolvedSamples = perServer();
  const rss = perServer();
  // The machine's load moves every figure: it is reported with them.
  const loadAverageAtStart = os.loadavg()[0];
  for (const name of names) await startAndList(servers[name]); // warm the OS file cache
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const result = await startAndList(servers[name]);
      samples[name]?.push(result.elapsed);
      resolvedSamples[name]?.push(result.resolved);
      rss[name]?.push(result.rss);
    }
  }
  const dspecMs = median(samples.dspec);
  const everythingMs = median(samples['server-everything']);
  const floorV1Ms = median(samples[FLOOR_V1]);
  const floorV2Ms = median(samples[FLOOR_V2]);
  const firstStartMs = median(samples[DSPEC_FIRST_START]);
  const result = {
    runs,
    loadAverage: { start: round(loadAverageAtStart, 1), end: round(os.loadavg()[0], 1) },
    dspecMedianMs: round(dspecMs),
    serverEverythingMedianMs: round(everythingMs),
    ratio: round(dspecMs / everythingMs, 2),
    ratioTarget: 0.55,
    ratioAim: 0.5,
    listToolsResolvedMs: { dspec: round(median(resolvedSamples.dspec)), serverEverything: round(median(resolvedSamples['server-everything'])) },
    dspecIdleRssMb: round(median(rss.dspec)),
    serverEverythingIdleRssMb: round(median(rss['server-everything'])),
    rssTargetMb: 80,
    // What a one-tool server on each SDK takes: no server on it can start faster than this.
    // sdkFloor* is the SDK v1 floor (the name it had before SDK v2); dspec stands on v2.
    sdkFloorMedianMs: round(floorV1Ms),
    sdkFloorRatio: round(floorV1Ms / everythingMs, 2),
    sdkV2FloorMedianMs: round(floorV2Ms),
    sdkV2FloorRatio: round(floorV2Ms / everythingMs, 2),
    dspecAboveFloorMs: { sdkV1: round(dspecMs - floorV1Ms), sdkV2: round(dspecMs - floorV2Ms) },
    // Without the code cache: the first start after an install (or a Node upgrade), or with DSPEC_COMPILE_CACHE=off.
    dspecFirstStartMedianMs: round(firstStartMs),
    dspecFirstStartRatio: round(firstStartMs / everythingMs, 2),
  };
  result.pass = result.ratio <= result.ratioTarget && result.dspecIdleRssMb <= result.rssTargetMb;
  rmSync(floorDirectory, { recursive: true, force: true });
  const row = (server, name) => ({
    server,
    'answered ms': round(median(samples[name])),
    'listTools() resolved ms': round(median(resolvedSamples[name])),
    'idle RSS MB': round(median(rss[name])),
  });
  printTable('Cold start: spawn → tools/list answered over stdio, real SDK client (median)', [
    row('dspec', 'dspec'),
    row('server-everything', 'server-everything'),
    row('SDK v1 floor (1 tool, bundled)', FLOOR_V1),
    row('SDK v2 floor (1 tool, bundled)', FLOOR_V2),
    row('dspec, first start (no code cache yet)', DSPEC_FIRST_START),
  ]);
  console.log(
    `ratio dspec/server-everything = ${result.ratio} (target ≤ ${result.ratioTarget}, aim ${result.ratioAim}); SDK floor/server-everything = ${result.sdkFloorRatio} (v1), ${result.sdkV2FloorRatio} (v2); ` +
      `dspec − floor = ${result.dspecAboveFloorMs.sdkV1} ms (v1), ${result.dspecAboveFloorMs.sdkV2} ms (v2); first start ${result.dspecFirstStartRatio}; idle RSS ${result.dspecIdleRssMb} MB (target ≤ ${result.rssTargetMb}); load average ${result.loadAverage.start} → ${result.loadAverage.end}`,
  );
  return result;
}
