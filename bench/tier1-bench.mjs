// Tier 1 generate_component: median latency in-process (without props; with a props transform,
// whose gate verdict is then memoised; with distinct props every run, so the gate really runs)
// and over stdio through the real SDK client against the built bin.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, printTable, round, timeRuns } from './stats.mjs';

const dist = process.env.DSPEC_BENCH_DIST ?? path.resolve('dist');

export async function runTier1Bench({ runs = 50 } = {}) {
  const { routeComponentRequest } = await import(path.join(dist, 'generation/pipeline/route-component-request.js'));
  const { loadConfig } = await import(path.join(dist, 'infra/config.js'));
  const { createSilentLogger } = await import(path.join(dist, 'infra/logger.js'));
  const context = { config: loadConfig({ cwd: process.cwd(), env: {} }), cwd: process.cwd(), logger: createSilentLogger() };
  const call = (args) => routeComponentRequest({ format: 'tsx', ...args }, context);

  const plain = median(await timeRuns(() => call({ name: 'Button' }), { runs, warmup: 5 }));
  const withProps = median(await timeRuns(() => call({ name: 'Button', props: { variant: 'secondary', size: 'lg' } }), { runs, warmup: 3 }));
  let counter = 0;
  const distinctProps = median(await timeRuns(() => call({ name: 'Button', props: { label: `Save ${counter++}` } }), { runs: 20, warmup: 2 }));

  const transport = new StdioClientTransport({ command: process.execPath, args: [path.resolve('dist/bin/dspec.js')], stderr: 'ignore', env: { ...process.env, DSPEC_LOG_LEVEL: 'warn' } });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const overStdio = median(await timeRuns(() => client.callTool({ name: 'generate_component', arguments: { name: 'Button' } }), { runs, warmup: 5 }));
  const overStdioProps = median(await timeRuns(() => client.callTool({ name: 'generate_component', arguments: { name: 'Button', props: { variant: 'secondary' } } }), { runs, warmup: 3 }));
  await client.close();

  const result = {
    inProcessMs: { noProps: round(plain, 2), propsTransform: round(withProps, 2), distinctPropsEachRun: round(distinctProps, 1) },
    overStdioMs: { noProps: round(overStdio, 2), propsTransform: round(overStdioProps, 2) },
    targets: { noPropsMs: 5, propsTransformMs: 20 },
  };
  result.pass = result.inProcessMs.noProps <= 5 && result.inProcessMs.propsTransform <= 20;
  printTable('Tier 1 generate_component (median ms)', [
    { case: 'in-process, no props', ms: result.inProcessMs.noProps, target: '≤ 5' },
    { case: 'in-process, props transform (same props: gate verdict memoised)', ms: result.inProcessMs.propsTransform, target: '≤ 20' },
    { case: 'in-process, different props every run (gate runs)', ms: result.inProcessMs.distinctPropsEachRun, target: '-' },
    { case: 'over stdio, no props', ms: result.overStdioMs.noProps, target: '-' },
    { case: 'over stdio, props transform', ms: result.overStdioMs.propsTransform, target: '-' },
  ]);
  return result;
}
