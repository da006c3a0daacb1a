import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPromptIndex, indexedPromptSummaries, promptIndexFile } from '../../src/generation/prompts/prompt-index.js';
import { listPrompts, PromptRegistry } from '../../src/generation/prompts/prompt-registry.js';
import { PROMPTS_DIR } from './support.js';

const PROMPT_A = '---\nid: a\nversion: 1\ndescription: the real description\nvariables:\n  who: { required: true }\n---\nHello {{ who }}\n';
const PROMPT_B = '---\nid: b\nversion: 2\ndescription: another\n---\nBody\n';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A package-like folder: prompts/ with the files, and dist/ for the index. */
function packageWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dspec-prompt-index-'));
  roots.push(root);
  mkdirSync(path.join(root, 'prompts'));
  mkdirSync(path.join(root, 'dist'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'prompts', name), text);
  return path.join(root, 'prompts');
}

/** Writes an index made from the files as they are now, with summaries that say they came from it. */
function writeMarkedIndex(promptsDir: string): void {
  const summaries = PromptRegistry.fromDirectory(promptsDir)
    .list()
    .map((summary) => ({ ...summary, description: `${summary.description} (from the index)` }));
  writeFileSync(promptIndexFile(promptsDir), JSON.stringify(createPromptIndex(promptsDir, summaries)));
}

describe('the prompt index (prompts listed at start without parsing YAML)', () => {
  it('is used while every prompt file is exactly the one it was made from', () => {
    const dir = packageWith({ 'a.md': PROMPT_A, 'b.md': PROMPT_B, 'README.md': '# not a prompt' });
    writeMarkedIndex(dir);
    expect(listPrompts({ promptsDir: dir }).map((prompt) => prompt.description)).toEqual(['the real description (from the index)', 'another (from the index)']);
  });

  it('is ignored when a prompt is edited, added or removed, so the files are parsed', () => {
    const edited = packageWith({ 'a.md': PROMPT_A, 'b.md': PROMPT_B });
    writeMarkedIndex(edited);
    writeFileSync(path.join(edited, 'a.md'), PROMPT_A.replace('the real description', 'edited'));
    expect(indexedPromptSummaries(edited)).toBeUndefined();
    expect(listPrompts({ promptsDir: edited }).map((prompt) => prompt.description)).toEqual(['edited', 'another']);

    // An edit that keeps the length (the index fingerprints length and CRC-32).
    const sameLength = packageWith({ 'a.md': PROMPT_A, 'b.md': PROMPT_B });
    writeMarkedIndex(sameLength);
    const swapped = PROMPT_A.replace('the real description', 'the fake description');
    expect(swapped).toHaveLength(PROMPT_A.length);
    writeFileSync(path.join(sameLength, 'a.md'), swapped);
    expect(indexedPromptSummaries(sameLength)).toBeUndefined();

    const added = packageWith({ 'a.md': PROMPT_A });
    writeMarkedIndex(added);
    writeFileSync(path.join(added, 'b.md'), PROMPT_B);
    expect(indexedPromptSummaries(added)).toBeUndefined();

    const removed = packageWith({ 'a.md': PROMPT_A, 'b.md': PROMPT_B });
    writeMarkedIndex(removed);
    rmSync(path.join(removed, 'b.md'));
    expect(indexedPromptSummaries(removed)).toBeUndefined();
    expect(listPrompts({ promptsDir: removed }).map((prompt) => prompt.id)).toEqual(['a']);
  });

  it('is ignored when missing, corrupt or of another version', () => {
    const dir = packageWith({ 'a.md': PROMPT_A });
    expect(indexedPromptSummaries(dir)).toBeUndefined();
    writeFileSync(promptIndexFile(dir), '{"version": 1, "files": ');
    expect(indexedPromptSummaries(dir)).toBeUndefined();
    writeMarkedIndex(dir);
    const index = JSON.parse(readFileSync(promptIndexFile(dir), 'utf8')) as { version: number };
    writeFileSync(promptIndexFile(dir), JSON.stringify({ ...index, version: 99 }));
    expect(indexedPromptSummaries(dir)).toBeUndefined();
    expect(listPrompts({ promptsDir: dir }).map((prompt) => prompt.description)).toEqual(['the real description']);
  });

  it('as the build wrote it, says exactly what parsing the shipped prompts says', () => {
    // `npm test` builds first, so dist/prompt-index.json is the one that ships.
    expect(indexedPromptSummaries(PROMPTS_DIR)).toEqual(PromptRegistry.fromDirectory(PROMPTS_DIR).list());
  });
});
