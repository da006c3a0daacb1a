import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleSchema } from '../../src/shapes/bundle.js';
import { changedInput } from '../../src/validation/type-check-host-inputs.js';
import { locateTypeCheckSnapshot, openSnapshotTypeChecker, SnapshotTypeChecker, startTypeCheckSnapshotBuild, type TypeCheckSnapshotLocation } from '../../src/validation/type-check-snapshot.js';
import { applyUnresolvedModulePolicy, TypeChecker, type UnresolvedModulePolicy } from '../../src/validation/type-checker.js';

// The host the build writes (npm run build); the snapshot is made from it as the CLI makes it.
const BUILT_HOST = path.resolve('dist/vendor/type-check-host.cjs');

function bundle(files: Record<string, string>, name = 'Card') {
  return BundleSchema.parse({ name, files: Object.entries(files).map(([file, contents]) => ({ path: file, contents })), dependencies: {} });
}

/** Two type errors, a missing relative module the policy defers, and a package it only warns about. */
const FLAWED = bundle({
  'Card.tsx': [
    "import * as Switch from '@radix-ui/react-switch';",
    "import { helper } from './missing';",
    "import confetti from 'canvas-confetti';",
    'export function Card(props: { title: string }) {',
    '  const n: number = props.title;',
    '  return <Switch.Root checked="yes">{n}{helper}{confetti}</Switch.Root>;',
    '}',
    '',
  ].join('\n'),
});
const POLICY: UnresolvedModulePolicy = (specifier) => (specifier.startsWith('.') ? 'defer' : 'warn');

function waitForExit(child: ReturnType<typeof startTypeCheckSnapshotBuild>): Promise<void> {
  return new Promise((resolve) => (child ? child.on('exit', () => resolve()) : resolve()));
}

describe('the unresolved-module policy, applied after diagnosis', () => {
  it('drops deferred findings, turns warned ones into types-unavailable warnings and keeps the rest', () => {
    const base = { layer: 'types' as const, severity: 'error' as const, message: 'm', file: 'Card.tsx', line: 1, column: 1 };
    const findings = applyUnresolvedModulePolicy(
      [
        { finding: { ...base, code: 'TS2307' }, unresolvedSpecifier: './missing' },
        { finding: { ...base, code: 'TS2307', line: 2 }, unresolvedSpecifier: 'canvas-confetti' },
        { finding: { ...base, code: 'TS2322', line: 3 } },
      ],
      POLICY,
    );
    expect(findings).toEqual([
      { ...base, line: 2, severity: 'warning', code: 'types-unavailable', suggestion: 'The package has no typings installed here, so its API was not checked.' },
      { ...base, line: 3, code: 'TS2322' },
    ]);
  });
});

describe('where the snapshot lives', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'dspec-snapshot-key-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is keyed by the host script, so a new build never starts an old snapshot', () => {
    const first = path.join(directory, 'host-a.cjs');
    const second = path.join(directory, 'host-b.cjs');
    writeFileSync(first, '// one build\n');
    writeFileSync(second, '// another build\n');
    const env = { DSPEC_SNAPSHOT_DIR: directory };
    const a = locateTypeCheckSnapshot({ env, hostScript: first });
    const b = locateTypeCheckSnapshot({ env, hostScript: second });
    expect(path.dirname(a!.blobFile)).toBe(directory);
    expect(a!.blobFile).toMatch(new RegExp(`type-check-${process.version.replaceAll('.', '\\.')}-[0-9a-f]{16}\\.blob$`));
    expect(b!.blobFile).not.toBe(a!.blobFile);
  });

  it('is not used when DSPEC_TYPE_SNAPSHOT=off or when no host was built', () => {
    const host = path.join(directory, 'host-a.cjs');
    expect(locateTypeCheckSnapshot({ env: { DSPEC_SNAPSHOT_DIR: directory, DSPEC_TYPE_SNAPSHOT: 'off' }, hostScript: host })).toBeUndefined();
    expect(locateTypeCheckSnapshot({ env: { DSPEC_SNAPSHOT_DIR: directory }, hostScript: path.join(directory, 'absent.cjs') })).toBeUndefined();
  });
});

describe('staleness of the parsed typings', () => {
  it('names the first input whose size or modification time changed', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'dspec-snapshot-stale-'));
    const file = path.join(directory, 'index.d.ts');
    writeFileSync(file, 'export {};\n');
    const stats = statSync(file);
    const inputs = [{ file, size: stats.size, mtimeMs: stats.mtimeMs }];
    expect(changedInput(inputs)).toBeUndefined();
    writeFileSync(file, 'export declare const x: number;\n');
    expect(changedInput(inputs)).toBe(file);
    rmSync(file);
    expect(changedInput([{ file, size: -1, mtimeMs: -1 }])).toBeUndefined();
    rmSync(directory, { recursive: true, force: true });
  });
});

describe.skipIf(!existsSync(BUILT_HOST))('the type layer from a snapshot of the built host', { timeout: 240_000 }, () => {
  let directory: string;
  let location: TypeCheckSnapshotLocation;
  const inProcess = new TypeChecker();

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'dspec-snapshot-'));
    location = locateTypeCheckSnapshot({ env: { DSPEC_SNAPSHOT_DIR: directory }, hostScript: BUILT_HOST })!;
    // No snapshot yet: the CLI gets no host, and a build for the next run starts when it is done.
    expect(openSnapshotTypeChecker({ env: { DSPEC_SNAPSHOT_DIR: directory }, hostScript: BUILT_HOST })).toBeUndefined();
    expect(existsSync(location.lockFile)).toBe(false);
    process.emit('beforeExit', 0);
    expect(existsSync(location.lockFile)).toBe(true);
    // A second run while it builds starts no second build.
    expect(startTypeCheckSnapshotBuild(location)).toBeUndefined();
    for (let waited = 0; existsSync(location.lockFile) && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(existsSync(location.failedMarker) ? readFileSync(location.failedMarker, 'utf8') : 'no failure').toBe('no failure');
    expect(existsSync(location.blobFile)).toBe(true);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reports exactly what the in-process checker reports, policy included', async () => {
    const expected = await inProcess.check(FLAWED, POLICY);
    expect(expected.map((f) => `${f.line}:${f.column} ${f.severity} ${f.code}`)).toEqual(['3:22 warning types-unavailable', '5:9 error TS2322', '6:23 error TS2322']);
    const fromSnapshot = openSnapshotTypeChecker({ env: { DSPEC_SNAPSHOT_DIR: directory }, hostScript: BUILT_HOST, fallback: () => inProcess });
    expect(fromSnapshot).toBeInstanceOf(SnapshotTypeChecker);
    expect(await fromSnapshot!.check(FLAWED, POLICY)).toEqual(expected);
    // The host keeps serving: a clean bundle after a flawed one has no findings.
    expect(await fromSnapshot!.check(bundle({ 'Card.tsx': 'export const Card = ({ title }: { title: string }) => <h2>{title}</h2>;\n' }))).toEqual([]);
    fromSnapshot!.close();
  });

  it('falls back to the in-process checker when the snapshot cannot start, and never tries that snapshot again', async () => {
    const broken = { ...location, blobFile: path.join(directory, 'broken.blob'), failedMarker: path.join(directory, 'broken.blob.failed') };
    writeFileSync(broken.blobFile, 'not a V8 snapshot');
    let fallbackChecks = 0;
    const checker = new SnapshotTypeChecker(broken, () => ({
      check: (input, policy) => {
        fallbackChecks++;
        return inProcess.check(input, policy);
      },
    }));
    expect(await checker.check(FLAWED, POLICY)).toEqual(await inProcess.check(FLAWED, POLICY));
    expect(fallbackChecks).toBe(1);
    expect(existsSync(broken.blobFile)).toBe(false);
    expect(readFileSync(broken.failedMarker, 'utf8')).toContain('exited before it was ready');
    expect(startTypeCheckSnapshotBuild(broken)).toBeUndefined();
  });

  it('builds a new snapshot in place of the old one and removes the old one', async () => {
    const older = path.join(directory, `type-check-${process.version}-0000000000000000.blob`);
    writeFileSync(older, 'an older build');
    rmSync(location.blobFile);
    await waitForExit(startTypeCheckSnapshotBuild(location));
    expect(existsSync(location.blobFile)).toBe(true);
    expect(existsSync(older)).toBe(false);
  });
});
