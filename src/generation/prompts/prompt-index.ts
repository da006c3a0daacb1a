import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { PromptSummary } from './prompt-registry.js';

/**
 * The prompt summaries the server registers at start (`prompts/list`), written by the build
 * into `dist/prompt-index.json` beside the package's `prompts/`, so that start-up needs no YAML
 * parser. It is only a cache: it names the length and CRC-32 of every prompt file it was made
 * from, and is used only while the folder holds exactly those files with that content. Any other
 * state (a prompt edited, added or removed, an index missing, unreadable or of another version)
 * means the files are parsed as before.
 */
export const PROMPT_INDEX_NAME = 'prompt-index.json';
const INDEX_VERSION = 2;

export interface PromptIndex {
  version: number;
  /** File name → its text's fingerprint (fingerprintOf). */
  files: Record<string, string>;
  prompts: PromptSummary[];
}

/**
 * A prompt file's length and CRC-32: it tells an edited file from the one indexed, which is all
 * the index needs (it guards against stale summaries, not against an adversary, who could edit the
 * index too), without loading node:crypto at start (node:zlib is loaded anyway, for the code cache).
 */
function fingerprintOf(text: string): string {
  return `${Buffer.byteLength(text)}:${crc32(text).toString(16)}`;
}

/** The prompt files of a folder: `*.md`, except `README.md` and names starting with `_`. */
export function promptFileNames(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.md') && !name.startsWith('_') && name.toLowerCase() !== 'readme.md')
    .sort();
}

/** Where the index of a prompts folder lives: `dist/` of the same package. */
export function promptIndexFile(promptsDir: string): string {
  return path.join(path.dirname(path.resolve(promptsDir)), 'dist', PROMPT_INDEX_NAME);
}

/** The index of a folder whose prompts summarise to `prompts` (the build calls this). */
export function createPromptIndex(promptsDir: string, prompts: PromptSummary[]): PromptIndex {
  const files = Object.fromEntries(promptFileNames(promptsDir).map((name) => [name, fingerprintOf(readFileSync(path.join(promptsDir, name), 'utf8'))]));
  return { version: INDEX_VERSION, files, prompts };
}

/** The indexed summaries, if the index matches the folder's files exactly; otherwise undefined. */
export function indexedPromptSummaries(promptsDir: string): PromptSummary[] | undefined {
  let index: PromptIndex;
  try {
    index = JSON.parse(readFileSync(promptIndexFile(promptsDir), 'utf8')) as PromptIndex;
  } catch {
    return undefined;
  }
  if (index?.version !== INDEX_VERSION || typeof index.files !== 'object' || index.files === null || !Array.isArray(index.prompts)) return undefined;
  try {
    const names = promptFileNames(promptsDir);
    if (names.length !== Object.keys(index.files).length) return undefined;
    for (const name of names) {
      if (index.files[name] !== fingerprintOf(readFileSync(path.join(promptsDir, name), 'utf8'))) return undefined;
    }
  } catch {
    return undefined;
  }
  return index.prompts;
}
