// Bench teamToolsList: stateless `tools/list` through the round-robin proxy to three built
// replicas, against one replica answered directly, with autocannon's concurrent connections.
// Each request is complete on its own (no session, no initialize): the 2026-07-28 `_meta`
// envelope and headers when the built server answers `server/discover`, else the bare request a
// 2025 server accepts in stateless mode. The proxy and the request shapes are the team test's own
// (test/team/round-robin-proxy.ts, test/team/stateless-requests.ts), compiled here by esbuild.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist/bin/dspec.js');
const REPLICAS = 3;
const DURATION_S = Number(process.env.TEAM_BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.TEAM_BENCH_CONNECTIONS ?? 32);
const TARGET_REQUESTS_PER_SECOND = 500;

/** The test proxy and request builder as one ESM file in `directory`. */
async function loadTeamHelpers(directory) {
  const outfile = path.join(directory, 'team-helpers.mjs');
  await esbuild.build({
    stdin: {
      contents: "export * from './test/team/round-robin-proxy.ts'; export * from './test/team/stateless-requests.ts'; export * from './test/team/deploy-nginx.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  return { helpers: await import(pathToFileURL(outfile).href), bundle: outfile };
}

/**
 * The proxy in a process of its own, as nginx would be: in the bench's process it would share
 * one event loop with autocannon and measure that instead. SIGTERM makes it print its counts.
 */
async function startProxyProcess(bundle, upstreams) {
  const script = `import { startRoundRobinProxy } from ${JSON.stringify(pathToFileURL(bundle).href)};
const proxy = await startRoundRobinProxy({ upstreams: process.argv.slice(1) });
process.stdout.write(JSON.stringify({ url: proxy.url }) + '\\n');
process.once('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ answeredBy: Object.fromEntries(proxy.answeredBy()) }) + '\\n');
  void proxy.close().then(() => process.exit(0));
});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...upstreams], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let buffered = '';
  let notify = () => {};
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      lines.push(JSON.parse(buffered.slice(0, end)));
      buffered = buffered.slice(end + 1);
      notify();
    }
  });
  const nextLine = (index) =>
    new Promise((resolve, reject) => {
      const check = () => (lines[index] ? resolve(lines[index]) : child.exitCode !== null ? reject(new Error(`the proxy process exited with ${child.exitCode}`)) : undefined);
      notify = check;
      child.once('exit', check);
      check();
    });
  const { url } = await nextLine(0);
  return {
    url,
    /** Stops the proxy; resolves with the requests each upstream answered. */
    async stop() {
      child.kill('SIGTERM');
      const { answeredBy } = await nextLine(1);
      return answeredBy;
    },
  };
}

/** `dspec serve --http` on a free port, with the arguments serveArgsOfBuiltServer chose. */
async function startReplica(cwd, serveArgs) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, DSPEC_HOME: path.join(cwd, '.dspec'), DSPEC_LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [BIN, ...serveArgs, '--port', '0'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica: no ready banner within 60 s:\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}:\n${stderr}`)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /"mcpUrl":"(http:\/\/[^"/]+)\/mcp"/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    origin,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : (child.once('exit', () => resolve(undefined)), child.kill('SIGTERM')))),
  };
}

async function serveArgsOfBuiltServer() {
  const help = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--help'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`dspec serve --help exited with ${code}`))));
  });
  // Sessions are opt-in (`--sessions`) since SDK v2; before that, `--stateless` asks for no sessions.
  return /--sessions\b/.test(help) || !/--stateless\b/.test(help) ? ['serve', '--http'] : ['serve', '--http', '--stateless'];
}

/** One autocannon run of `tools/list` against `mcpUrl`; a 200 without a tool list counts as an error. */
async function load(mcpUrl, request, label) {
  let wrongAnswers = 0;
  const result = await autocannon({
    url: mcpUrl,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"tools"')) wrongAnswers++;
        },
      },
    ],
  });
  const run = {
    label,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // autocannon counts timeouts among its errors.
    httpErrors: result.errors + result.non2xx,
    httpErrorKinds: { connection: result.errors - result.timeouts, non2xx: result.non2xx, timeouts: result.timeouts },
    wrongAnswers,
  };
  console.log(
    `${label}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.httpErrors} HTTP errors ${JSON.stringify(run.httpErrorKinds)}, ${wrongAnswers} answers without tools`,
  );
  return run;
}

export async function runTeamToolsListBench() {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-bench-team-'));
  const replicas = [];
  let proxy;
  let nginx;
  try {
    const { helpers, bundle } = await loadTeamHelpers(directory);
    const { detectEra, statelessRequest, postRpc, nginxInstalled, startDeployNginx } = helpers;
    const serveArgs = await serveArgsOfBuiltServer();
    for (let i = 0; i < REPLICAS; i++) replicas.push(await startReplica(directory, serveArgs));
    proxy = await startProxyProcess(
      bundle,
      replicas.map((replica) => replica.origin),
    );
    const era = await detectEra(`${proxy.url}/mcp`);
    const request = statelessRequest(era, 'tools/list');
    // Warm every replica (and check the answer) before measuring.
    for (let i = 0; i < 10 * REPLICAS; i++) {
      const { status, body } = await postRpc(`${proxy.url}/mcp`, era, 'tools/list');
      if (status !== 200 || !Array.isArray(body?.result?.tools)) throw new Error(`tools/list through the proxy answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    }
    console.log(`\nteamToolsList (${era === '2026-07-28' ? 'MCP 2026-07-28 _meta envelope' : '2025 stateless requests, no initialize: the built server does not answer server/discover'})`);
    const [first] = replicas;
    if (!first) throw new Error('no replica started');
    const direct = await load(`${first.origin}/mcp`, request, 'one replica, direct');
    const proxied = await load(`${proxy.url}/mcp`, request, `proxy → ${REPLICAS} replicas`);
    const stopping = proxy;
    proxy = undefined;
    // Including the warm-up requests (10 each).
    const answeredBy = Object.values(await stopping.stop());
    const ratio = Math.round((proxied.requestsPerSecond / direct.requestsPerSecond) * 100) / 100;
    console.log(`node proxy/direct ${ratio}×; per replica ${answeredBy.join(' / ')}`);
    // deploy/nginx.conf itself, where Debian's nginx is installed: the proxy the deployment runs.
    let viaNginx;
    if (nginxInstalled()) {
      nginx = await startDeployNginx(
        replicas.map((replica) => replica.origin),
        path.join(ROOT, 'deploy/nginx.conf'),
      );
      const run = await load(`${nginx.url}/mcp`, request, `nginx (deploy/nginx.conf) → ${REPLICAS} replicas`);
      viaNginx = { ...run, overDirect: Math.round((run.requestsPerSecond / direct.requestsPerSecond) * 100) / 100, answeredByReplica: [...nginx.answeredBy().values()] };
      console.log(`nginx/direct ${viaNginx.overDirect}×; per replica ${viaNginx.answeredByReplica.join(' / ')}`);
    }
    const best = Math.max(proxied.requestsPerSecond, viaNginx?.requestsPerSecond ?? 0);
    console.log(`target ≥ ${TARGET_REQUESTS_PER_SECOND} req/s through a proxy; load average ${loadavg()[0]?.toFixed(1)}`);
    const clean = (run) => run.httpErrors === 0 && run.wrongAnswers === 0;
    const pass = best >= TARGET_REQUESTS_PER_SECOND && clean(proxied) && clean(direct) && (!viaNginx || clean(viaNginx));
    return {
      era,
      loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      replicas: REPLICAS,
      direct,
      proxied,
      proxyOverDirect: ratio,
      answeredByReplica: answeredBy,
      viaNginx,
      target: { minRequestsPerSecond: TARGET_REQUESTS_PER_SECOND },
      pass,
    };
  } finally {
    await proxy?.stop();
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runTeamToolsListBench();
  if (!result.pass) process.exitCode = 1;
}
