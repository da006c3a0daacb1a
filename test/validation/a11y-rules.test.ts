import { describe, expect, it } from 'vitest';
import { card, validate } from './support.js';

async function a11yFindings(jsx: string, options: { before?: string; props?: string; imports?: string } = {}) {
  const result = await validate({ 'Card.tsx': card(jsx, options) });
  return [...result.errors, ...result.warnings].filter((f) => f.layer === 'a11y').map((f) => `${f.severity} ${f.code}`);
}

describe('accessibility and hooks rules over TSX', () => {
  it('requires alt text on images', async () => {
    expect(await a11yFindings('<img className={styles.root} src="/a.png" />')).toEqual(['error jsx-a11y/alt-text']);
  });

  it('requires an accessible name on controls', async () => {
    expect(await a11yFindings('<button type="button" className={styles.root} />')).toEqual(['error jsx-a11y/control-has-associated-label']);
    expect(await a11yFindings('<button type="button" className={styles.root} aria-label={title} />')).toEqual([]);
  });

  it('rejects click handlers on non-interactive elements without role and keyboard support', async () => {
    expect(await a11yFindings('<div className={styles.root} onClick={() => {}}>{title}</div>')).toEqual([
      'error jsx-a11y/click-events-have-key-events',
      'error jsx-a11y/no-static-element-interactions',
    ]);
  });

  it('rejects invalid ARIA attributes and roles', async () => {
    expect(await a11yFindings('<h2 className={styles.root} aria-labelled="x" role="headline">{title}</h2>')).toEqual(['error jsx-a11y/aria-props', 'error jsx-a11y/aria-role']);
  });

  it('rejects hooks called in a condition or a loop, with TypeScript syntax around them', async () => {
    const before = '';
    const props = '{ title, items }: { title: string; items: string[] }';
    const jsx = '<h2 className={styles.root}>{title}</h2>';
    const source = card(jsx, { props, before, imports: "import { useState, useEffect } from 'react';\n" }).replace(
      '  return (',
      '  if (items.length > 0) {\n    useState<number>(0);\n  }\n  for (const item of items as readonly string[]) {\n    useEffect(() => void item);\n  }\n  return (',
    );
    const result = await validate({ 'Card.tsx': source });
    expect(result.errors.map((f) => [f.code, f.line])).toEqual([
      ['react-hooks/rules-of-hooks', 6],
      ['react-hooks/rules-of-hooks', 9],
    ]);
  });

  it('reports missing effect dependencies as a warning that does not fail the bundle', async () => {
    const source = card('<h2 className={styles.root}>{text}</h2>', { imports: "import { useEffect, useState } from 'react';\n" }).replace(
      '  return (',
      "  const [text, setText] = useState('');\n  useEffect(() => setText(title), []);\n  return (",
    );
    const result = await validate({ 'Card.tsx': source });
    expect(result.valid).toBe(true);
    expect(result.warnings.map((f) => f.code)).toEqual(['react-hooks/exhaustive-deps']);
  });

  it('ignores eslint-disable comments in generated code', async () => {
    expect(await a11yFindings('// eslint-disable-next-line\n    <img className={styles.root} src="/a.png" />')).toEqual(['error jsx-a11y/alt-text']);
  });
});
