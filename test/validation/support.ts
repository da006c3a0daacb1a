import type { ValidateBundleOptions, ValidationResult } from '../../src/validation/validate-bundle.js';
import { testGate } from '../helpers/test-gate.js';

export const THEME = new Set(['--color-primary', '--color-text', '--color-surface', '--color-surface-raised', '--space-1', '--space-2', '--radius-md']);

export const CSS = '.root {\n  color: var(--color-text);\n  padding: var(--space-2);\n}\n';

/** A bundle from a file map; the component is `Card` unless told otherwise. */
export function bundleOf(files: Record<string, string>, extra: { name?: string; dependencies?: Record<string, string> } = {}) {
  return {
    name: extra.name ?? 'Card',
    files: Object.entries(files).map(([path, contents]) => ({ path, contents })),
    dependencies: extra.dependencies ?? {},
  };
}

/** A Card component whose JSX (and optional code before it) can be swapped in. */
export function card(jsx: string, { before = '', imports = '', props = '{ title }: { title: string }' } = {}): string {
  return `${imports}import styles from './Card.module.css';\n\n${before}export function Card(${props}) {\n  return (\n    ${jsx}\n  );\n}\n`;
}

export async function validate(files: Record<string, string>, options: ValidateBundleOptions & { name?: string; dependencies?: Record<string, string> } = {}): Promise<ValidationResult> {
  const { name, dependencies, ...rest } = options;
  return testGate().validate(bundleOf({ 'Card.module.css': CSS, ...files }, { name, dependencies }), { themeVariables: THEME, ...rest });
}

export function codes(result: ValidationResult): string[] {
  return [...result.errors, ...result.warnings].map((f) => f.code);
}
