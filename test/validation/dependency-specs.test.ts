import { describe, expect, it } from 'vitest';
import { dependencySpecProblem, mergeRange } from '../../src/validation/dependency-specs.js';
import { card, validate } from './support.js';

const dialogCard = card('<Dialog.Root><h2 className={styles.root}>{title}</h2></Dialog.Root>', { imports: "import * as Dialog from '@radix-ui/react-dialog';\n" });

describe('dependency versions in a bundle are npm semver ranges', () => {
  it('refuses an npm alias behind an allowlisted name, naming the package and the spec', async () => {
    const result = await validate({ 'Card.tsx': dialogCard }, { dependencies: { '@radix-ui/react-dialog': 'npm:left-pad@1.3.0' } });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ layer: 'design-system', code: 'dependency-alias', message: expect.stringContaining('"@radix-ui/react-dialog": "npm:left-pad@1.3.0"') })]);
  });

  it('accepts the same bundle with a range', async () => {
    const result = await validate({ 'Card.tsx': dialogCard }, { dependencies: { '@radix-ui/react-dialog': '^1.1.0' } });
    expect(result.errors).toEqual([]);
  });

  it.each([
    ['git+https://github.com/radix-ui/primitives.git', 'dependency-git'],
    ['git://github.com/radix-ui/primitives.git#v1', 'dependency-git'],
    ['github:radix-ui/primitives', 'dependency-git'],
    ['radix-ui/primitives#main', 'dependency-git'],
    ['file:../x', 'dependency-local'],
    ['link:../x', 'dependency-local'],
    ['workspace:*', 'dependency-local'],
    ['https://example.com/react-dialog-1.0.0.tgz', 'dependency-url'],
    ['latest', 'dependency-dist-tag'],
    ['next', 'dependency-dist-tag'],
    ['^1.2.3 ||| 2', 'dependency-range-invalid'],
  ])('%s → %s', (spec, code) => {
    const problem = dependencySpecProblem('@radix-ui/react-dialog', spec);
    expect(problem?.code).toBe(code);
    expect(problem?.message).toContain(`"@radix-ui/react-dialog": "${spec}"`);
  });

  it('a dist-tag is refused with a hint to pin a range', () => {
    expect(dependencySpecProblem('react', 'latest')?.suggestion).toMatch(/Pin a range instead of "latest"/);
  });

  it.each(['^1.2.3', '~2.0.0', '1.x', '>=1.4.0 <2.0.0', '1.2.3', '^18.0.0 || ^19.0.0', '*'])('accepts the range %s', (spec) => {
    expect(dependencySpecProblem('react', spec)).toBeUndefined();
  });
});

describe('merging two ranges of one package', () => {
  it('keeps the narrower, or both as an "and", when they intersect', () => {
    expect(mergeRange('^1.2.0', '^1.2.0')).toEqual({ ok: true, range: '^1.2.0' });
    expect(mergeRange('^1.2.0', '^1.4.0')).toEqual({ ok: true, range: '^1.4.0' });
    expect(mergeRange('^1.4.0', '^1.2.0')).toEqual({ ok: true, range: '^1.4.0' });
    expect(mergeRange('>=1.2.0 <3.0.0', '>=2.5.0')).toEqual({ ok: true, range: '>=1.2.0 <3.0.0 >=2.5.0' });
    // "||" binds looser than " ", so an "and" is distributed over the alternatives that can hold.
    const merged = mergeRange('>=1.2.0 <2.5.0', '^2.0.0 || ^1.0.0 || ^4.0.0');
    expect(merged).toEqual({ ok: true, range: '>=1.2.0 <2.5.0 ^2.0.0 || >=1.2.0 <2.5.0 ^1.0.0' });
  });

  it('refuses ranges no version satisfies', () => {
    expect(mergeRange('^1.2.0', '^2.0.0')).toEqual({ ok: false });
  });
});
