// Server cold start: spawn → tools/list answered over stdio with the real SDK client, dspec vs
// the reference @modelcontextprotocol/server-everything, alternating runs in one process. A third
// row is the floor of any server on the MCP SDK: one tool, bundled and minified as dspec is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * The smallest stdio server the SDK allows (McpServer, zod, one tool), as one minified ES module.
 * @returns {Promise<[floorScript: string]>} the floor server's arguments to node
 */
async function buildSdkFloor() {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-bench-floor-'));
  const entry = path.join(directory, 'floor-entry.mjs');
  writeFileSync(
    entry,
    `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
    import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
    import * as z from 'zod';
    const server = new McpServer({ name: 'floor', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() }, outputSchema: { text: z.string() } },
      async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { text } }));
    await server.connect(new StdioServerTransport());`,
  );
  const outfile = path.join(directory, 'floor.mjs');
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
async function startAndList(args) {
  const start = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore', env: { ...process.env, DSPEC_LOG_LEVEL: 'warn' } });
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

export async function runColdStartBench({ runs = 15 } = {}) {
  const floor = await buildSdkFloor();
  const servers = { ...SERVERS, 'SDK floor': floor };
  const samples = { dspec: [], 'server-everything': [], 'SDK floor': [] };
  const resolvedSamples = { dspec: [], 'server-everything': [], 'SDK floor': [] };
  const rss = { dspec: [], 'server-everything': [], 'SDK floor': [] };
  for (const name of Object.keys(servers)) await startAndList(servers[name]); // warm the OS file cache
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(servers)) {
      const result = await startAndList(servers[name]);
      samples[name].push(result.elapsed);
      resolvedSamples[name].push(result.resolved);
      rss[name].push(result.rss);
    }
  }
  const dspecMs = median(samples.dspec);
  const everythingMs = median(samples['server-everything']);
  const result = {
    runs,
    dspecMedianMs: round(dspecMs),
    serverEverythingMedianMs: round(everythingMs),
    ratio: round(dspecMs / everythingMs, 2),
    ratioTarget: 0.8,
    ratioAim: 0.5,
    listToolsResolvedMs: { dspec: round(median(resolvedSamples.dspec)), serverEverything: round(median(resolvedSamples['server-everything'])) },
    dspecIdleRssMb: round(median(rss.dspec)),
    serverEverythingIdleRssMb: round(median(rss['server-everything'])),
    rssTargetMb: 80,
    // What a one-tool server on the same SDK takes: no server on it can start faster than this.
    sdkFloorMedianMs: round(median(samples['SDK floor'])),
    sdkFloorRatio: round(median(samples['SDK floor']) / everythingMs, 2),
  };
  result.pass = result.ratio <= result.ratioTarget && result.dspecIdleRssMb <= result.rssTargetMb;
  rmSync(path.dirname(floor[0]), { recursive: true, force: true });
  printTable('Cold start: spawn → tools/list answered over stdio, real SDK client (median)', [
    { server: 'dspec', 'answered ms': result.dspecMedianMs, 'listTools() resolved ms': result.listToolsResolvedMs.dspec, 'idle RSS MB': result.dspecIdleRssMb },
    {
      server: 'server-everything',
      'answered ms': result.serverEverythingMedianMs,
      'listTools() resolved ms': result.listToolsResolvedMs.serverEverything,
      'idle RSS MB': result.serverEverythingIdleRssMb,
    },
    {
      server: 'SDK floor (1 tool, bundled)',
      'answered ms': result.sdkFloorMedianMs,
      'listTools() resolved ms': round(median(resolvedSamples['SDK floor'])),
      'idle RSS MB': round(median(rss['SDK floor'])),
    },
  ]);
  console.log(
    `ratio dspec/server-everything = ${result.ratio} (target ≤ ${result.ratioTarget}, aim ${result.ratioAim}); SDK floor/server-everything = ${result.sdkFloorRatio}; idle RSS ${result.dspecIdleRssMb} MB (target ≤ ${result.rssTargetMb})`,
  );
  return result;
}
