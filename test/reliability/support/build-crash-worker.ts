import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Bundles the real write paths from src/ (cache, cost tracker and ledger, atomic export writer)
 * into one ESM file with a worker loop around them, so a child `node` process runs exactly the
 * code under test and can be killed at any instant.
 */
export async function buildCrashWorker(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dspec-crash-worker-'));
  const entry = path.join(dir, 'entry.ts');
  const from = (file: string) => JSON.stringify(path.join(ROOT, file));
  writeFileSync(
    entry,
    `import { createHash, randomBytes } from 'node:crypto';
import { FileCache } from ${from('src/cache/file-cache.ts')};
import { cacheKeyOf, hashBundle } from ${from('src/cache/canonical-json.ts')};
import { BundleSchema } from ${from('src/shapes/bundle.ts')};
import { createCostTracker } from ${from('src/cost/create-cost-tracker.ts')};
import { writeExport } from ${from('src/screen/write-export.ts')};

const [home, root, mode, iterationsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? Infinity);
const cache = new FileCache({ home });
const tracker = createCostTracker({ home });
const sha = (text) => createHash('sha256').update(text).digest('hex');
// Sizes come from the seed the test hands over (DSPEC_CRASH_SEED), so a failing schedule replays.
let state = Number(process.env.DSPEC_CRASH_SEED ?? 1) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Text whose first line is the SHA-256 of the rest: a torn copy cannot pass for whole. */
function selfChecking(bytes) {
  const body = randomBytes(Math.ceil(bytes / 2)).toString('hex');
  return sha(body) + '\\n' + body;
}

async function writeCacheEntry(i) {
  const component = 'CrashCard';
  const keyMaterial = { kind: 'crash-test', writer: process.pid, i, salt: randomBytes(4).toString('hex') };
  const key = cacheKeyOf(keyMaterial);
  // 20–400 KB of source: big enough that a kill often lands inside the write.
  const value = BundleSchema.parse({ name: component, files: [{ path: component + '.tsx', contents: '// ' + selfChecking(20_000 + Math.floor(random() * 380_000)) + '\\nexport function CrashCard() { return null; }\\n' }] });
  const createdAt = new Date().toISOString();
  await cache.set({
    key, component, keyMaterial, value,
    provenance: { specHash: 's', promptId: 'component-generation', promptVersion: 'v1', promptHash: 'p', provider: 'anthropic', model: 'claude-sonnet-4-6',
      generationHash: hashBundle(value), cacheKey: key, timestamp: createdAt, dspecVersion: '0.1.0', attempts: 1, validatorVersion: '1', catalogVersion: '1', themeHash: null },
    usage: { inputTokens: 1200, outputTokens: 900, cacheWriteTokens: 0, cacheReadTokens: 0 }, cost: 0.0171, createdAt,
  });
}

async function appendLedger(i) {
  const reservation = await tracker.reserve({ operation: 'generate_component', component: 'CrashCard', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 1200, maxOutputTokens: 900 });
  await tracker.record({ operation: 'generate_component', component: 'CrashCard', provider: 'anthropic', model: 'claude-sonnet-4-6', requestId: 'req_' + process.pid + '_' + i,
    attempt: 1, retry: 0, outcome: 'success', inputTokens: 1200, outputTokens: 900, cacheWriteTokens: 0, cacheReadTokens: 0, cacheHit: false, costSaved: 0, promptVersion: 'v1' }, reservation);
}

async function writeScreenExport() {
  const files = [
    { path: 'Dashboard.tsx', contents: selfChecking(2_000 + Math.floor(random() * 200_000)) },
    { path: 'Dashboard.module.css', contents: selfChecking(1_000 + Math.floor(random() * 20_000)) },
    { path: 'theme.css', contents: selfChecking(1_000 + Math.floor(random() * 50_000)) },
    { path: 'index.ts', contents: selfChecking(500) },
    { path: 'components/StatCard/StatCard.tsx', contents: selfChecking(2_000 + Math.floor(random() * 100_000)) },
    { path: 'components/StatCard/StatCard.module.css', contents: selfChecking(1_000) },
    { path: 'components/StatCard/index.ts', contents: selfChecking(300) },
    { path: 'package.fragment.json', contents: selfChecking(400) },
  ];
  await writeExport(files, { root, outDir: 'src/screens/dashboard', overwrite: true });
}

process.stdout.write('ready\\n');
for (let i = 0; i < iterations; i++) {
  const work = [];
  if (mode === 'all' || mode === 'cache') work.push(writeCacheEntry(i));
  if (mode === 'all' || mode === 'ledger') work.push(appendLedger(i));
  if (mode === 'all' || mode === 'export') work.push(writeScreenExport());
  await Promise.all(work);
}
`,
  );
  const outfile = path.join(dir, 'crash-worker.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    external: ['typescript', 'eslint', 'stylelint'],
    // CommonJS dependencies (proper-lockfile) require Node built-ins, which an ESM bundle has no `require` for.
    banner: { js: "import { createRequire as __workerCreateRequire } from 'node:module'; const require = __workerCreateRequire(import.meta.url);" },
  });
  return outfile;
}
