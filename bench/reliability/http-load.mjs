// HTTP load on the built server: autocannon against stateless Streamable HTTP (POST /mcp), each
// request a complete `tools/call` (no initialize needed: see docs/reliability.md).
import autocannon from 'autocannon';
import { MCP_HEADERS, callTool, startHttpServer, toolCallBody } from './server-process.mjs';

const DURATION_S = Number(process.env.RELIABILITY_DURATION_S ?? 30);
const CONNECTIONS = Number(process.env.RELIABILITY_CONNECTIONS ?? 10);

const TARGETS = {
  cache_stats: { minRequestsPerSecond: 500, maxP99Ms: 50 },
};

async function loadOne(server, label, tool, args) {
  let toolErrors = 0;
  let busy = 0;
  const result = await autocannon({
    url: server.mcpUrl,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: MCP_HEADERS,
    body: toolCallBody(tool, args),
    requests: [
      {
        method: 'POST',
        headers: MCP_HEADERS,
        body: toolCallBody(tool, args),
        // A 200 can still carry a tool error: count those too.
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"isError":true')) {
            toolErrors++;
            if (body.includes('BUSY')) busy++;
          }
        },
      },
    ],
  });
  return {
    label,
    tool,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    httpErrors: result.errors + result.non2xx,
    timeouts: result.timeouts,
    toolErrors,
    busyAnswers: busy,
  };
}

export async function runHttpLoad() {
  // Above the connection count, so the Tier 1 run measures the tool and not the busy limit.
  const server = await startHttpServer({ DSPEC_MAX_CONCURRENT_CALLS: String(CONNECTIONS * 2) });
  try {
    for (let i = 0; i < 20; i++) {
      await callTool(server.mcpUrl, 'cache_stats', {});
      await callTool(server.mcpUrl, 'generate_component', { name: 'Button' });
    }
    const rssBeforeMb = await server.settledRssMb();
    const runs = [];
    for (const [label, tool, args] of [
      ['cache_stats', 'cache_stats', {}],
      ['Tier 1 generate_component Button', 'generate_component', { name: 'Button' }],
    ]) {
      const run = await loadOne(server, label, tool, args);
      run.rssAtEndMb = server.rssMb();
      runs.push(run);
      console.log(`${label}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.httpErrors} HTTP errors, ${run.toolErrors} tool errors`);
    }
    for (let i = 0; i < 5; i++) await callTool(server.mcpUrl, 'cache_stats', {});
    const rssAfterMb = await server.settledRssMb();
    const [cache, tier1] = runs;
    if (!cache || !tier1) throw new Error(`expected a cache_stats run and a Tier 1 run, got ${runs.length} run(s)`);
    const target = TARGETS.cache_stats;
    const pass =
      cache.requestsPerSecond >= target.minRequestsPerSecond &&
      cache.p99Ms < target.maxP99Ms &&
      cache.httpErrors === 0 &&
      cache.toolErrors === 0 &&
      tier1.httpErrors === 0 &&
      tier1.toolErrors === 0 &&
      rssAfterMb - rssBeforeMb < 60;
    return { runs, rssBeforeMb, rssAfterMb, rssGrowthMb: rssAfterMb - rssBeforeMb, targets: TARGETS, pass };
  } finally {
    await server.stop();
  }
}
