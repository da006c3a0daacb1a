import { describe, expect, it } from 'vitest';
import { findExternalResources } from '../../src/validation/external-resources.js';
import { card, codes, validate } from './support.js';

const CSS_OK = '.root {\n  color: var(--color-text);\n}\n';

describe('resources from another host', () => {
  it.each([
    ['https url()', '.root { background-image: url(https://tracker.example/pixel.png); }'],
    ['quoted http url()', ".root { background: url('http://cdn.example/a.svg') no-repeat; }"],
    ['protocol-relative url()', '.root { mask-image: url("//cdn.example/m.svg"); }'],
    ['remote @import', "@import 'https://fonts.example/css?family=X';\n.root { color: var(--color-text); }"],
  ])('refuses a %s in a CSS module', async (_label, css) => {
    const result = await validate({ 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': css });
    expect(codes(result)).toContain('external-resource');
    expect(result.errors.find((f) => f.code === 'external-resource')).toMatchObject({ layer: 'design-system', file: 'Card.module.css', line: 1 });
  });

  it('refuses a remote url() in an inline style of the component', async () => {
    const result = await validate({ 'Card.tsx': card("<h2 className={styles.root} style={{ backgroundImage: 'url(https://tracker.example/p.png)' }}>{title}</h2>"), 'Card.module.css': CSS_OK });
    expect(codes(result)).toEqual(['external-resource']);
  });

  it('lets fragments, data: URIs and relative paths through', () => {
    expect(findExternalResources(".a { fill: url(#grad); background: url(data:image/png;base64,AAAA); } .b { background: url('./bg.png'); }")).toEqual([]);
  });
});
