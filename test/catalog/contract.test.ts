import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VARIABLES, ContractVariableSchema, findContractVariable, SHARED_PREFIX } from '../../src/catalog/contract.js';

const THEMES = path.resolve('../shared/fixtures/tekton-themes');
const available = existsSync(THEMES);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`${THEMES} is missing: under CI the shared fixtures are required.`);
}
/** linear-minimal-v1.json is malformed JSON as published; the other seven are valid. */
const VALID_THEMES = ['blue-bottle-v2', 'classic-magazine-v1', 'dark-fitness-v1', 'equinox-fitness-v1', 'platform-minimal', 'round-minimal-v1', 'saas-minimal-v1'];

function hasPath(theme: Record<string, unknown>, dotted: string): boolean {
  const lookIn = (root: unknown) => dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root) !== undefined;
  return lookIn(theme['tokens']) || lookIn(theme);
}

describe('the variable contract', () => {
  it('has unique, well-formed entries', () => {
    const names = CONTRACT_VARIABLES.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of CONTRACT_VARIABLES) expect(ContractVariableSchema.parse(entry)).toEqual(entry);
  });

  it('names component variables --<component>-<part>-<property> and shared ones --dspec-*', () => {
    const components = new Set([
      'button',
      'input',
      'card',
      'text',
      'heading',
      'image',
      'link',
      'list',
      'form',
      'modal',
      'tabs',
      'table',
      'badge',
      'avatar',
      'dropdown',
      'checkbox',
      'radio',
      'switch',
      'slider',
      'progress',
    ]);
    for (const { name } of CONTRACT_VARIABLES) {
      if (name.startsWith(SHARED_PREFIX)) continue;
      expect(components.has(name.slice(2).split('-')[0]!), name).toBe(true);
    }
  });

  it('refers only to contract variables, without cycles, and every chain ends in a literal fallback', () => {
    const resolving = new Set<string>();
    const visit = (name: string): void => {
      expect(resolving.has(name), `cycle through ${name}`).toBe(false);
      const entry = findContractVariable(name);
      expect(entry, `${name} is referenced but not in the contract`).toBeDefined();
      resolving.add(name);
      for (const source of entry!.sources) if (source.startsWith('--')) visit(source);
      resolving.delete(name);
    };
    for (const entry of CONTRACT_VARIABLES) visit(entry.name);
  });

  it('keeps colour literals in fallbacks only, never in sources', () => {
    for (const entry of CONTRACT_VARIABLES) {
      for (const source of entry.sources) expect(source).not.toMatch(/[#(]/);
    }
  });

  it.skipIf(!available).each(VALID_THEMES)('finds a theme token for the core shared variables in %s', (id) => {
    const theme = JSON.parse(readFileSync(path.join(THEMES, `${id}.json`), 'utf8')) as Record<string, unknown>;
    const core = [
      '--dspec-font-sans',
      '--dspec-space-4',
      '--dspec-radius-md',
      '--dspec-shadow-sm',
      '--dspec-color-surface',
      '--dspec-color-text',
      '--dspec-color-border',
      '--dspec-color-brand',
      '--dspec-color-on-brand',
    ];
    const unresolved = core.filter((name) => !findContractVariable(name)!.sources.some((source) => !source.startsWith('--') && hasPath(theme, source)));
    expect(unresolved).toEqual([]);
  });
});
