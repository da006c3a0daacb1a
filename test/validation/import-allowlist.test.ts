import { describe, expect, it } from 'vitest';
import { card, codes, validate } from './support.js';

const withImport = (line: string) => card('<h2 className={styles.root}>{title}</h2>', { imports: `${line}\n` });

describe('the import allowlist', () => {
  it('accepts React, react-dom, the JSX runtime and declared Radix packages', async () => {
    const result = await validate(
      {
        'Card.tsx': withImport(
          "import { createPortal } from 'react-dom';\nimport type { JSX } from 'react/jsx-runtime';\nimport * as Tabs from '@radix-ui/react-tabs';\nexport type T = JSX.Element | typeof createPortal | typeof Tabs.Root;",
        ),
      },
      { dependencies: { '@radix-ui/react-tabs': '^1.1.0' } },
    );
    expect(codes(result)).toEqual([]);
  });

  it.each([
    ["import dayjs from 'dayjs';", 'dayjs'],
    ["import { z } from 'zod';", 'zod'],
    ["import fs from 'node:fs';", 'node:fs'],
    ["export * from 'zod';", 'zod'],
    ["const lazy = import('lodash');", 'lodash'],
  ])('rejects %s naming the import', async (line, specifier) => {
    const result = await validate({ 'Card.tsx': withImport(line) });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'import-not-allowed', layer: 'design-system', line: 1, message: expect.stringContaining(`"${specifier}"`) })]);
  });

  it('allows extra packages through allowDependencies (typings unchecked when not installed)', async () => {
    const result = await validate({ 'Card.tsx': withImport("import clsx from 'clsx';\nexport const c = clsx;") }, { allowDependencies: ['clsx'], dependencies: { clsx: '^2.0.0' } });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((f) => f.code)).toEqual(['types-unavailable']);
  });

  it('keeps test libraries to test files', async () => {
    const inComponent = await validate({ 'Card.tsx': withImport("import { vi } from 'vitest';\nexport const spy = vi.fn();") });
    expect(inComponent.errors[0]).toMatchObject({ code: 'import-not-allowed', message: expect.stringContaining('only be imported by test and story files') });
  });

  it('reports relative imports that name no bundle file, and paths outside the bundle', async () => {
    const result = await validate({ 'Card.tsx': withImport("import { Icon } from './Icon';\nimport { cn } from '../utils/cn';\nexport const x = [Icon, cn];") });
    expect(result.errors.map((f) => [f.code, f.line])).toEqual([
      ['import-unresolved', 1],
      ['import-unresolved', 2],
    ]);
  });

  it('requires every imported package except React to be in dependencies, and only allowed ones there', async () => {
    const undeclared = await validate({ 'Card.tsx': withImport("import * as Tabs from '@radix-ui/react-tabs';\nexport const T = Tabs.Root;") });
    expect(undeclared.errors.map((f) => f.code)).toEqual(['dependency-undeclared']);
    const disallowed = await validate({ 'Card.tsx': withImport('') }, { dependencies: { 'left-pad': '1.3.0' } });
    expect(disallowed.errors.map((f) => f.code)).toEqual(['dependency-not-allowed']);
  });

  it('requires the component to be exported by name from its main file', async () => {
    const result = await validate({ 'Card.tsx': "import styles from './Card.module.css';\n\nexport default function Card() {\n  return <h2 className={styles.root}>Hi</h2>;\n}\n" });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'missing-export', message: 'Card.tsx does not export Card by name (it has only a default export)' })]);
  });
});
