// Server cold start: spawn → tools/list answered over stdio with the real SDK client, dspec vs
// the reference @modelcontextprotocol/server-everything, alternating runs in one process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, printTable, round } from './stats.mjs';

const SERVERS = {
  dspec: [path.resolve('dist/bin/dspec.js')],
  'server-everything': [path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
};

function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
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
    if (answered === undefined && message?.result?.tools) answered = performance.now() - start;
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
  const samples = { dspec: [], 'server-everything': [] };
  const resolvedSamples = { dspec: [], 'server-everything': [] };
  const rss = { dspec: [], 'server-everything': [] };
  for (const name of Object.keys(SERVERS)) await startAndList(SERVERS[name]); // warm the OS file cache
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(SERVERS)) {
      const result = await startAndList(SERVERS[name]);
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
    ratioTarget: 0.5,
    listToolsResolvedMs: { dspec: round(median(resolvedSamples.dspec)), serverEverything: round(median(resolvedSamples['server-everything'])) },
    dspecIdleRssMb: round(median(rss.dspec)),
    serverEverythingIdleRssMb: round(median(rss['server-everything'])),
    rssTargetMb: 80,
  };
  result.pass = result.ratio <= result.ratioTarget && result.dspecIdleRssMb <= result.rssTargetMb;
  printTable('Cold start: spawn → tools/list answered over stdio, real SDK client (median)', [
    { server: 'dspec', 'answered ms': result.dspecMedianMs, 'listTools() resolved ms': result.listToolsResolvedMs.dspec, 'idle RSS MB': result.dspecIdleRssMb },
    { server: 'server-everything', 'answered ms': result.serverEverythingMedianMs, 'listTools() resolved ms': result.listToolsResolvedMs.serverEverything, 'idle RSS MB': result.serverEverythingIdleRssMb },
  ]);
  console.log(`ratio dspec/server-everything = ${result.ratio} (target ≤ ${result.ratioTarget}); idle RSS ${result.dspecIdleRssMb} MB (target ≤ ${result.rssTargetMb})`);
  return result;
}
