import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/cache/cache-entry.js';
import { entryArchiveNameOf } from '../../src/cache/cache-paths.js';
import { FileCache } from '../../src/cache/file-cache.js';
import { openCacheStore } from '../../src/cache/open-cache-store.js';
import { createS3Cache, S3Cache } from '../../src/cache/s3-cache.js';
import { s3ClientSettingsOf } from '../../src/cache/s3-cache-url.js';
import { cacheListCommand, cacheStatsCommand } from '../../src/cli/commands/cache.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCommand } from '../../src/cli/run-cli.js';
import { DspecError, InputError } from '../../src/errors.js';
import { loadConfig } from '../../src/infra/config.js';
import { openTestS3, type TestS3 } from '../helpers/s3-server.js';
import { testRuntime } from '../helpers/test-runtime.js';
import { makeEntry, recordingLogger, tempHome } from './entry-fixture.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await openTestS3();
});
afterAll(async () => {
  await s3?.close();
});

async function freshCache(options: { prefix?: string; listPageSize?: number; logger?: ReturnType<typeof recordingLogger> } = {}): Promise<{ cache: S3Cache; bucket: string; env: NodeJS.ProcessEnv }> {
  const bucket = await s3.createBucket();
  const env = s3.envFor(bucket, options.prefix);
  return { cache: createS3Cache({ url: env.DSPEC_CACHE_URL!, env, logger: options.logger, listPageSize: options.listPageSize }), bucket, env };
}

/** Another replica on the same bucket: a new instance, so a new (empty) memory cache. */
function replicaOf(env: NodeJS.ProcessEnv, logger?: ReturnType<typeof recordingLogger>): S3Cache {
  return createS3Cache({ url: env.DSPEC_CACHE_URL!, env, logger });
}

async function objectText(bucket: string, key: string): Promise<string | undefined> {
  try {
    const answer = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await answer.Body!.transformToString('utf8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function objectKeys(bucket: string, prefix: string): Promise<string[]> {
  const answer = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (answer.Contents ?? []).map((item) => item.Key!).sort();
}

const admitAll = () => Promise.resolve({ ok: true as const });

describe('the S3 cache on a real S3-compatible server', () => {
  it('stores the file entry JSON at <prefix>/cache/<2 hex>/<key>.json and serves it to another replica once admitted', async () => {
    const { cache, bucket, env } = await freshCache({ prefix: 'team/dspec' });
    const entry = makeEntry();
    await cache.set(entry);
    expect(await objectText(bucket, `team/dspec/cache/${entryArchiveNameOf(entry.key)}`)).toBe(JSON.stringify(entry));
    expect(await cache.get(entry.key)).toEqual(entry);
    expect((await cache.stats()).process).toMatchObject({ memoryHits: 1, diskHits: 0 });

    const replica = replicaOf(env);
    let judged = 0;
    const admit = (candidate: CacheEntry) => {
      judged++;
      expect(candidate).toEqual(entry);
      return admitAll();
    };
    expect(await replica.get(entry.key, { admit })).toEqual(entry);
    expect(await replica.get(entry.key, { admit })).toEqual(entry);
    expect(judged).toBe(1); // the second read came from memory
    expect((await replica.stats()).process).toMatchObject({ diskHits: 1, memoryHits: 1, memoryEntries: 1 });
    expect(await replica.get('0'.repeat(64))).toBeUndefined();
    expect(await replica.get('../../etc/passwd')).toBeUndefined();
  });

  it('the test server refuses a second If-None-Match: * write with 412, as S3 does', async () => {
    const bucket = await s3.createBucket();
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.json', Body: 'first', IfNoneMatch: '*' }));
    const second = s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.json', Body: 'second', IfNoneMatch: '*' }));
    await expect(second).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(await objectText(bucket, 'k.json')).toBe('first');
  });

  it('of two replicas racing to store one key, one stores and the other gets a hit, not an error; both then serve the stored entry', async () => {
    const { cache: first, env } = await freshCache();
    const second = replicaOf(env);
    // Same key (same key material), different bytes: the two generations differ in their timestamps.
    const mine = makeEntry({ createdAt: '2026-11-20T10:00:00.000Z' });
    const theirs = makeEntry({ createdAt: '2026-11-20T10:00:01.000Z' });
    expect(mine.key).toBe(theirs.key);
    for (let round = 0; round < 5; round++) {
      const { cache: a, bucket, env: roundEnv } = await freshCache();
      const b = replicaOf(roundEnv);
      await expect(Promise.all([a.set(mine), b.set(theirs)])).resolves.toEqual([undefined, undefined]);
      const stored = await objectText(bucket, `team/cache/${entryArchiveNameOf(mine.key)}`);
      expect([JSON.stringify(mine), JSON.stringify(theirs)]).toContain(stored);
      const winner = stored === JSON.stringify(mine) ? mine : theirs;
      // The loser does not keep its own copy: it serves what the bucket holds.
      expect(await a.get(mine.key, { admit: admitAll })).toEqual(winner);
      expect(await b.get(mine.key, { admit: admitAll })).toEqual(winner);
      expect(await objectKeys(bucket, 'team/')).toEqual([`team/cache/${entryArchiveNameOf(mine.key)}`]);
    }
    // Sequentially: the later writer's 412 is a hit.
    await first.set(mine);
    await second.set(theirs);
    expect(await replicaOf(env).get(mine.key)).toEqual(mine);
  });

  it('quarantines a corrupt object under quarantine/, never serves it, reports it, and a later write can store the key again', async () => {
    const logger = recordingLogger();
    const { cache, bucket, env } = await freshCache({ logger });
    const entry = makeEntry();
    const objectKey = `team/cache/${entryArchiveNameOf(entry.key)}`;
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: JSON.stringify(entry).replace('<button', '<button onClick={steal}') }));

    expect(await cache.get(entry.key, { admit: admitAll })).toBeUndefined();
    expect(await objectText(bucket, objectKey)).toBeUndefined();
    const quarantined = await objectKeys(bucket, 'team/quarantine/');
    expect(quarantined).toHaveLength(2);
    expect(quarantined[0]).toMatch(new RegExp(`^team/quarantine/${entry.key}\\.[\\dTZ-]+\\.[0-9a-f]{8}\\.json$`));
    expect(await objectText(bucket, quarantined[1]!)).toBe('bundle does not hash to provenance.generationHash\n');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]!.details).toMatchObject({ key: entry.key, reason: 'bundle does not hash to provenance.generationHash', quarantinedTo: `s3://${bucket}/${quarantined[0]}` });
    const stats = await cache.stats();
    expect(stats).toMatchObject({ entries: 0, quarantined: 1, process: { quarantined: 1, diskMisses: 1 } });

    await replicaOf(env).set(entry);
    expect(await cache.get(entry.key, { admit: admitAll })).toEqual(entry);
  });

  it('does not serve an entry the gate refuses: it is quarantined with the findings beside it', async () => {
    const { cache, bucket, env } = await freshCache();
    const entry = makeEntry();
    await cache.set(entry);
    const reader = replicaOf(env);
    const refuse = () => Promise.resolve({ ok: false as const, reason: 'gate: 1 error finding', details: [{ rule: 'no-inline-handlers' }] });
    expect(await reader.get(entry.key, { admit: refuse })).toBeUndefined();
    expect(await reader.get(entry.key, { admit: admitAll })).toBeUndefined(); // gone, not merely skipped once
    const [, reasonKey] = await objectKeys(bucket, 'team/quarantine/');
    expect(await objectText(bucket, reasonKey!)).toBe('gate: 1 error finding\n[\n  {\n    "rule": "no-inline-handlers"\n  }\n]\n');
    expect(await objectKeys(bucket, 'team/cache/')).toEqual([]);
  });

  it('stats and list page through ListObjectsV2 past one page, skip and report a corrupt object, and filter by component', async () => {
    const logger = recordingLogger();
    const { cache, bucket } = await freshCache({ listPageSize: 2, logger });
    const entries = [
      makeEntry({ component: 'Button', seed: 1, createdAt: '2026-11-20T10:00:01.000Z', cost: 0.01 }),
      makeEntry({ component: 'Button', seed: 2, createdAt: '2026-11-20T10:00:02.000Z', cost: 0.02 }),
      makeEntry({ component: 'Card', seed: 3, createdAt: '2026-11-20T10:00:03.000Z', model: 'gpt-5.4-mini', provider: 'openai-compatible', cost: null }),
      makeEntry({ component: 'Card', seed: 4, createdAt: '2026-11-20T10:00:04.000Z' }),
      makeEntry({ component: 'Tabs', seed: 5, createdAt: '2026-11-20T10:00:05.000Z' }),
    ];
    for (const entry of entries) await cache.set(entry);
    const corrupt = makeEntry({ component: 'Broken', seed: 6 });
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `team/cache/${entryArchiveNameOf(corrupt.key)}`, Body: '{"key": torn' }));
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'team/cache/README.txt', Body: 'not an entry' }));

    const stats = await cache.stats();
    expect(stats.entries).toBe(5);
    expect(stats.totalBytes).toBe(entries.reduce((sum, entry) => sum + Buffer.byteLength(JSON.stringify(entry)), 0));
    expect(stats.byComponent.map(({ name, entries: count }) => [name, count])).toEqual([
      ['Button', 2],
      ['Card', 2],
      ['Tabs', 1],
    ]);
    expect(stats.byProvider.find((row) => row.name === 'openai-compatible')).toMatchObject({ entries: 1, cost: null });
    expect(stats).toMatchObject({ oldest: '2026-11-20T10:00:01.000Z', newest: '2026-11-20T10:00:05.000Z', quarantined: 1 });
    expect(logger.warnings.map((warning) => warning.details.key)).toEqual([corrupt.key]);

    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await cache.list({ limit: 2, cursor });
      expect(page.total).toBe(5);
      keys.push(...page.entries.map((record) => record.key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(keys).toEqual(entries.map((entry) => entry.key));
    expect((await cache.list({ component: 'Card' })).entries.map((record) => record.key)).toEqual([entries[2]!.key, entries[3]!.key]);
    await expect(cache.list({ limit: 0 })).rejects.toThrow(/limit must be an integer/);

    expect(await cache.clear({ component: 'Button' })).toEqual({ removed: 2 });
    expect((await cache.stats()).byComponent.map((row) => row.name)).toEqual(['Card', 'Tabs']);
    expect(await cache.get(entries[0]!.key)).toBeUndefined();
  });

  it('verify re-checks every object and, with fix, quarantines those the gate refuses', async () => {
    const { cache, bucket } = await freshCache();
    const keep = makeEntry({ seed: 'keep' });
    const refuse = makeEntry({ seed: 'refuse' });
    await cache.set(keep);
    await cache.set(refuse);
    const admit = (entry: CacheEntry) => Promise.resolve(entry.key === refuse.key ? { ok: false as const, reason: 'gate: refused' } : { ok: true as const });
    const dryRun = await cache.verify({ admit });
    expect(dryRun).toEqual({ checked: 2, passed: 1, failed: [{ key: refuse.key, component: 'Button', reason: 'gate: refused' }], quarantined: 0 });
    expect(await cache.verify({ admit, fix: true })).toMatchObject({ checked: 2, passed: 1, quarantined: 1 });
    expect(await objectKeys(bucket, 'team/cache/')).toEqual([`team/cache/${entryArchiveNameOf(keep.key)}`]);
    expect(await cache.verify({ admit })).toMatchObject({ checked: 1, passed: 1, failed: [] });
  });

  it('export from S3, import into a file cache, export that and import into a new bucket: every entry byte-identical', async () => {
    const { cache: source, bucket: sourceBucket } = await freshCache();
    const entries = [makeEntry({ component: 'Button', seed: 1 }), makeEntry({ component: 'Card', seed: 2, cost: null }), makeEntry({ component: 'Tabs', seed: 3 })];
    for (const entry of entries) await source.set(entry);
    const workDir = tempHome('dspec-s3-archive-');
    const fromS3 = path.join(workDir, 'from-s3.tar.gz');
    expect(await source.exportArchive(fromS3)).toMatchObject({ exported: 3 });

    const fileHome = path.join(workDir, 'home');
    const files = new FileCache({ home: fileHome });
    expect(await files.importArchive(fromS3)).toEqual({ imported: 3, alreadyPresent: 0, skipped: [] });
    for (const entry of entries) {
      const fileText = readFileSync(path.join(fileHome, 'cache', entryArchiveNameOf(entry.key)), 'utf8');
      expect(fileText).toBe(await objectText(sourceBucket, `team/cache/${entryArchiveNameOf(entry.key)}`));
    }

    const fromFiles = path.join(workDir, 'from-files.tar.gz');
    expect(await files.exportArchive(fromFiles)).toMatchObject({ exported: 3 });
    const { cache: target, bucket: targetBucket } = await freshCache({ prefix: 'elsewhere' });
    expect(await target.importArchive(fromFiles, { admit: admitAll })).toEqual({ imported: 3, alreadyPresent: 0, skipped: [] });
    for (const entry of entries) {
      expect(await objectText(targetBucket, `elsewhere/cache/${entryArchiveNameOf(entry.key)}`)).toBe(JSON.stringify(entry));
    }
    expect(await target.importArchive(fromS3)).toEqual({ imported: 0, alreadyPresent: 3, skipped: [] });
    expect(readdirSync(workDir).sort()).toEqual(['from-files.tar.gz', 'from-s3.tar.gz', 'home']); // no staging left behind
  });

  it('names the bucket, the S3 error code and the endpoint when the bucket does not exist, and never the secret', async () => {
    const bucket = await s3.createBucket();
    const env = { ...s3.envFor(bucket), AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const cache = createS3Cache({ url: 's3://dspec-no-such-bucket/team', env });
    const failure = await cache.get(makeEntry().key).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InputError);
    const message = (failure as InputError).message;
    expect(message).toContain('s3://dspec-no-such-bucket/team/cache/');
    expect(message).toContain('NoSuchBucket');
    expect(message).toContain(s3.endpoint);
    expect(JSON.stringify({ message, context: (failure as InputError).context })).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    expect((failure as InputError).context).toMatchObject({ bucket: 'dspec-no-such-bucket', s3Code: 'NoSuchBucket', httpStatus: 404 });
  });

  it('names the endpoint and the network error when nothing listens there', async () => {
    const env = { ...s3.envFor('dspec-any'), AWS_ENDPOINT_URL: 'http://user:pw@127.0.0.1:9' };
    const cache = createS3Cache({ url: 's3://dspec-any/p', env });
    const failure = await cache.stats().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DspecError);
    expect((failure as Error).message).toMatch(/^S3 cache: ListObjectsV2 s3:\/\/dspec-any\/p\/cache\/ at http:\/\/127\.0\.0\.1:9 failed: ECONNREFUSED$/);
    expect((failure as Error).message).not.toContain('pw');
  });

  it('reads the AWS variables from the runtime environment; path style is the default with an endpoint, and a setting either way', () => {
    expect(s3ClientSettingsOf({})).toEqual({});
    expect(s3ClientSettingsOf({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' })).toEqual({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 'token' },
    });
    expect(s3ClientSettingsOf({ AWS_ENDPOINT_URL: 'http://minio:9000' })).toEqual({ endpoint: 'http://minio:9000', region: 'us-east-1', forcePathStyle: true });
    expect(s3ClientSettingsOf({ AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://b:2', AWS_DEFAULT_REGION: 'auto', AWS_S3_FORCE_PATH_STYLE: 'false' })).toEqual({
      endpoint: 'http://b:2',
      region: 'auto',
      forcePathStyle: false,
    });
    expect(s3ClientSettingsOf({ AWS_S3_FORCE_PATH_STYLE: 'TRUE' })).toEqual({ forcePathStyle: true });
    // Only a key with its secret is taken; a lone key id is left to the SDK's chain.
    expect(s3ClientSettingsOf({ AWS_ACCESS_KEY_ID: 'id' })).toEqual({});
  });

  it('refuses a malformed DSPEC_CACHE_URL or AWS variable with a message naming it', async () => {
    const env = s3.envFor('dspec-any');
    expect(() => createS3Cache({ url: 'https://bucket/prefix', env })).toThrow(/DSPEC_CACHE_URL "https:\/\/bucket\/prefix" is not an s3:\/\/ URL/);
    expect(() => createS3Cache({ url: 's3://Bad_Bucket/p', env })).toThrow(/bucket "Bad_Bucket", which is not a valid S3 bucket name/);
    expect(() => createS3Cache({ url: 's3://ok-bucket/p', env: { ...env, AWS_ENDPOINT_URL: 'localhost:9000' } })).toThrow(/AWS_ENDPOINT_URL "localhost:9000" is not an http\(s\) URL/);
    expect(() => createS3Cache({ url: 's3://ok-bucket/p', env: { ...env, AWS_S3_FORCE_PATH_STYLE: 'maybe' } })).toThrow(/AWS_S3_FORCE_PATH_STYLE must be true or false, got "maybe"/);
  });

  it('the backend is the configured one: files without DSPEC_CACHE_URL, the bucket with it, also for `dspec cache`', async () => {
    const home = tempHome();
    expect(loadConfig({ cwd: home, env: {} }).cache.url).toBeUndefined();
    expect(loadConfig({ cwd: home, env: { DSPEC_CACHE_URL: 's3://team-cache/dspec' } }).cache.url).toBe('s3://team-cache/dspec');
    expect(() => loadConfig({ cwd: home, env: { DSPEC_CACHE_URL: '/var/cache/dspec' } })).toThrow(/Invalid configuration/);
    expect(await openCacheStore({ home, env: {} })).toBeInstanceOf(FileCache);
    const { cache, bucket, env } = await freshCache();
    expect(await openCacheStore({ url: env.DSPEC_CACHE_URL, home, env })).toBeInstanceOf(S3Cache);
    await cache.set(makeEntry({ component: 'Banner' }));
    // The runtime's generation cache is the bucket too: it sees what another replica stored.
    const runtime = testRuntime({ cwd: home, env, config: loadConfig({ cwd: home, env }) });
    const runtimeCache = await runtime.cache();
    expect(runtimeCache).toBeInstanceOf(S3Cache);
    expect(await runtimeCache.get(makeEntry({ component: 'Banner' }).key)).toEqual(makeEntry({ component: 'Banner' }));
    await runtime.close();

    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: home, env };
    expect(await runCommand(cacheStatsCommand, ['--json'], io)).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ entries: 1, byComponent: [{ name: 'Banner', entries: 1 }] });
    stdout = '';
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `team/cache/${entryArchiveNameOf(makeEntry({ seed: 'x' }).key)}`, Body: 'garbage' }));
    expect(await runCommand(cacheListCommand, ['--json'], io)).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ total: 1, entries: [{ component: 'Banner' }] });
    expect(stderr).toMatch(/^dspec: warning: cache entry failed verification and was quarantined \(unparseable JSON/);
    stderr = '';
    expect(stderr).toBe('');
    expect(readdirSync(home)).toEqual([]); // nothing written to the file cache
  });
});
