import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CSS_NAMED_COLOURS } from '../../src/validation/css-named-colours.js';
import { card, codes, validate } from './support.js';

const styleCard = (style: string) => card(`<h2 className={styles.root} style={${style}}>{title}</h2>`);

describe('hard-coded colours', () => {
  it.each([
    ['hex', "{ color: '#123456' }"],
    ['8-digit hex', "{ color: '#12345678' }"],
    ['named colour', "{ backgroundColor: 'rebeccapurple' }"],
    ['rgb()', "{ color: 'rgb(1 2 3)' }"],
    ['hsla()', "{ color: 'hsla(0, 0%, 0%, 0.5)' }"],
    ['oklab()', "{ color: 'oklab(0.5 0.1 0.1)' }"],
    ['color()', "{ color: 'color(display-p3 1 0 0)' }"],
    ['colour inside a shorthand', "{ border: '1px solid silver' }"],
    ['colour in a var() fallback', "{ color: 'var(--color-text, black)' }"],
    ['template literal', '{ color: `#abcdef` }'],
    ['logical fallback', "{ color: title || 'teal' }"],
  ])('finds a %s in an inline style object', async (_label, style) => {
    const result = await validate({ 'Card.tsx': styleCard(style) });
    expect(codes(result)).toEqual(['colour-literal']);
    expect(result.errors[0]).toMatchObject({ layer: 'design-system', file: 'Card.tsx', line: 5 });
  });

  it('points at the exact line and column of the literal', async () => {
    const result = await validate({ 'Card.tsx': styleCard("{ padding: 4, color: '#fff' }") });
    const source = styleCard("{ padding: 4, color: '#fff' }").split('\n')[4]!;
    expect(result.errors[0]!.column).toBe(source.indexOf('#fff') + 1);
  });

  it('finds colours in style objects declared as constants, typed CSSProperties, or named like styles', async () => {
    const result = await validate({
      'Card.tsx': card('<h2 className={styles.root} style={{ ...cardStyles.root, ...accent }}>{title}</h2>', {
        imports: "import type { CSSProperties } from 'react';\n",
        before: "const cardStyles = { root: { outline: '2px dashed #0af' } };\nconst accent: CSSProperties = { caretColor: 'hotpink' };\n\n",
      }),
    });
    expect(result.errors.map((f) => [f.code, f.line])).toEqual([
      ['colour-literal', 4],
      ['colour-literal', 5],
    ]);
  });

  it('finds colours in css`` and styled.x`` templates and in style strings', async () => {
    const before = [
      'const css = (s: TemplateStringsArray, ...v: unknown[]): string => String.raw({ raw: s }, ...v);',
      "const styled = { a: (s: TemplateStringsArray): string => s.join('') };",
      'export const rule = css`',
      '  .x { padding: ${1}px; color: #010203; }',
      '`;',
      'export const Link = styled.a`&:hover { background: hsl(1 2% 3%); }`;',
      "const titleCss = 'font-weight: 600; color: maroon';",
      '',
    ].join('\n');
    const result = await validate({ 'Card.tsx': card('<h2 className={styles.root} title={titleCss}>{title}</h2>', { before }) });
    expect(result.errors.map((f) => [f.code, f.line])).toEqual([
      ['colour-literal', 6],
      ['colour-literal', 8],
      ['colour-literal', 9],
    ]);
  });

  it('finds Tailwind-like arbitrary colour values in class names', async () => {
    const result = await validate({ 'Card.tsx': card('<h2 className={`${styles.root} bg-[#fafafa] hover:text-[rgb(0,0,0)] [border-color:navy] w-[20px]`}>{title}</h2>') });
    expect(result.errors.map((f) => f.message)).toEqual([expect.stringContaining('bg-[#fafafa]'), expect.stringContaining('text-[rgb(0,0,0)]'), expect.stringContaining('[border-color:navy]')]);
  });

  it('finds colours in SVG presentation attributes but not in url(#…) references', async () => {
    const result = await validate({
      'Card.tsx': card('<h2 className={styles.root}><svg aria-hidden="true"><rect fill="url(#grad)" stroke="#000" /></svg>{title}</h2>'),
    });
    expect(result.errors.map((f) => f.message)).toEqual([expect.stringContaining('#000')]);
  });

  it('finds colours in stylesheets with Stylelint, including custom property definitions', async () => {
    const result = await validate({
      'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'),
      'Card.module.css': '.root {\n  --card-accent: #ff0066;\n  color: white;\n  background: linear-gradient(rgb(0 0 0), var(--color-surface));\n}\n',
    });
    expect(result.errors.map((f) => [f.code, f.file, f.line])).toEqual([
      ['colour-literal', 'Card.module.css', 2],
      ['colour-literal', 'Card.module.css', 3],
      ['colour-literal', 'Card.module.css', 4],
    ]);
  });

  it('is not fooled by ids, URL fragments, ARIA text, prose, comments or neutral keywords', async () => {
    const result = await validate({
      'Card.tsx': card(
        '<section className={styles.root} aria-label="red and white stripes" style={{ borderColor: \'transparent\', color: \'currentColor\', background: \'var(--color-surface)\' }}>\n      {/* #fff red */}\n      <a href="#add">The red fox and the white cat</a>\n      <p title="Navy blue">{title}</p>\n    </section>',
        { before: '// legacy palette: #ff0000, rgb(255 0 0), tomato\n' },
      ),
      'Card.module.css': '/* was #333 and red */\n#card-red .root, #bad {\n  color: var(--color-text);\n  fill: url(#gradient);\n  background: transparent;\n  animation-name: tomato;\n}\n',
    });
    expect(codes(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("knows the 148 CSS named colours from culori's table, exactly the list the gate fingerprint was built on, without transparent or currentColor", () => {
    const names = [...CSS_NAMED_COLOURS].sort();
    expect(names).toHaveLength(148);
    expect(names.every((name) => name === name.toLowerCase())).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['rebeccapurple', 'grey', 'darkslategrey', 'lightgoldenrodyellow']));
    expect(CSS_NAMED_COLOURS.has('transparent')).toBe(false);
    expect(CSS_NAMED_COLOURS.has('currentcolor')).toBe(false);
    // SHA-256 of the hand-written list this table replaced: a different list would change every cache key.
    expect(createHash('sha256').update(JSON.stringify(names)).digest('hex')).toBe('f46cc6761bdc0fc09b6721acc40249b371c28687631717547eb96406e22633b6');
  });

  it.each([['lightgoldenrodyellow'], ['DarkSlateGrey'], ['rebeccapurple']])('finds the named colour %s in a stylesheet', async (name) => {
    const result = await validate({ 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': `.root {\n  color: ${name};\n}\n` });
    expect(codes(result)).toEqual(['colour-literal']);
    expect(result.errors[0]).toMatchObject({ file: 'Card.module.css', line: 2 });
  });
});
