import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlePreview } from '../../src/preview/bundle-preview.js';
import { prebuiltVendorDir, vendorFileName, vendorSpecifiers, VENDOR_PACKAGES } from '../../src/preview/preview-vendor.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** `npm test` builds dist/ first; a bare `vitest run` of this file in an unbuilt checkout skips the prebuilt part. */
const VENDOR_DIR = prebuiltVendorDir(ROOT);

describe('the preview vendor files (React, React DOM, Radix prebuilt for the browser)', () => {
  it('names one file per import specifier, and takes the browser entries of an exports map', () => {
    expect(vendorFileName('react/jsx-runtime')).toBe('react__jsx-runtime.js');
    expect(vendorFileName('@radix-ui/react-tabs')).toBe('@radix-ui__react-tabs.js');
    const reactDom = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'react-dom', 'package.json'), 'utf8')) as { exports: unknown };
    const specifiers = vendorSpecifiers('react-dom', reactDom.exports);
    expect(specifiers).toEqual(expect.arrayContaining(['react-dom', 'react-dom/client', 'react-dom/server']));
    expect(specifiers.some((specifier) => /package\.json|server\.node|\.edge|profiling/.test(specifier))).toBe(false);
    // A package without an exports map (or with a conditions-only one) has its root only.
    expect(vendorSpecifiers('x', undefined)).toEqual(['x']);
    expect(vendorSpecifiers('x', { import: './a.mjs', require: './a.js' })).toEqual(['x']);
  });

  it.skipIf(!VENDOR_DIR)('has a file for every package a component may import', () => {
    for (const name of [...VENDOR_PACKAGES, 'react/jsx-runtime', 'react-dom/client']) expect(existsSync(path.join(VENDOR_DIR!, vendorFileName(name))), name).toBe(true);
    expect(existsSync(path.join(VENDOR_DIR!, 'axe.min.js'))).toBe(true);
  });

  // That the component and Radix share one React shows in Chromium (test/preview/*chromium*): two would break every hook.
  it.skipIf(!VENDOR_DIR)('bundles a component and the Radix primitive it imports from the prebuilt files', async () => {
    const target = {
      kind: 'component' as const,
      name: 'Toggle',
      files: [
        {
          path: 'Toggle.tsx',
          contents: `import * as Switch from '@radix-ui/react-switch';\nimport { useState } from 'react';\nexport function Toggle() {\n  const [on, setOn] = useState(false);\n  return <Switch.Root checked={on} onCheckedChange={setOn}><Switch.Thumb /></Switch.Root>;\n}\n`,
        },
      ],
    };
    const bundle = await bundlePreview(target, ROOT);
    expect(bundle.js).toContain('"switch"');
    expect(bundle.js).toContain('react.transitional.element');
  });

  it.skipIf(!VENDOR_DIR)('refuses a package that is not prebuilt, naming the ones a component may import', async () => {
    const target = { kind: 'component' as const, name: 'Bad', files: [{ path: 'Bad.tsx', contents: `import pad from 'left-pad';\nexport function Bad() { return <p>{pad('a', 3)}</p>; }\n` }] };
    await expect(bundlePreview(target, ROOT)).rejects.toThrow(/left-pad is not available in a preview: a component may import react, react-dom, @radix-ui\/react-avatar/);
  });
});
