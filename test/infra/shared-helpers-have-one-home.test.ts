import { parse } from '@babel/parser';
import type * as t from '@babel/types';
import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../src/infra/edit-distance.js';
import { escapeHtml } from '../../src/infra/escape-html.js';
import { evaluateLiteral } from '../../src/infra/evaluate-literal.js';
import { mapLimited } from '../../src/infra/map-limited.js';
import { once } from '../../src/infra/once.js';

function expressionOf(source: string): t.Node {
  const statement = parse(`(${source});`).program.body[0] as t.ExpressionStatement;
  return statement.expression;
}
const refuse = (problem: string) => new Error(problem);

describe('edit distance, one function for the catalog, the theme and the gate', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('Button', 'Button')).toBe(0);
    expect(editDistance('flaw', 'lawn')).toBe(2);
  });

  it('stops at the limit once every path has reached it, and is exact below it', () => {
    expect(editDistance('color.brand.500', 'spacing.large.extra', 3)).toBe(3);
    expect(editDistance('color.brand.500', 'color.brand.50', 3)).toBe(1);
  });

  it('offers the closest names first, ties alphabetically', () => {
    expect(closestNames('--color-primry', ['--color-primary', '--color-secondary', '--colour-primary', '--space-1'], 2)).toEqual(['--color-primary', '--colour-primary']);
  });
});

describe('literal evaluation, one evaluator for catalog defaults and screen props', () => {
  it('reads plain data, negative numbers included', () => {
    expect(evaluateLiteral(expressionOf(`{ a: 'x', "b": [1, -2, true, null], c: { d: 0.5 } }`), refuse)).toEqual({ a: 'x', b: [1, -2, true, null], c: { d: 0.5 } });
  });

  it('keeps a __proto__ key as an own property, never the prototype', () => {
    const value = evaluateLiteral(expressionOf(`{ ["__proto__"]: { polluted: true } }`), refuse) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses anything that is not data, saying what it found', () => {
    expect(() => evaluateLiteral(expressionOf('useId()'), refuse)).toThrow('CallExpression where a literal belongs');
    expect(() => evaluateLiteral(expressionOf('[1, , 2]'), refuse)).toThrow('a hole in an array');
    expect(() => evaluateLiteral(expressionOf('[...items]'), refuse)).toThrow('SpreadElement where a literal belongs');
    expect(() => evaluateLiteral(expressionOf('{ [key]: 1 }'), refuse)).toThrow('a computed key');
    expect(() => evaluateLiteral(expressionOf('{ ...rest }'), refuse)).toThrow('an object member is not a plain property');
  });
});

describe('escapeHtml, one for the dashboard and the preview document', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">'Tom' & Jerry</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; Jerry&lt;/a&gt;');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('mapLimited, one bounded pool for the S3 cache, the S3 export store and screen routing', () => {
  it('runs at most `limit` at once and answers in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimited([30, 10, 20, 0, 5], 2, async (delay) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve, delay));
      running--;
      return delay * 2;
    });
    expect(results).toEqual([60, 20, 40, 0, 10]);
    expect(most).toBe(2);
  });

  it('starts no item once the signal has fired', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapLimited(
      [1, 2, 3, 4],
      1,
      async (item) => {
        started.push(item);
        if (item === 2) controller.abort(new Error('stopped'));
        return item;
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('stopped');
    expect(started).toEqual([1, 2]);
  });
});

describe('once, one memo for the runtime’s parts, the export store and the schema check', () => {
  it('builds once for every caller, and builds again after a failure', async () => {
    let builds = 0;
    let fail = true;
    const part = once(async () => {
      builds++;
      if (fail) throw new Error('not yet');
      return 'ready';
    });
    await expect(Promise.all([part(), part()])).rejects.toThrow('not yet');
    expect(builds).toBe(1);
    fail = false;
    expect(await Promise.all([part(), part()])).toEqual(['ready', 'ready']);
    expect(await part()).toBe('ready');
    expect(builds).toBe(2);
  });
});
