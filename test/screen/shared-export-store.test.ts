import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openS3ExportStore, S3ExportStore } from '../../src/cache/s3-export-store.js';
import { InputError } from '../../src/errors.js';
import { loadConfig } from '../../src/infra/config.js';
import { MemoryExportStore, type ExportStore } from '../../src/screen/export-store.js';
import { recordingLogger, tempHome } from '../cache/entry-fixture.js';
import { openTestS3, type TestS3 } from '../helpers/s3-server.js';
import { testRuntime } from '../helpers/test-runtime.js';

let s3: TestS3;
const opened: S3ExportStore[] = [];
beforeAll(async () => {
  s3 = await openTestS3();
});
afterAll(async () => {
  for (const store of opened.splice(0)) store.close();
  await s3?.close();
});

/** The export store of one replica: its own client, its own (empty) parsed copies. */
function replicaStore(env: NodeJS.ProcessEnv, options: { maxExports?: number; maxBytes?: number; logger?: ReturnType<typeof recordingLogger> } = {}): S3ExportStore {
  const store = openS3ExportStore({ url: env.DSPEC_CACHE_URL!, env, logger: options.logger ?? recordingLogger(), maxExports: options.maxExports ?? 20, maxBytes: options.maxBytes ?? 1024 * 1024 });
  opened.push(store);
  return store;
}

const files = [
  { path: 'TeamPage.tsx', contents: 'export function TeamPage() { return <main />; }\n' },
  { path: 'components/Button/Button.tsx', contents: 'export function Button() { return <button type="button" />; }\n' },
  { path: 'theme.css', contents: ':root { --color-primary: oklch(0.5 0.1 250); }\n' },
];
const exportId = 'a'.repeat(32);

async function exportKeys(bucket: string, prefix: string): Promise<string[]> {
  const answer = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (answer.Contents ?? []).map((item) => item.Key!).sort();
}

/** The export ids with objects under `prefix`. */
async function exportIdsIn(bucket: string, prefix: string): Promise<string[]> {
  return [...new Set((await exportKeys(bucket, prefix)).map((key) => key.slice(prefix.length).split('/')[0]!))].sort();
}

/** What every store answers for what it does not hold. */
async function expectAbsent(store: ExportStore) {
  expect(await store.get(exportId, 'TeamPage.tsx')).toBeUndefined();
  expect(await store.list(exportId)).toBeUndefined();
  await store.put(exportId, files);
  expect(await store.get(exportId, 'missing.tsx')).toBeUndefined();
  expect(await store.get('f'.repeat(32), 'TeamPage.tsx')).toBeUndefined();
  expect(await store.get('../../cache/aa', 'TeamPage.tsx')).toBeUndefined();
}

describe('the memory export store (one process)', () => {
  it('keeps at most maxExports, dropping the least recently used, and refuses an export larger than maxBytes', async () => {
    const store = new MemoryExportStore({ maxExports: 2, maxBytes: 1000 });
    const one = [{ path: 'a.tsx', contents: 'x'.repeat(100) }];
    await store.put('first', one);
    await store.put('second', one);
    expect(await store.get('first', 'a.tsx')).toBe('x'.repeat(100)); // first is now the most recently used
    await store.put('third', one);
    expect(await store.ids()).toEqual(['third', 'first']);
    expect(await store.list('second')).toBeUndefined();

    // Bytes bound the store as well as the count: 600 + 600 > 1000, so the older one goes.
    const big = [{ path: 'big.tsx', contents: 'y'.repeat(600) }];
    await store.put('big-1', big);
    await store.put('big-2', big);
    expect(await store.ids()).toEqual(['big-2']);

    const refused = await store.put('huge', [{ path: 'huge.tsx', contents: 'z'.repeat(1001) }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toBe('export huge holds 1001 bytes, more than the 1000 bytes the export store keeps');
    expect(await store.ids()).toEqual(['big-2']);
  });

  it('answers undefined for a missing export or file', async () => {
    await expectAbsent(new MemoryExportStore());
  });
});

describe('the S3 export store (replicas sharing a bucket)', () => {
  it('an export put through one replica is listed and read through another: one object per file, then its manifest', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket, 'team/dspec');
    const replicaA = replicaStore(env);
    const replicaB = replicaStore(env);
    await replicaA.put(exportId, files);

    expect(await replicaB.ids()).toEqual([exportId]);
    expect(await replicaB.list(exportId)).toEqual(files.map((file) => file.path));
    for (const file of files) expect(await replicaB.get(exportId, file.path)).toBe(file.contents);
    const base = `team/dspec/exports/${exportId}`;
    expect(await exportKeys(bucket, 'team/dspec/')).toEqual([`${base}/files/TeamPage.tsx`, `${base}/files/components/Button/Button.tsx`, `${base}/files/theme.css`, `${base}/manifest.json`].sort());
    const manifest = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: `${base}/manifest.json` }));
    expect(JSON.parse(await manifest.Body!.transformToString('utf8'))).toEqual({ exportId, files: files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.contents) })) });
  });

  it('answers undefined for a missing export or file; an export without its manifest is not listed; a corrupt manifest is reported', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket, 'p');
    await expectAbsent(replicaStore(env));

    const logger = recordingLogger();
    const reader = replicaStore(env, { logger });
    const partialId = 'b'.repeat(32);
    const corruptId = 'c'.repeat(32);
    const misfiledId = 'd'.repeat(32);
    // A replica that died between the files and the manifest: the export is not whole, so not offered.
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/exports/${partialId}/files/TeamPage.tsx`, Body: 'export {};' }));
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/exports/${corruptId}/manifest.json`, Body: '{"exportId":' }));
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/exports/${misfiledId}/manifest.json`, Body: JSON.stringify({ exportId, files: [] }) }));
    expect(await reader.ids()).not.toContain(partialId);
    expect(await reader.list(partialId)).toBeUndefined();
    expect(await reader.list(corruptId)).toBeUndefined();
    expect(await reader.list(misfiledId)).toBeUndefined();
    expect(await reader.get(exportId, '../../cache/aa/key.json')).toBeUndefined();
    expect(logger.warnings.map((warning) => [warning.message, warning.details.object])).toEqual([
      ['export manifest is corrupt; export skipped', `s3://${bucket}/p/exports/${corruptId}/manifest.json`],
      ['export manifest is corrupt; export skipped', `s3://${bucket}/p/exports/${misfiledId}/manifest.json`],
    ]);
  });

  it('keeps the bucket within maxExports and maxBytes (the export just written always stays) and refuses one larger than maxBytes', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket, 'p');
    const store = replicaStore(env, { maxExports: 2, maxBytes: 10_000 });
    const ids = ['1', '2', '3', '4'].map((digit) => digit.repeat(32));
    for (const id of ids) await store.put(id, [{ path: 'a.tsx', contents: `export const id = '${id}';\n` }]);
    const kept = await exportIdsIn(bucket, 'p/exports/');
    expect(kept).toHaveLength(2);
    expect(kept).toContain(ids[3]);
    expect(await store.ids()).toEqual(expect.arrayContaining(kept));

    // 4000 bytes of contents each (a little more as JSON): two fit in 10 000, a third does not.
    const sized = ['5', '6', '7'].map((digit) => digit.repeat(32));
    const bigStore = replicaStore(s3.envFor(bucket, 'q'), { maxExports: 20, maxBytes: 10_000 });
    for (const id of sized) await bigStore.put(id, [{ path: 'big.tsx', contents: 'x'.repeat(4000) }]);
    const keptBig = await exportIdsIn(bucket, 'q/exports/');
    expect(keptBig).toHaveLength(2);
    expect(keptBig).toContain(sized[2]);

    const refused = await bigStore.put('8'.repeat(32), [{ path: 'huge.tsx', contents: 'z'.repeat(10_001) }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(/holds 10001 bytes, more than the 10000 bytes the export store keeps/);
    await expect(bigStore.put('../escape', files)).rejects.toThrow(/not an export id/);
    await expect(bigStore.put('9'.repeat(32), [{ path: 'a/../../cache/x.json', contents: '' }])).rejects.toThrow(/names the file "a\/..\/..\/cache\/x.json", which is not a relative path/);
    expect(await exportIdsIn(bucket, 'q/exports/')).toEqual(keptBig);
  });

  it('two runtimes with one DSPEC_CACHE_URL share exports; a runtime without it keeps them in memory', async () => {
    const home = tempHome('dspec-exports-');
    const memoryRuntime = testRuntime({ cwd: home, flags: { home: '.' } });
    expect(memoryRuntime.exports).toBeInstanceOf(MemoryExportStore);
    await memoryRuntime.close();

    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket);
    const [replicaA, replicaB] = [0, 1].map(() => testRuntime({ cwd: home, env, config: loadConfig({ cwd: home, env, flags: { home: '.' } }) }));
    try {
      expect(replicaA!.exports).not.toBeInstanceOf(MemoryExportStore);
      await replicaA!.exports.put(exportId, files);
      expect(await replicaB!.exports.get(exportId, 'theme.css')).toBe(files[2]!.contents);
      expect(await replicaB!.exports.ids()).toEqual([exportId]);
      expect(await exportIdsIn(bucket, 'team/exports/')).toEqual([exportId]);
    } finally {
      await replicaA!.close();
      await replicaB!.close();
    }
  });
});
