import { isStoryFile, isTestFile, type Bundle } from '../shapes/bundle.js';

/** Packages any component file may import: React itself and the Radix primitives the catalog is built on. */
export const ALLOWED_PACKAGES: readonly string[] = [
  'react',
  'react-dom',
  '@radix-ui/react-avatar',
  '@radix-ui/react-checkbox',
  '@radix-ui/react-dialog',
  '@radix-ui/react-dropdown-menu',
  '@radix-ui/react-progress',
  '@radix-ui/react-radio-group',
  '@radix-ui/react-slider',
  '@radix-ui/react-switch',
  '@radix-ui/react-tabs',
];

/** Packages only test and story files may import (they are dev dependencies of the consuming app). */
export const TEST_ONLY_PACKAGES: readonly string[] = [
  'vitest',
  '@testing-library/react',
  '@testing-library/dom',
  '@testing-library/user-event',
  '@testing-library/jest-dom',
  '@storybook/react',
  'axe-core',
];

/** Packages the host app always provides, so a bundle need not list them in `dependencies`. */
export const PEER_PACKAGES: ReadonlySet<string> = new Set(['react', 'react-dom']);

/** `@scope/name/sub` → `@scope/name`; `react/jsx-runtime` → `react`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

const RESOLVABLE_EXTENSIONS = ['', '.tsx', '.ts', '.jsx', '.js', '.css', '.json'];

/** The bundle file a relative import names, or undefined (bundles are flat: `./X` only). */
export function resolveRelativeImport(specifier: string, bundle: Bundle): string | undefined {
  if (!specifier.startsWith('./') || specifier.slice(2).includes('/')) return undefined;
  const base = specifier.slice(2).replace(/\.js$/, '');
  const names = new Set(bundle.files.map((file) => file.path));
  for (const extension of RESOLVABLE_EXTENSIONS) {
    if (names.has(base + extension)) return base + extension;
  }
  // `./Button.js` written for NodeNext-style resolution still means Button.tsx.
  if (names.has(specifier.slice(2))) return specifier.slice(2);
  return undefined;
}

export type ImportVerdict = 'allowed' | 'not-allowed' | 'test-only' | 'unresolved';

export function judgeImport(specifier: string, importingFile: string, bundle: Bundle, allowDependencies: ReadonlySet<string>): ImportVerdict {
  if (isRelativeSpecifier(specifier)) return resolveRelativeImport(specifier, bundle) ? 'allowed' : 'unresolved';
  const name = packageNameOf(specifier);
  if (ALLOWED_PACKAGES.includes(name) || allowDependencies.has(name) || allowDependencies.has(specifier)) return 'allowed';
  const testOnly = TEST_ONLY_PACKAGES.includes(name) || name.startsWith('@testing-library/');
  if (testOnly) return isTestFile(importingFile) || isStoryFile(importingFile) ? 'allowed' : 'test-only';
  return 'not-allowed';
}
