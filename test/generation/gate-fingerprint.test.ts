import { describe, expect, it } from 'vitest';
import { gateFingerprint, gateFingerprintDetails } from '../../src/generation/pipeline/gate-fingerprint.js';
import { VALIDATOR_VERSION } from '../../src/validation/validate-bundle.js';

describe('the gate fingerprint', () => {
  it('is derived from the rule data, the installed tool versions and the catalog contents, once per process', async () => {
    const { fingerprint, parts } = await gateFingerprintDetails();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await gateFingerprint()).toBe(fingerprint);
    // Versions of what the gate runs, as installed (not hand-bumped constants).
    const { default: ts } = await import('typescript');
    const { Linter } = await import('eslint');
    expect(parts.tools.typescript).toBe(ts.version);
    expect(parts.tools.eslint).toBe(Linter.version);
    expect(Object.keys(parts.tools).sort()).toEqual(
      [
        '@babel/parser',
        '@babel/traverse',
        '@babel/types',
        '@types/react',
        'css-tree',
        'eslint',
        'eslint-plugin-jsx-a11y',
        'eslint-plugin-react-hooks',
        'eslint-visitor-keys',
        'postcss',
        'stylelint',
        'stylelint-declaration-strict-value',
        'typescript',
      ].sort(),
    );
    for (const version of Object.values(parts.tools)) expect(version).toMatch(/^(\d+\.\d+\.\d+|rule-sha256:[0-9a-f]{64})/);
    expect(parts.rules).toMatchObject({ validatorVersion: VALIDATOR_VERSION });
    expect(parts.rules.allowedPackages as string[]).toContain('react');
    expect(parts.catalog).toMatch(/^[0-9a-f]{64}$/);
  });
});
