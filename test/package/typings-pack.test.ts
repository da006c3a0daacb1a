import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleSchema } from '../../src/shapes/bundle.js';
import { TypeChecker } from '../../src/validation/type-checker.js';
import { PackedTypings, TYPINGS_PACK_NAME, type TypingsPackFile } from '../../src/validation/typings-source.js';

// Written by `npm run build` (which `npm test` runs first).
const packFile = path.resolve('dist', TYPINGS_PACK_NAME);

function bundle(files: Record<string, string>, name: string) {
  return BundleSchema.parse({ name, files: Object.entries(files).map(([file, contents]) => ({ path: file, contents })), dependencies: {} });
}

/** Bundles whose findings exercise React's JSX typings, Radix's props, lib files and `./` imports in typings. */
const CASES = [
  bundle(
    {
      'Button.tsx': `import * as Dialog from '@radix-ui/react-dialog';\nimport * as Tabs from '@radix-ui/react-tabs';\nimport { useState, type ReactNode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport styles from './Button.module.css';\nexport function Button({ children }: { children: ReactNode }) {\n  const [open, setOpen] = useState(false);\n  void createRoot;\n  return <Dialog.Root open={open} onOpenChange={setOpen}><Tabs.Root defaultValue="a"><button className={styles.root} onClick={() => setOpen(!open)}>{children}{[1, 2].at(-1)}</button></Tabs.Root></Dialog.Root>;\n}\n`,
      'Button.module.css': '.root { color: var(--x); }',
    },
    'Button',
  ),
  bundle(
    {
      'Card.tsx': `import * as Switch from '@radix-ui/react-switch';\nexport function Card(props: { title: string }) {\n  const n: number = props.title;\n  return <section><h2 onClick={42}>{n}</h2><Switch.Root checked="yes" /><Nope /></section>;\n}\n`,
    },
    'Card',
  ),
];

describe.skipIf(!existsSync(packFile))('the typings pack the installed package ships (dist/typings.json.br)', () => {
  it('gives the same findings as the typings in node_modules', { timeout: 120_000 }, async () => {
    const pack = JSON.parse(brotliDecompressSync(readFileSync(packFile)).toString('utf8')) as TypingsPackFile;
    const root = path.resolve(path.sep, 'dspec-typings');
    const packed = new TypeChecker({ projectRoot: root, typings: new PackedTypings(root, pack) });
    const disk = new TypeChecker();
    for (const input of CASES) {
      const expected = await disk.check(input);
      expect(await packed.check(input)).toEqual(expected);
    }
    // The second case is wrong in four ways; the pack must see all of them, not just lib errors.
    expect((await packed.check(CASES[1]!)).map((finding) => finding.code).sort()).toEqual(['TS2304', 'TS2322', 'TS2322', 'TS2322']);
  });

  it('holds TypeScript lib files and the allowed packages typings, not whole packages or test libraries', () => {
    const pack = JSON.parse(brotliDecompressSync(readFileSync(packFile)).toString('utf8')) as TypingsPackFile;
    const names = Object.keys(pack.files);
    expect(names).toContain(pack.defaultLib);
    expect(names).toContain('node_modules/@types/react/jsx-runtime.d.ts');
    expect(names.every((name) => /\.d\.[cm]?ts$|\/package\.json$/.test(name))).toBe(true);
    expect(names.some((name) => name.includes('/vitest/') || name.includes('/@testing-library/'))).toBe(false);
  });
});
