// First launch as a new user's MCP host does it: `npx -y …` with an empty npm cache, spawn →
// tools/list answered, dspec from its packed tarball vs @modelcontextprotocol/server-everything
// from the registry, alternating in one run; then the warm start (same cache, installed).
// Also measures what npx left in the cache for each: its `_npx/<hash>/` folder as `du -sb` counts
// it and every package in it (bench/npx-install-size.mjs).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { measureNpxInstall, npxInstallFolder } from './npx-install-size.mjs';
import { median, printTable, round } from './stats.mjs';

const run = promisify(execFile);
const TARGETS = { packages: 40, installedMb: 40, firstLaunchRatio: 1.5, warmRatio: 0.8 };
// Installing over the network can be slow; a host's 60 s limit is what the ratio is about.
const REQUEST_TIMEOUT_MS = 300_000;

async function packDspec() {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-bench-pack-'));
  // dist/ is already built by `npm run bench`; skip prepack's second build.
  await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', directory], { timeout: 120_000 });
  const tarball = readdirSync(directory).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no .tgz into ${directory}`);
  return path.join(directory, tarball);
}

/** Spawns `npx` as a host does (or `node <bin>` for an installed copy) and times spawn → tools/list answered. */
async function launch({ args, cwd, cache, command = 'npx' }) {
  const start = performance.now();
  const transport = new StdioClientTransport({
    command,
    args,
    cwd,
    stderr: 'ignore',
    env: {
      ...process.env,
      npm_config_cache: cache,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      DSPEC_LOG_LEVEL: 'warn',
      // A new user has no compiled code cached either: dspec's code cache lives beside this launch's npm cache.
      DSPEC_COMPILE_CACHE: path.join(cache, 'dspec-compile-cache'),
    },
  });
  const client = new Client({ name: 'bench-first-launch', version: '1' });
  let answered;
  await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  const deliver = transport.onmessage;
  transport.onmessage = (message) => {
    if (answered === undefined && 'result' in message && message.result.tools) answered = performance.now() - start;
    deliver?.(message);
  };
  await client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
  const elapsed = answered ?? performance.now() - start;
  await client.close();
  return elapsed;
}

/** The installed package's bin file, as `node <file>` runs it. */
function installedBin(cache, packageName) {
  const directory = path.join(npxInstallFolder(cache), 'node_modules', packageName);
  const { bin } = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8'));
  return path.join(directory, typeof bin === 'string' ? bin : Object.values(bin)[0]);
}

/** What npx left for one package: MB as `du -sb` counts the install folder, the package count, and (with `list`) their names. */
function installed(cache, list = false) {
  const { megabytes, packages } = measureNpxInstall(cache);
  return { packages: packages.length, megabytes, ...(list ? { names: packages } : {}) };
}

export async function runFirstLaunchBench({ runs = 3, warmRuns = 15 } = {}) {
  const tarball = await packDspec();
  const everythingVersion = JSON.parse(readFileSync('node_modules/@modelcontextprotocol/server-everything/package.json', 'utf8')).version;
  const servers = {
    // The README's command for the packed tarball, the tarball beside the user.
    dspec: (cwd) => {
      copyFileSync(tarball, path.join(cwd, path.basename(tarball)));
      return ['-y', `--package=./${path.basename(tarball)}`, 'dspec'];
    },
    'server-everything': () => ['-y', `@modelcontextprotocol/server-everything@${everythingVersion}`, 'stdio'],
  };
  const packageNames = { dspec: 'dspec', 'server-everything': '@modelcontextprotocol/server-everything' };
  const serverArgs = { dspec: [], 'server-everything': ['stdio'] };
  const first = { dspec: [], 'server-everything': [] };
  // Second `npx` launch: npx re-extracts a local tarball every time (a registry package is
  // reused from its cache), so for dspec this is an upper bound until it is published.
  const npxAgain = { dspec: [], 'server-everything': [] };
  // The installed copy started directly (`npm install -g` + "command": "dspec"): the warm start.
  // One start takes ~0.4 s and varies by tens of ms on a shared machine, so it gets its own
  // series: `warmRuns` alternating starts of the first run's installs, after one start each to warm up.
  const warm = { dspec: [], 'server-everything': [] };
  const kept = {};
  const sizes = {};
  try {
    for (let i = 0; i < runs; i++) {
      for (const name of Object.keys(servers)) {
        const cwd = mkdtempSync(path.join(tmpdir(), 'first-launch-user-'));
        const cache = mkdtempSync(path.join(tmpdir(), 'first-launch-npm-cache-'));
        const keep = kept[name] === undefined;
        if (keep) kept[name] = { cwd, cache };
        try {
          const args = servers[name](cwd);
          first[name].push(await launch({ args, cwd, cache }));
          npxAgain[name].push(await launch({ args, cwd, cache }));
          sizes[name] ??= installed(cache, name === 'dspec');
        } finally {
          if (!keep) {
            rmSync(cwd, { recursive: true, force: true });
            rmSync(cache, { recursive: true, force: true });
          }
        }
      }
    }
    const startInstalled = (name) =>
      launch({ command: process.execPath, args: [installedBin(kept[name].cache, packageNames[name]), ...serverArgs[name]], cwd: kept[name].cwd, cache: kept[name].cache });
    for (const name of Object.keys(servers)) await startInstalled(name);
    for (let i = 0; i < warmRuns; i++) for (const name of Object.keys(servers)) warm[name].push(await startInstalled(name));
  } finally {
    for (const { cwd, cache } of Object.values(kept)) {
      rmSync(cwd, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }
  rmSync(path.dirname(tarball), { recursive: true, force: true });
  const firstMs = { dspec: median(first.dspec), everything: median(first['server-everything']) };
  const warmMs = { dspec: median(warm.dspec), everything: median(warm['server-everything']) };
  const againMs = { dspec: median(npxAgain.dspec), everything: median(npxAgain['server-everything']) };
  const result = {
    runs,
    warmRuns,
    serverEverythingVersion: everythingVersion,
    firstLaunchMs: { dspec: round(firstMs.dspec), serverEverything: round(firstMs.everything) },
    warmLaunchMs: { dspec: round(warmMs.dspec), serverEverything: round(warmMs.everything) },
    warmSamplesMs: { dspec: warm.dspec.map(Math.round), serverEverything: warm['server-everything'].map(Math.round) },
    secondNpxLaunchMs: { dspec: round(againMs.dspec), serverEverything: round(againMs.everything) },
    firstLaunchRatio: round(firstMs.dspec / firstMs.everything, 2),
    warmRatio: round(warmMs.dspec / warmMs.everything, 2),
    installed: { dspec: sizes.dspec, serverEverything: sizes['server-everything'] },
    targets: TARGETS,
  };
  result.pass =
    result.installed.dspec.packages <= TARGETS.packages &&
    result.installed.dspec.megabytes <= TARGETS.installedMb &&
    result.firstLaunchRatio <= TARGETS.firstLaunchRatio &&
    result.warmRatio <= TARGETS.warmRatio;
  printTable('First launch: `npx -y …` with an empty npm cache, spawn → tools/list answered (median)', [
    {
      server: 'dspec (packed tarball)',
      'first npx ms': result.firstLaunchMs.dspec,
      'second npx ms': result.secondNpxLaunchMs.dspec,
      'installed, warm ms': result.warmLaunchMs.dspec,
      packages: sizes.dspec.packages,
      'installed MB': sizes.dspec.megabytes,
    },
    {
      server: `server-everything ${everythingVersion}`,
      'first npx ms': result.firstLaunchMs.serverEverything,
      'second npx ms': result.secondNpxLaunchMs.serverEverything,
      'installed, warm ms': result.warmLaunchMs.serverEverything,
      packages: sizes['server-everything'].packages,
      'installed MB': sizes['server-everything'].megabytes,
    },
  ]);
  console.log(
    `first launch ratio ${result.firstLaunchRatio} (target ≤ ${TARGETS.firstLaunchRatio}); warm ratio ${result.warmRatio} (target ≤ ${TARGETS.warmRatio}); ` +
      `dspec installs ${sizes.dspec.packages} packages, ${sizes.dspec.megabytes} MB in the npx cache (_npx/<hash>, du -sb; targets ≤ ${TARGETS.packages}, ≤ ${TARGETS.installedMb} MB)`,
  );
  return result;
}
