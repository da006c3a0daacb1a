import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseFrontMatter, splitFrontMatter } from '../../src/generation/prompts/front-matter.js';
import { getPrompt, listPrompts, PromptRegistry, renderPrompt } from '../../src/generation/prompts/prompt-registry.js';
import { PROMPTS_DIR } from './support.js';

function promptsDir(files: Record<string, string>): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-prompts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(directory, name), text);
  return directory;
}

describe('front matter', () => {
  it('reads scalars, lists and maps nested three levels', () => {
    const data = parseFrontMatter(
      [
        'id: demo # a comment',
        'version: 1.2.0',
        'count: 3',
        'on: true',
        'quoted: "a: b # c"',
        'requires:',
        '  - base',
        "  - 'other'",
        'inline: [a, "b c"]',
        'variables:',
        '  name:',
        '    required: true',
        '    default: x',
      ].join('\n'),
    );
    expect(data).toEqual({
      id: 'demo',
      version: '1.2.0',
      count: 3,
      on: true,
      quoted: 'a: b # c',
      requires: ['base', 'other'],
      inline: ['a', 'b c'],
      variables: { name: { required: true, default: 'x' } },
    });
  });

  it('is read by the yaml package: block scalars work, errors name their line', () => {
    expect(parseFrontMatter('a: |\n  two\n  lines\nb: >-\n  folded\n  text')).toEqual({ a: 'two\nlines\n', b: 'folded text' });
    expect(() => parseFrontMatter('a: 1\na: 2')).toThrow(/line 2: .*unique/i);
    expect(() => parseFrontMatter('a: 1\nb: [1, 2', 5)).toThrow(/line 6: /);
    expect(() => parseFrontMatter('a: !!binary aGk=')).toThrow(/not allowed in front matter/);
    expect(() => parseFrontMatter('- a\n- b')).toThrow(/map of "key: value"/);
    expect(() => splitFrontMatter('no front matter')).toThrow(/must start with front matter/);
  });
});

describe('the prompt registry', () => {
  it('lists the shipped prompts for MCP registration, with their arguments', () => {
    const prompts = listPrompts({ promptsDir: PROMPTS_DIR });
    expect(prompts.map((p) => p.id)).toEqual(['component-generation', 'dspec-system', 'repair-feedback', 'truncation-note']);
    const component = prompts.find((p) => p.id === 'component-generation')!;
    expect(component.variables.filter((v) => v.required).map((v) => v.name)).toEqual(['name', 'description', 'outputSchema']);
    expect(getPrompt('component-generation', { promptsDir: PROMPTS_DIR }).requires).toEqual(['dspec-system']);
  });

  it('puts required prompts in the system part and hashes the whole prompt and its static prefix', () => {
    const a = renderPrompt('component-generation', { name: 'StatCard', description: 'a card', outputSchema: '{}' }, { promptsDir: PROMPTS_DIR });
    const b = renderPrompt('component-generation', { name: 'Other', description: 'a card', outputSchema: '{}' }, { promptsDir: PROMPTS_DIR });
    expect(a.system).toContain('submit_component');
    expect(a.user).toHaveLength(2);
    expect(a.user[1]).toContain('`StatCard`');
    expect(a.staticPrefixHash).toBe(b.staticPrefixHash);
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a missing required variable before any call', () => {
    expect(() => renderPrompt('component-generation', { name: 'StatCard' }, { promptsDir: PROMPTS_DIR })).toThrow(InputError);
    expect(() => renderPrompt('component-generation', { name: 'StatCard' }, { promptsDir: PROMPTS_DIR })).toThrow(/description, component-generation: outputSchema/);
  });

  it('warns when a deprecated prompt is used, naming its replacement', () => {
    const registry = PromptRegistry.fromDirectory(
      promptsDir({
        'old.md': '---\nid: old\nversion: 1\ndescription: old one\ndeprecated: true\nreplacedBy: new\n---\nHello',
        'new.md': '---\nid: new\nversion: 2\ndescription: new one\n---\nHello',
      }),
    );
    expect(registry.compose('old', {}).warnings).toEqual(['Prompt "old" (version 1) is deprecated; use "new" instead.']);
    expect(registry.compose('new', {}).warnings).toEqual([]);
    expect(registry.list().find((p) => p.id === 'old')).toMatchObject({ deprecated: true, replacedBy: 'new' });
  });

  it('rejects undeclared placeholders, unknown requirements and cycles at load time', () => {
    expect(() => PromptRegistry.fromDirectory(promptsDir({ 'a.md': '---\nid: a\nversion: 1\ndescription: d\n---\n{{ nope }}' }))).toThrow(/undeclared variable\(s\) nope/);
    expect(() => PromptRegistry.fromDirectory(promptsDir({ 'a.md': '---\nid: a\nversion: 1\ndescription: d\nrequires: [b]\n---\nx' }))).toThrow(/requires "b"/);
    expect(() =>
      PromptRegistry.fromDirectory(promptsDir({ 'a.md': '---\nid: a\nversion: 1\ndescription: d\nrequires: [b]\n---\nx', 'b.md': '---\nid: b\nversion: 1\ndescription: d\nrequires: [a]\n---\nx' })),
    ).toThrow(/cycle/);
  });
});
