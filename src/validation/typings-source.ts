import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

/**
 * Where the type layer reads package typings and TypeScript's lib files from. In the repo that
 * is the real `node_modules`; the installed package has no `node_modules` of its own (its
 * JavaScript is bundled), so it ships the files the checker reads as one prebuilt pack,
 * `dist/typings.json.br`, written by `scripts/build.mjs` from a traced check.
 */
export interface TypingsSource {
  fileExists(fileName: string): boolean;
  readFile(fileName: string): string | undefined;
  directoryExists(directory: string): boolean;
  getDirectories(directory: string): string[];
  realpath(fileName: string): string;
}

/** The pack file's shape: paths relative to a project root, with `/` separators. */
export interface TypingsPackFile {
  version: 1;
  /** Relative path of TypeScript's default lib file (`node_modules/typescript/lib/lib.d.ts`). */
  defaultLib: string;
  files: Record<string, string>;
}

/** Brotli-compressed JSON of a {@link TypingsPackFile}. */
export const TYPINGS_PACK_NAME = 'typings.json.br';

/** A pack mounted at `root`: every path outside the pack is absent. */
export class PackedTypings implements TypingsSource {
  private readonly files = new Map<string, string>();
  private readonly directories = new Map<string, Set<string>>();
  readonly defaultLibFile: string;

  constructor(
    readonly root: string,
    pack: TypingsPackFile,
  ) {
    for (const [relative, text] of Object.entries(pack.files)) {
      const fileName = path.join(root, ...relative.split('/'));
      this.files.set(fileName, text);
      // Register every ancestor up to the root so directory probes and listings work.
      let child = fileName;
      let parent = path.dirname(child);
      while (child !== root && parent !== child) {
        let entries = this.directories.get(parent);
        if (!entries) this.directories.set(parent, (entries = new Set()));
        if (child !== fileName) entries.add(path.basename(child));
        if (parent === root) break;
        child = parent;
        parent = path.dirname(parent);
      }
    }
    this.defaultLibFile = path.join(root, ...pack.defaultLib.split('/'));
  }

  fileExists(fileName: string): boolean {
    return this.files.has(fileName);
  }

  readFile(fileName: string): string | undefined {
    return this.files.get(fileName);
  }

  directoryExists(directory: string): boolean {
    return this.directories.has(withoutTrailingSeparator(directory));
  }

  getDirectories(directory: string): string[] {
    return [...(this.directories.get(withoutTrailingSeparator(directory)) ?? [])];
  }

  realpath(fileName: string): string {
    return fileName;
  }
}

/** TypeScript probes `./` imports (`@types/react/jsx-runtime.d.ts` has one) as `<dir>/`. */
function withoutTrailingSeparator(directory: string): string {
  const trimmed = directory.replace(/[\\/]+$/, '');
  return trimmed === '' ? directory : trimmed;
}

/**
 * The pack shipped with this package, if any: `dist/typings.json.br` under the first ancestor of
 * this module that holds `package.json` (from `dist/chunks/`, `dist/validation/` or `dist/vendor/`).
 */
export function findTypingsPack(): TypingsPackFile | undefined {
  const file = findTypingsPackFile();
  return file ? (JSON.parse(brotliDecompressSync(readFileSync(file)).toString('utf8')) as TypingsPackFile) : undefined;
}

/** The path of the pack {@link findTypingsPack} reads, if there is one. */
export function findTypingsPackFile(): string | undefined {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(path.join(directory, 'package.json'))) {
      const candidate = path.join(directory, 'dist', TYPINGS_PACK_NAME);
      return existsSync(candidate) ? candidate : undefined;
    }
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

/** The real file system (the repo's `node_modules`, or a project the caller names). */
export class DiskTypings implements TypingsSource {
  fileExists(fileName: string): boolean {
    return statSync(fileName, { throwIfNoEntry: false })?.isFile() ?? false;
  }

  readFile(fileName: string): string | undefined {
    try {
      return readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
  }

  directoryExists(directory: string): boolean {
    return statSync(directory, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  getDirectories(directory: string): string[] {
    try {
      return readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  }

  realpath(fileName: string): string {
    try {
      return realpathSync(fileName);
    } catch {
      return fileName;
    }
  }
}
