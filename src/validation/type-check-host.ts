// The type layer in a process of its own, for the CLI (see type-check-snapshot.ts). The build
// bundles this file with TypeScript into dist/vendor/type-check-host.cjs. Run under
// `node --build-snapshot`, it parses TypeScript's lib files and every allowed package's typings
// once, and the V8 heap snapshot it leaves behind starts the next CLI's check with all of that
// already in memory. Run plainly, it serves the same protocol without the head start. Loaded with
// an ordinary require() it does nothing but export `typescript`: the main bundle takes its
// TypeScript from here rather than carrying a second 3.6 MB copy. (The build's footer decides
// which: it calls runTypeCheckHost() only for a snapshot build or when the file is the main script.)
//
// Protocol, one JSON object per line: the host first writes `{"ready":true}` (or `{"stale":…}` and
// exits, when a typings file changed since the snapshot); then for each `{"id","bundle"}` on stdin
// it answers `{"id","diagnosed"}` or `{"id","error"}`. It exits when stdin closes.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startupSnapshot } from 'node:v8';
import type { Bundle } from '../shapes/bundle.js';
import { changedInput, recordingReads, stamp, warmUpBundle, type InputStamp } from './type-check-host-inputs.js';
import { defaultTypings, TypeChecker } from './type-checker.js';
import { findTypingsPackFile, PackedTypings } from './typings-source.js';

export { default as typescript } from 'typescript';

function write(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function serve(checker: TypeChecker, inputs: readonly InputStamp[]): void {
  const changed = changedInput(inputs);
  if (changed) {
    write({ stale: `${changed} changed since the snapshot was built` });
    return;
  }
  write({ ready: true });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One at a time, in order: the checker's service holds one bundle's files at once.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      let id: unknown;
      try {
        const request = JSON.parse(line) as { id: unknown; bundle: Bundle };
        id = request.id;
        write({ id, diagnosed: await checker.diagnose(request.bundle) });
      } catch (error) {
        write({ id, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}

/** Serves the protocol, or under `node --build-snapshot` warms the checker up for the snapshot. */
export function runTypeCheckHost(): void {
  const located = defaultTypings();
  const read = new Set<string>();
  let checker: TypeChecker;
  let packFile: string | undefined;
  if (!located) checker = new TypeChecker();
  else if (located.typings instanceof PackedTypings) {
    checker = new TypeChecker({ projectRoot: located.root, typings: located.typings });
    packFile = findTypingsPackFile();
  } else {
    checker = new TypeChecker({ projectRoot: located.root, typings: recordingReads(located.typings, read), defaultLibFile: located.defaultLibFile });
  }
  if (!startupSnapshot.isBuildingSnapshot()) {
    serve(checker, []);
    return;
  }
  // Build: check the warm-up bundle now; the snapshot is taken once the event loop is empty.
  let inputs: InputStamp[] = [];
  checker.diagnose(warmUpBundle()).then(
    () => {
      // The project's node_modules changes when a package is added or removed.
      const folders = located ? [path.join(located.root, 'node_modules')] : [];
      inputs = [...(packFile ? [packFile] : []), ...folders, ...read].map(stamp);
    },
    (error: unknown) => {
      process.stderr.write(`type-check host: warm-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
  startupSnapshot.setDeserializeMainFunction(() => serve(checker, inputs));
}
