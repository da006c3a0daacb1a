import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileCache } from '../../src/cache/file-cache.js';
import { readIndex } from '../../src/cache/cache-index.js';
import { cachePathsOf, ENTRY_FILE_PATTERN, SHARD_PATTERN } from '../../src/cache/cache-paths.js';
import { verifyCacheEntry, verifyCacheEntryText } from '../../src/cache/verify-entry.js';
import { ABANDONED_CATEGORY } from '../../src/cost/abandoned-hold.js';
import { updateBudgets } from '../../src/cost/budgets.js';
import { createCostTracker } from '../../src/cost/create-cost-tracker.js';
import { Ledger, ledgerFileOf } from '../../src/cost/ledger.js';
import { readReservations } from '../../src/cost/reservations.js';
import { LedgerRecordSchema } from '../../src/shapes/ledger-record.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { randomScheduleForFile } from '../helpers/seeded-random.js';
import { buildCrashWorker } from './support/build-crash-worker.js';
import { BIN, baseEnv, ensureBuilt, reportFigures, sleep } from './support/built-server.js';

/**
 * SIGKILL at random instants while the cache, the ledger and an export are being written, then
 * check what a later reader finds: no corrupt cache entry is ever served, the ledger parses (a
 * torn last line is skipped and counted), and no file under its final name is half-written.
 *
 * Two kinds of victim: the built server in the middle of a storm of Tier 2 generations against
 * the fake Anthropic API (the whole path, real gate included) and of export_screen calls writing
 * to an outDir, and a worker bundled from src/
 * that loops over the same write paths without the gate in between, so that most kills land
 * inside a write. Exports are written both ways: by the server's export_screen with `outDir`,
 * and by the worker calling `writeExport` (src/screen/write-export.ts, what the tool writes with).
 */

const WORKER_KILLS = 50;
const SERVER_KILLS = 6;
const MODEL = 'claude-sonnet-4-6';

let home: string;
let exportRoot: string;
let worker: string;
let fake: FakeAnthropicServer;
const figures: Record<string, unknown> = {};
const children = new Set<ChildProcess>();
const temporaryDirs: string[] = [];
const schedule = randomScheduleForFile('sigkill-crash');
const workerStderr = new Map<ChildProcess, string>();

beforeAll(async () => {
  ensureBuilt();
  home = mkdtempSync(path.join(tmpdir(), 'dspec-crash-home-'));
  exportRoot = mkdtempSync(path.join(tmpdir(), 'dspec-crash-export-'));
  worker = await buildCrashWorker();
  temporaryDirs.push(home, exportRoot, path.dirname(worker));
  fake = await startFakeAnthropicServer();
  // A generous budget: reserve() then takes the budget lock and writes reservation files, so
  // kills also land while a lock or a reservation is held.
  await updateBudgets(home, { daily: 1_000_000 }, new Date());
});
afterAll(async () => {
  // Directories go only after every child has exited: a dying writer can still create files.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all([...children].map(waitForExit));
  await fake?.close();
  reportFigures('sigkill-crash', { seed: schedule.seed, ...figures });
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts the worker and resolves once its loop is about to begin. */
function startWorker(mode: string, iterations?: number): Promise<ChildProcess> {
  const env = { ...process.env, DSPEC_CRASH_SEED: String(schedule.below(2 ** 31)) };
  const child = spawn(process.execPath, [worker, home, exportRoot, mode, ...(iterations ? [String(iterations)] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    workerStderr.set(child, stderr);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before starting: ${stderr}`)));
  });
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** What a reader finds after the crashes; every check is an assertion, the counts are figures. */
async function inspectAfterCrashes() {
  // Cache: every key the index names or a file carries is either served verified or a miss.
  const paths = cachePathsOf(home);
  const keys = new Set<string>();
  for (const key of (await readIndex(paths.index))?.records.keys() ?? []) keys.add(key);
  let tornEntryFiles = 0;
  for (const shard of existsSync(paths.root) ? readdirSync(paths.root).filter((name) => SHARD_PATTERN.test(name)) : []) {
    for (const name of readdirSync(path.join(paths.root, shard))) {
      if (!ENTRY_FILE_PATTERN.test(name)) continue;
      const key = name.slice(0, 64);
      keys.add(key);
      if (!verifyCacheEntryText(readFileSync(path.join(paths.root, shard, name), 'utf8'), key).ok) tornEntryFiles++;
    }
  }
  const cache = createFileCache({ home });
  let served = 0;
  let misses = 0;
  for (const key of keys) {
    const entry = await cache.get(key);
    if (entry === undefined) {
      misses++;
      continue;
    }
    served++;
    expect(entry.key).toBe(key);
    expect(verifyCacheEntry(structuredClone(entry), key).ok, `served entry ${key} does not verify`).toBe(true);
  }
  const stats = await cache.stats();

  // Ledger: parses; the only damage allowed is torn lines, skipped and counted.
  const ledger = new Ledger(ledgerFileOf(home));
  const ids = new Set<string>();
  let records = 0;
  const scan = await ledger.scan((record) => {
    records++;
    expect(LedgerRecordSchema.safeParse(record).success, `ledger line ${record.id} is not a record`).toBe(true);
    expect(ids.has(record.id)).toBe(false);
    ids.add(record.id);
  });

  // Export: a file under its final name is whole; temp files are dot-named `.tmp` leftovers.
  let exportFiles = 0;
  let tempFiles = 0;
  for (const file of filesUnder(path.join(exportRoot, 'src/screens'))) {
    const name = path.basename(file);
    if (name.startsWith('.') && name.endsWith('.tmp')) {
      tempFiles++;
      continue;
    }
    exportFiles++;
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    expect(newline, `${file} has no checksum line`).toBe(64);
    expect(sha(text.slice(newline + 1)), `${file} is torn`).toBe(text.slice(0, newline));
  }
  const cacheTemps = filesUnder(paths.root).filter((file) => path.basename(file).endsWith('.tmp')).length;

  return { keys: keys.size, served, misses, tornEntryFiles, quarantined: stats.quarantined, ledger: { records, ...scan }, exportFiles, tempFiles, cacheTemps };
}

describe('SIGKILL during writes', () => {
  it(`kills a worker on the cache, ledger and export write paths ${WORKER_KILLS} times at random instants`, async () => {
    schedule.reportSeedOnFailure();
    const delays: number[] = [];
    for (let kill = 0; kill < WORKER_KILLS; kill++) {
      const child = await startWorker('all');
      const delay = schedule.below(250);
      delays.push(delay);
      await sleep(delay);
      child.kill('SIGKILL');
      expect((await waitForExit(child)).signal).toBe('SIGKILL');
      children.delete(child);
    }
    const found = await inspectAfterCrashes();
    figures.worker = { kills: WORKER_KILLS, delaysMs: { min: Math.min(...delays), max: Math.max(...delays) }, ...found };
    expect(found.tornEntryFiles).toBe(0);
    expect(found.served).toBeGreaterThan(0);
    expect(found.ledger.records).toBeGreaterThan(0);
    expect(found.ledger.corruptLines).toBeLessThanOrEqual(WORKER_KILLS);
    expect(found.exportFiles).toBeGreaterThan(0);
  }, 600_000);

  it('recovers after the kills: a worker run to completion appends, stores and exports normally', async () => {
    const abandonedIds = async () => {
      const ids: string[] = [];
      const scanned = await new Ledger(ledgerFileOf(home)).scan((record) => {
        if (record.errorCategory === ABANDONED_CATEGORY) ids.push(record.id);
      });
      return { scanned, ids };
    };
    const before = await abandonedIds();
    const ledgerBefore = before.scanned;
    // Holds of killed workers (dead pids) still on disk: the next reserve charges each as an abandoned line (abandoned-hold.ts).
    const lapsedBefore = (await readReservations(home, new Date())).lapsed.map((hold) => hold.id);
    const child = await startWorker('all', 5);
    expect(await waitForExit(child), workerStderr.get(child)).toEqual({ code: 0, signal: null });
    const after = await abandonedIds();
    const ledgerAfter = after.scanned;
    // The ledger is append-only: what this run charged follows what was there.
    const chargedNow = after.ids.slice(before.ids.length);
    expect(chargedNow.sort()).toEqual([...lapsedBefore].sort());
    // A torn tail from the last kill becomes one corrupt line; the 5 new lines and the abandoned ones all parse.
    expect(ledgerAfter.lines - ledgerAfter.corruptLines).toBe(ledgerBefore.lines - ledgerBefore.corruptLines + 5 + lapsedBefore.length);
    expect(ledgerAfter.pendingTailBytes).toBe(0);
    // Reservations of killed workers are charged and removed: nothing stays held.
    const status = await createCostTracker({ home }).budgetStatus();
    expect(status.limits[0]!.reserved).toBe(0);
    figures.recovery = { ledgerLinesBefore: ledgerBefore.lines, ledgerLinesAfter: ledgerAfter.lines, tornTailBeforeBytes: ledgerBefore.pendingTailBytes, reservedAfter: status.limits[0]!.reserved };
  }, 300_000);

  it(`kills the built server ${SERVER_KILLS} times while Tier 2 generations and export_screen writes are in flight`, async () => {
    schedule.reportSeedOnFailure();
    const serverHome = path.join(home, 'server');
    mkdirSync(serverHome, { recursive: true });
    const ledgerFile = path.join(serverHome, '.dspec', 'costs.jsonl');
    const indexFile = cachePathsOf(path.join(serverHome, '.dspec')).index;
    const exportDir = path.join(serverHome, EXPORT_DIR);
    mkdirSync(exportDir, { recursive: true });
    const killedAt: Array<{ trigger: string; cacheIndexLines: number; generationsAnswered: number; exportsAnswered: number }> = [];
    for (let run = 0; run < SERVER_KILLS; run++) {
      fake.reset();
      for (let i = 0; i < 200; i++) fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
      const { client, pid } = await connectServer(serverHome, { DSPEC_MAX_CONCURRENT_CALLS: '64', DSPEC_LOG_LEVEL: 'error' });
      const indexAtStart = countLines(indexFile);
      let generated = 0;
      let exported = 0;
      let killed = false;
      const storm = Array.from({ length: 15 }, (_, i) =>
        client
          .callTool({ name: 'generate_component', arguments: { name: 'StatCard', description: `Crash run ${run}, card ${i}: one key figure with its label.`, theme: STAT_CARD_THEME } }, undefined, {
            timeout: 60_000,
          })
          .then(
            () => void generated++,
            () => undefined,
          ),
      );
      // Exports one after another into one folder, each with a new heading: every one rewrites the screen file.
      const exports = (async () => {
        for (let i = 0; !killed; i++) {
          await client.callTool({ name: 'export_screen', arguments: { screen: exportScreen(`${run}-${i}`), outDir: EXPORT_DIR, overwrite: true } }, undefined, { timeout: 60_000 }).then(
            () => void exported++,
            () => undefined,
          );
        }
      })();
      // Odd runs: kill at a random instant once the gate is warm and cache entries are being
      // written. Even runs: kill the moment an export temp file appears (inotify), i.e. inside
      // writeFileAtomic, between the temp file and its rename, as near as one can aim.
      const deadline = Date.now() + 30_000;
      let delayMs = -1;
      if (run % 2 === 1) {
        while (countLines(indexFile) === indexAtStart && Date.now() < deadline) await sleep(1);
        delayMs = schedule.below(400);
        await sleep(delayMs);
      } else {
        await new Promise<void>((resolve) => {
          const watcher = watch(exportDir, (_event, name) => {
            if (name && name.startsWith('.') && name.endsWith('.tmp')) {
              process.kill(pid, 'SIGKILL');
              watcher.close();
              resolve();
            }
          });
          const timer = setTimeout(() => (watcher.close(), resolve()), 30_000);
          timer.unref();
        });
      }
      killedAt.push({
        trigger: run % 2 === 1 ? `random ${delayMs} ms` : 'export temp file',
        cacheIndexLines: countLines(indexFile) - indexAtStart,
        generationsAnswered: generated,
        exportsAnswered: exported,
      });
      killed = true;
      process.kill(pid, 'SIGKILL');
      await Promise.all([...storm, exports]);
      await client.close().catch(() => undefined);
    }

    // Every cache entry the killed servers left is served verified or missed, never corrupt.
    const cache = createFileCache({ home: path.join(serverHome, '.dspec') });
    const { entries } = await cache.list({ limit: 10_000 });
    for (const record of entries) {
      const entry = await cache.get(record.key);
      if (entry) expect(verifyCacheEntry(structuredClone(entry), record.key).ok, `served entry ${record.key} does not verify`).toBe(true);
    }
    const scan = await new Ledger(ledgerFile).scan((record) => expect(LedgerRecordSchema.safeParse(record).success, `ledger line ${record.id} is not a record`).toBe(true));

    // A fresh server on the same home answers a repeat from the cache with a valid component…
    fake.reset();
    fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const { client } = await connectServer(serverHome, {});
    const result = await client.callTool(
      { name: 'generate_component', arguments: { name: 'StatCard', description: 'Crash run 0, card 0: one key figure with its label.', theme: STAT_CARD_THEME } },
      undefined,
      { timeout: 60_000 },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();

    // …and every export file under its final name equals that file in one complete export: the
    // heading in the screen file names its variant, which is exported again inline to compare.
    const exportFiles = filesUnder(path.join(serverHome, EXPORT_DIR));
    const finalFiles = exportFiles.filter((file) => !path.basename(file).endsWith('.tmp'));
    const screenFile = finalFiles.find((file) => /Crash\.tsx$/.test(file));
    expect(screenFile).toBeDefined();
    const variants = new Map<string, Map<string, string>>();
    const inlineExport = async (variant: string) => {
      if (!variants.has(variant)) {
        const inline = await client.callTool({ name: 'export_screen', arguments: { screen: exportScreen(variant) } }, undefined, { timeout: 60_000 });
        const files = (inline.structuredContent as { files: Array<{ path: string; contents?: string }> }).files;
        variants.set(variant, new Map(files.map((file) => [file.path, file.contents ?? ''])));
      }
      return variants.get(variant)!;
    };
    for (const file of finalFiles) {
      const relative = path.relative(path.join(serverHome, EXPORT_DIR), file).split(path.sep).join('/');
      const text = readFileSync(file, 'utf8');
      const variant = /Crash v(\d+-\d+)/.exec(text)?.[1] ?? /Crash v(\d+-\d+)/.exec(readFileSync(screenFile!, 'utf8'))![1]!;
      expect(text, `${relative} is not a complete export file`).toBe((await inlineExport(variant)).get(relative));
    }
    await client.close();

    figures.server = {
      kills: SERVER_KILLS,
      atKill: killedAt,
      cacheEntries: entries.length,
      ledger: scan,
      repeatAfterCrash: (result.structuredContent as { cacheHit?: boolean }).cacheHit ? 'cache hit' : 'regenerated',
      exportFilesFinal: finalFiles.length,
      exportTempFilesLeft: exportFiles.length - finalFiles.length,
      exportVariantsCompared: variants.size,
    };
  }, 900_000);
});

const EXPORT_DIR = 'src/screens/crash';

/** A catalog-only screen whose heading names its variant, so each export rewrites the screen file. */
function exportScreen(variant: string) {
  return {
    id: 'crash',
    name: 'Crash',
    layout: 'single-column',
    components: [
      { type: 'Heading', props: { level: 1 }, children: [`Crash v${variant}`] },
      { type: 'Card', children: [{ type: 'Text', children: [`Variant ${variant} of the crash screen.`] }] },
      { type: 'Button', children: ['Go'] },
      { type: 'Badge', children: ['new'] },
      { type: 'Input', props: { label: 'Name' } },
    ],
  };
}

async function connectServer(cwd: string, extraEnv: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve'],
    cwd,
    env: baseEnv(cwd, { ANTHROPIC_API_KEY: 'sk-ant-crash-test', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: MODEL, ...extraEnv }),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'crash', version: '1.0.0' });
  client.onerror = () => undefined;
  await client.connect(transport);
  return { client, pid: transport.pid! };
}

function countLines(file: string): number {
  try {
    const text = readFileSync(file, 'utf8');
    let count = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    return count;
  } catch {
    return 0;
  }
}
