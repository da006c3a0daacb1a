import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { ALLOWED_PACKAGES } from '../validation/import-allowlist.js';

/**
 * The packages a preview imports (React, React DOM, the Radix primitives) and axe-core's browser
 * script, prebuilt by `npm run build` into plain browser ESM under dist/preview/vendor/. The
 * preview bundler resolves a component's bare imports to those files, so the installed package
 * needs none of these packages in a node_modules: only esbuild (a native binary) stays a
 * runtime dependency of the preview.
 */

/** Relative to the package root. */
export const PREBUILT_VENDOR_DIR = path.join('dist', 'preview', 'vendor');

/** axe-core's browser script, copied as it ships. */
export const AXE_SCRIPT_FILE = 'axe.min.js';

/** The packages prebuilt: every package a component may import. */
export const VENDOR_PACKAGES: readonly string[] = ALLOWED_PACKAGES;

/** `react/jsx-runtime` → `react__jsx-runtime.js`; `@radix-ui/react-tabs` → `@radix-ui__react-tabs.js`. */
export function vendorFileName(specifier: string): string {
  return `${specifier.split('/').join('__')}.js`;
}

/**
 * A package's entries a browser preview can import: its root and the subpaths of its `exports`
 * map, without `package.json`, patterns, and the runtime-specific variants (`server.node`,
 * `static.edge`…), whose plain names (`server`, `static`) resolve to the browser build anyway.
 */
export function vendorSpecifiers(name: string, exportsMap: unknown): string[] {
  const keys = exportsMap && typeof exportsMap === 'object' && !Array.isArray(exportsMap) && Object.keys(exportsMap).every((key) => key.startsWith('.')) ? Object.keys(exportsMap) : ['.'];
  return keys.filter((key) => key === '.' || (/^\.\/[\w-]+(\/[\w-]+)*$/.test(key) && !NOT_FOR_PREVIEWS.has(key.slice(2)))).map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

/** `react-dom/profiling` is a second full copy of React DOM for the DevTools profiler: no use in a preview. */
const NOT_FOR_PREVIEWS = new Set(['profiling']);

/** Where a prebuilt vendor folder is, or undefined in a checkout that has not been built. */
export function prebuiltVendorDir(packageRoot: string): string | undefined {
  const directory = path.join(packageRoot, PREBUILT_VENDOR_DIR);
  return existsSync(directory) ? directory : undefined;
}

/** Bare imports → the prebuilt files; a package that is not prebuilt is a clear bundling error. */
export function prebuiltVendorPlugin(vendorDir: string): Plugin {
  return {
    name: 'dspec-preview-vendor',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        const file = path.join(vendorDir, vendorFileName(args.path));
        if (existsSync(file)) return { path: file };
        return { errors: [{ text: `${args.path} is not available in a preview: a component may import ${VENDOR_PACKAGES.join(', ')} (and their browser subpaths)` }] };
      });
    },
  };
}
