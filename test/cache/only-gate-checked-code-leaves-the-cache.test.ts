import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/run-command.js';
import type { CacheEntry } from '../../src/cache/cache-entry.js';
import { cachePathsOf, entryFileOf } from '../../src/cache/cache-paths.js';
import { cacheKeyOf, hashBundle } from '../../src/cache/canonical-json.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { verifyCacheEntryText } from '../../src/cache/verify-entry.js';
import { cacheImportCommand, cacheVerifyCommand } from '../../src/cli/commands/cache.js';
import { ProviderUnavailableError } from '../../src/errors.js';
import { forgetGateVerdicts, gateAdmission } from '../../src/generation/pipeline/cached-entry-gate.js';
import { generateTier2Component, type ValidateFunction } from '../../src/generation/pipeline/generate-component.js';
import { toBundle, type GeneratedComponent } from '../../src/generation/pipeline/model-answer.js';
import { BundleSchema } from '../../src/shapes/bundle.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from '../generation/fixtures/stat-card.mjs';
import { ScriptedProvider, toolAnswer, usage } from '../generation/scripted-provider.js';
import { harness, STAT_CARD_REQUEST, stubValidate } from '../generation/support.js';
import { tempHome } from './entry-fixture.js';
import { statCardEntryOf } from './stat-card-entry.mjs';

/** What an attacker (or a bad merge) writes into a committed cache: a hard-coded colour and an external url(). */
const TAMPERED_STYLES = (styles: string) => styles.replace('color: var(--color-text);', 'color: #ff0044;\n  background-image: url(https://tracker.example/pixel.png);');

/** Rewrites an entry file's stylesheet and recomputes its hashes, so it agrees with itself again. */
function tamperOnDisk(file: string): void {
  const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  const value = BundleSchema.parse({ ...entry.value, files: entry.value.files.map((f) => (f.path.endsWith('.module.css') ? { ...f, contents: TAMPERED_STYLES(f.contents) } : f)) });
  writeFileSync(file, JSON.stringify({ ...entry, value, provenance: { ...entry.provenance, generationHash: hashBundle(value) } }));
}

/** A StatCard entry the cache verifies, with the given answer. */
function statCardEntry(output: GeneratedComponent, seed: string): CacheEntry {
  return statCardEntryOf({ cacheKeyOf, hashBundle, toBundle, BundleSchema }, { keyMaterial: { kind: 'dspec/tier2-component', seed }, output, createdAt: '2026-11-20T10:00:00.000Z' });
}

const TAMPERED_OUTPUT = { ...VALID_STAT_CARD_OUTPUT, styles: TAMPERED_STYLES(VALID_STAT_CARD_OUTPUT.styles) } as GeneratedComponent;

beforeEach(() => forgetGateVerdicts());

describe('only gate-checked code leaves the cache', () => {
  it('an entry edited on disk with recomputed hashes (hard-coded colour, external url()) is not served: it is quarantined with the findings and counts as a miss', async () => {
    const home = tempHome();
    const provider = new ScriptedProvider('anthropic', 'claude-test', [() => toolAnswer(VALID_STAT_CARD_OUTPUT, usage(1000, 500))]);
    const h = harness([provider], { validate: 'real' });
    const first = await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, cache: new FileCache({ home }) });
    expect(first.provenance.gateFingerprint).toBe(h.deps.gateFingerprint);

    const file = entryFileOf(cachePathsOf(home).root, first.cacheKey);
    tamperOnDisk(file);
    expect(verifyCacheEntryText(readFileSync(file, 'utf8'), first.cacheKey).ok).toBe(true); // it agrees with itself

    // A new process (fresh memory, no verdicts) asks for it in cache-only mode: no hit, and no call either.
    forgetGateVerdicts();
    const cache = new FileCache({ home });
    const error = await generateTier2Component({ ...STAT_CARD_REQUEST, cacheOnly: true }, { ...h.deps, cache }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(provider.calls).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
    const quarantined = readdirSync(cachePathsOf(home).quarantine);
    const reason = readFileSync(
      path.join(
        cachePathsOf(home).quarantine,
        quarantined.find((name) => name.endsWith('.reason.txt'))!,
      ),
      'utf8',
    );
    expect(reason).toMatch(/fails the validation gate/);
    expect(reason).toContain('#ff0044');
    expect(reason).toContain('tracker.example');
    expect((await cache.stats()).process.memoryEntries).toBe(0);
  }, 240_000);

  it('runs the gate once per process for an entry read from disk; later reads are memoised, and memory holds only verified entries', async () => {
    const home = tempHome();
    let gateRuns = 0;
    const counting: ValidateFunction = async (bundle, options) => {
      gateRuns++;
      return stubValidate(bundle, options);
    };
    const provider = new ScriptedProvider('anthropic', 'claude-test', [() => toolAnswer(VALID_STAT_CARD_OUTPUT, usage(1000, 500))]);
    const h = harness([provider], { validate: counting });
    const writer = new FileCache({ home });
    const made = await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, cache: writer });
    expect(gateRuns).toBe(1); // the answer itself
    expect((await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, cache: writer })).cacheHit).toBe(true);
    expect(gateRuns).toBe(1); // served from memory: the writer validated it

    const reader = new FileCache({ home });
    expect((await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, cache: reader })).cacheHit).toBe(true);
    expect(gateRuns).toBe(2); // first read from disk in this "process": judged
    const another = new FileCache({ home });
    expect((await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, cache: another })).cacheHit).toBe(true);
    expect(gateRuns).toBe(2); // verdict memoised by (entry, gate fingerprint)
    // Another gate (new rules or tools) gives another key: the old entry is not even looked at.
    await expect(generateTier2Component({ ...STAT_CARD_REQUEST, cacheOnly: true }, { ...h.deps, cache: another, gateFingerprint: 'another-gate' })).rejects.toBeInstanceOf(ProviderUnavailableError);

    // A read without a judge is served to its caller but never enters memory.
    const unjudged = new FileCache({ home });
    expect(await unjudged.get(made.cacheKey)).toMatchObject({ key: made.cacheKey });
    expect((await unjudged.stats()).process.memoryEntries).toBe(0);
  });

  it('`dspec cache import` runs every entry through the gate before it lands', async () => {
    const source = new FileCache({ home: tempHome() });
    const good = statCardEntry(VALID_STAT_CARD_OUTPUT, 'good');
    const bad = statCardEntry(TAMPERED_OUTPUT, 'bad');
    await source.set(good);
    await source.set(bad);
    const archive = path.join(tempHome(), 'cache.tar.gz');
    await source.exportArchive(archive);

    const cwd = tempHome('dspec-cli-');
    const result = await runCaptured(cacheImportCommand, [archive], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/imported 1, already present 0, skipped 1/);
    expect(result.stdout).toMatch(new RegExp(`skipped ${bad.key.slice(0, 2)}/${bad.key}\\.json: the bundle fails the validation gate`));
    const target = new FileCache({ home: path.join(cwd, '.dspec') });
    expect(await target.get(good.key)).toMatchObject({ key: good.key });
    expect(await target.get(bad.key)).toBeUndefined();
  }, 240_000);

  it('`dspec cache verify` re-checks a whole cache: a summary, exit 1 on any failure, --fix quarantines', async () => {
    const cwd = tempHome('dspec-cli-');
    const cache = new FileCache({ home: path.join(cwd, '.dspec') });
    const good = statCardEntry(VALID_STAT_CARD_OUTPUT, 'good');
    const bad = statCardEntry(TAMPERED_OUTPUT, 'bad');
    await cache.set(good);
    await cache.set(bad);

    const check = await runCaptured(cacheVerifyCommand, [], cwd);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/verified 2 entries: 1 passed, 1 failed/);
    expect(check.stdout).toContain(`failed ${bad.key.slice(0, 12)}… (StatCard): the bundle fails the validation gate`);
    expect(existsSync(entryFileOf(cache.paths.root, bad.key))).toBe(true); // without --fix nothing moves

    const fixed = await runCaptured(cacheVerifyCommand, ['--fix', '--json'], cwd);
    expect(fixed.code).toBe(1);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ checked: 2, passed: 1, quarantined: 1, failed: [{ key: bad.key, component: 'StatCard' }] });
    expect(existsSync(entryFileOf(cache.paths.root, bad.key))).toBe(false);

    const clean = await runCaptured(cacheVerifyCommand, [], cwd);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toMatch(/verified 1 entry: 1 passed, 0 failed/);
  }, 240_000);

  it('the admission judges with the theme the entry was made for, and a different fingerprint is a different verdict', async () => {
    const seen: Array<ReadonlySet<string> | undefined> = [];
    const spy: ValidateFunction = async (bundle, options) => {
      seen.push(options.themeVariables);
      return stubValidate(bundle, options);
    };
    const entry = statCardEntry(INVALID_STAT_CARD_OUTPUT, 'theme');
    const theme = new Set(['--color-text']);
    expect(await gateAdmission({ validate: spy, fingerprint: 'a', themeVariables: theme })(entry)).toMatchObject({ ok: false, reason: expect.stringMatching(/colour-literal/) });
    await gateAdmission({ validate: spy, fingerprint: 'a', themeVariables: theme })(entry);
    await gateAdmission({ validate: spy, fingerprint: 'b', themeVariables: theme })(entry);
    expect(seen).toEqual([theme, theme]);
  });
});
