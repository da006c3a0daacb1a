// What the type-check host (type-check-host.ts) parses into its snapshot and how it tells, later,
// whether those files are still what it parsed. Apart from the host so importing these runs nothing.
import { statSync } from 'node:fs';
import type { Bundle } from '../shapes/bundle.js';
import { ALLOWED_PACKAGES, TEST_ONLY_PACKAGES } from './import-allowlist.js';
import type { TypingsSource } from './typings-source.js';

/** A file the snapshot's parsed typings came from, as it was then. */
export interface InputStamp {
  file: string;
  size: number;
  mtimeMs: number;
}

export function stamp(file: string): InputStamp {
  const stats = statSync(file, { throwIfNoEntry: false });
  return { file, size: stats?.size ?? -1, mtimeMs: stats?.mtimeMs ?? -1 };
}

/** The first input that is no longer what the snapshot parsed, if any. */
export function changedInput(inputs: readonly InputStamp[]): string | undefined {
  return inputs.find((input) => {
    const now = stamp(input.file);
    return now.size !== input.size || now.mtimeMs !== input.mtimeMs;
  })?.file;
}

/** A typings source that notes every file it reads from disk. */
export function recordingReads(source: TypingsSource, read: Set<string>): TypingsSource {
  return {
    fileExists: (file) => source.fileExists(file),
    readFile: (file) => {
      const text = source.readFile(file);
      if (text !== undefined) read.add(file);
      return text;
    },
    directoryExists: (directory) => source.directoryExists(directory),
    getDirectories: (directory) => source.getDirectories(directory),
    realpath: (file) => source.realpath(file),
  };
}

/**
 * A component importing every allowed package, test-only ones included (a component's test
 * imports vitest and Testing Library), so the snapshot holds all their typings parsed.
 */
export function warmUpBundle(): Bundle {
  const specifiers = [...ALLOWED_PACKAGES, ...TEST_ONLY_PACKAGES, 'react/jsx-runtime', 'react-dom/client'];
  const imports = specifiers.map((name, index) => `import * as m${index} from '${name}';`);
  const uses = specifiers.map((_, index) => `m${index}`).join(', ');
  const contents = `${imports.join('\n')}
export function WarmUp({ label }: { label: string }) {
  return <button type="button" onClick={(event) => event.currentTarget.blur()}>{label}{[${uses}].length}</button>;
}
`;
  return { name: 'WarmUp', files: [{ path: 'WarmUp.tsx', contents }], dependencies: {} };
}
