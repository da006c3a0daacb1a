import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BundleSchema } from '../../src/shapes/bundle.js';
import { TypeChecker } from '../../src/validation/type-checker.js';
import { testGate } from '../helpers/test-gate.js';

const checker = new TypeChecker();

function bundle(files: Record<string, string>, name = 'Button') {
  return BundleSchema.parse({ name, files: Object.entries(files).map(([path, contents]) => ({ path, contents })), dependencies: {} });
}

describe('type checking a bundle', () => {
  it('accepts a typed component importing React, Radix and a CSS module', async () => {
    const findings = await checker.check(
      bundle({
        'Button.tsx': `import * as Dialog from '@radix-ui/react-dialog';\nimport { useState, type ReactNode } from 'react';\nimport styles from './Button.module.css';\nimport { helper } from './helper';\nexport function Button({ children }: { children: ReactNode }) {\n  const [open, setOpen] = useState(false);\n  return <Dialog.Root open={open} onOpenChange={setOpen}><button className={styles.root} onClick={() => setOpen(!open)}>{children}{helper(1)}</button></Dialog.Root>;\n}\n`,
        'helper.ts': 'export const helper = (n: number): string => String(n);\n',
        'Button.module.css': '.root { color: var(--x); }',
      }),
    );
    expect(findings).toEqual([]);
    const second = await checker.check(bundle({ 'Card.tsx': `export function Card(props: { title: string }) { const n: number = props.title; return <h2>{n}</h2>; }` }, 'Card'));
    expect(second.map((f) => f.code)).toEqual(['TS2322']);
  });
});

describe('the type layer in the gate', () => {
  it('reports every type error of the bundle with file, line and column, and stops before design-system rules', async () => {
    const result = await testGate()
      .withTypeChecker(checker)
      .validate(
        bundle({
          'Button.tsx':
            "import { label } from './label';\nexport function Button() {\n  const n: number = label;\n  return <button type=\"button\" style={{ color: 'red' }}>{n.toFixed(1)}</button>;\n}\n",
          'label.ts': "export const label = 'x';\nexport const count: string = 1;\n",
        }),
      );
    expect(result.layersRun).toEqual(['schema', 'syntax', 'types']);
    expect(result.errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`)).toEqual(['Button.tsx:3:9 TS2322', 'label.ts:2:14 TS2322']);
  });

  it('keeps memory flat across many different bundles (its speed is `npm run bench`)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 30; i++) await checker.check(bundle({ [`C${i}.tsx`]: `export function C${i}() { return <p>{${i}}</p>; }\n` }, `C${i}`));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 30; i < 80; i++) await checker.check(bundle({ [`C${i}.tsx`]: `export function C${i}() { return <p>{${i}}</p>; }\n` }, `C${i}`));
    gc();
    // Old bundle files leave the DocumentRegistry when replaced: the live heap does not grow with the run count.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
  });
});
