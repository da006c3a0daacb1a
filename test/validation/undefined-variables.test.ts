import { describe, expect, it } from 'vitest';
import { card, codes, validate } from './support.js';

describe('var() references and the active theme', () => {
  it('names an undefined variable and the three closest theme variables', async () => {
    const result = await validate({
      'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'),
      'Card.module.css': '.root {\n  color: var(--color-txt);\n}\n',
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'undefined-variable',
        layer: 'design-system',
        file: 'Card.module.css',
        line: 2,
        column: 10,
        message: 'var(--color-txt) is defined neither by the theme nor by the bundle; closest theme variables: --color-text, --color-primary, --color-surface',
      }),
    ]);
  });

  it('checks references in TSX style values and templates too', async () => {
    const result = await validate({ 'Card.tsx': card("<h2 className={styles.root} style={{ margin: 'var(--space-9)', padding: `calc(var(--space-1) * 2)` }}>{title}</h2>") });
    expect(result.errors.map((f) => [f.code, f.message.slice(0, 15)])).toEqual([['undefined-variable', 'var(--space-9) ']]);
  });

  it('does not let a fallback excuse an unknown theme variable', async () => {
    const result = await validate({
      'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'),
      'Card.module.css': '.root {\n  color: var(--color-brand, var(--color-text));\n}\n',
    });
    expect(codes(result)).toEqual(['undefined-variable']);
  });

  it('accepts custom properties the bundle defines in its CSS or in a style object', async () => {
    const result = await validate({
      'Card.tsx': card("<h2 className={styles.root} style={{ '--card-gap': 'var(--space-1)' } as CSSProperties}>{title}</h2>", { imports: "import type { CSSProperties } from 'react';\n" }),
      'Card.module.css': '.root {\n  --card-pad: var(--space-2);\n  padding: var(--card-pad);\n  gap: var(--card-gap);\n}\n',
    });
    expect(codes(result)).toEqual([]);
  });

  it('skips the rule when no theme is given, since nothing says what is defined', async () => {
    const result = await validate({ 'Card.tsx': card('<h2 className={styles.root}>{title}</h2>'), 'Card.module.css': '.root {\n  color: var(--anything);\n}\n' }, { themeVariables: undefined });
    expect(codes(result)).toEqual([]);
  });
});
