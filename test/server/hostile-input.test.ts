import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';
import { TOOL_NAMES } from '../../src/server/create-server.js';

/**
 * Whatever arrives, every tool answers within a bounded time with either a result that matches
 * its output schema or an isError result that says something, and the server keeps serving.
 */
describe('hostile and malformed tool arguments', () => {
  let client: Client;
  let session: InMemorySession;

  beforeAll(async () => {
    // The guard's limit sits under vitest's 120 s: a hang is answered by the guard, while a slow,
    // loaded machine is not a failure (how fast each call is, is bench/reliability's to measure).
    session = await connectInMemory({ clientName: 'hostile', flags: { limits: { toolTimeoutMs: 100_000 } } });
    client = session.client;
  });
  afterAll(async () => {
    await session?.close();
  });

  /** Calls a tool and checks the answer is well-formed; returns it for further checks. */
  async function callAndCheck(name: string, args: unknown) {
    const result = await client.callTool({ name, arguments: args as Record<string, unknown> });
    const content = result.content as Array<{ type: string; text: string }>;
    expect(content.length).toBeGreaterThan(0);
    if (result.isError) expect(content[0]!.text.trim().length).toBeGreaterThan(5);
    else expect(result.structuredContent).toBeDefined();
    return result;
  }

  const nasty = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('../../etc/passwd', '/etc/passwd', 'C:\\Windows\\system32', 'Button\u0000', '\ud800', 'Bu\u200btton', '__proto__', 'constructor', ''),
    fc.constantFrom('red; } body { display: none', '</style><script>alert(1)</script>', '/* x', 'url(x', '"unbalanced', '{a.b'),
  );
  const hostileObject = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', '$value', '$type', 'tokens')), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });

  it.each([...TOOL_NAMES])('%s answers arbitrary JSON arguments well-formed', async (tool) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileObject,
          fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })),
        ),
        async (args) => {
          await callAndCheck(tool, args);
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([...TOOL_NAMES])('%s answers hostile strings in every field well-formed', async (tool) => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (a, b) => {
        await callAndCheck(tool, { name: a, theme: { id: b, tokens: { atomic: { x: a } } }, files: [{ path: a, contents: b }], description: b });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses token values that try to escape their declaration, naming the token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(';', '}', '{', '</style', '<!--', '/*', '*/', '\\', '\n', '"', "'", '(', ')'), fc.string({ maxLength: 20 }), async (breaker, tail) => {
        const value = `1px${breaker}${tail}`;
        const result = await callAndCheck('generate_theme_css', { theme: { size: { $type: 'dimension', evil: { $value: value } } } });
        if (!result.isError) {
          const css = (result.structuredContent as { css: string }).css;
          expect(css).not.toContain('</style');
          expect(css.split('{').length).toBe(css.split('}').length);
        } else {
          expect((result.content as Array<{ text: string }>)[0]!.text).toContain('size.evil');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('survives 10,000-deep nesting, a 5 MB string, huge arrays and a reference cycle', async () => {
    let deep: Record<string, unknown> = { $value: '1px', $type: 'dimension' };
    for (let i = 0; i < 10_000; i++) deep = { g: deep };
    expect((await callAndCheck('generate_theme_css', { theme: deep })).isError).toBe(true);
    expect((await callAndCheck('generate_component', { name: 'x'.repeat(5 * 1024 * 1024) })).isError).toBe(true);
    // 5,000 files is a hundred times the 50 a bundle may hold: refused by the input schema.
    expect((await callAndCheck('validate_component', { name: 'A', files: Array.from({ length: 5_000 }, (_, i) => ({ path: `f${i}.tsx`, contents: '' })) })).isError).toBe(true);
    const cycle = await callAndCheck('generate_theme_css', { theme: { a: { $type: 'color', $value: '{b}' }, b: { $type: 'color', $value: '{a}' } } });
    expect(cycle.isError).toBe(true);
    expect((cycle.content as Array<{ text: string }>)[0]!.text).toMatch(/a → b → a|b → a → b/);
  });

  it('handles a 100,000-token theme within the time limit', async () => {
    const color: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) color[`c${i}`] = { $value: `#${(i % 0xffffff).toString(16).padStart(6, '0')}` };
    const result = await callAndCheck('generate_theme_css', { theme: { color: { $type: 'color', ...color } }, componentDefaults: false });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { variableCount: number }).variableCount).toBe(100_000);
  });

  it('still lists its tools afterwards', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
  });
});
