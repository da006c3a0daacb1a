import { describe, expect, it } from 'vitest';
import { card, codes, validate } from './support.js';

const COMPONENT = card('<h2 className={styles.root}>{title}</h2>');
const HEADER = "import { expect, it, test } from 'vitest';\nimport { render, screen } from '@testing-library/react';\nimport { createElement } from 'react';\nimport { Card } from './Card';\n\n";

describe('tests shipped in a bundle', () => {
  it('accepts a test that renders the component and asserts', async () => {
    const result = await validate({
      'Card.tsx': COMPONENT,
      'Card.test.tsx': `${HEADER}it('shows the title', () => {\n  render(<Card title="Hi" />);\n  expect(screen.getByText('Hi')).toBeDefined();\n});\n`,
    });
    expect(codes(result)).toEqual([]);
  });

  it('accepts createElement rendering and test.each', async () => {
    const result = await validate({
      'Card.tsx': COMPONENT,
      'Card.test.tsx': `${HEADER}test.each(['A', 'B'])('shows %s', (text) => {\n  render(createElement(Card, { title: text }));\n  expect(screen.getByText(text)).toBeDefined();\n});\n`,
    });
    expect(codes(result)).toEqual([]);
  });

  it('requires at least one test case', async () => {
    const result = await validate({ 'Card.tsx': COMPONENT, 'Card.test.tsx': `${HEADER}render(<Card title="Hi" />);\nexpect(screen.getByText('Hi')).toBeDefined();\n` });
    expect(result.errors.map((f) => [f.layer, f.code])).toEqual([['tests', 'test-no-cases']]);
  });

  it('requires an assertion in every case, naming the case', async () => {
    const result = await validate({ 'Card.tsx': COMPONENT, 'Card.test.tsx': `${HEADER}it('renders', () => {\n  render(<Card title="Hi" />);\n});\n` });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'test-no-assertion', message: '"renders" makes no assertion', line: 6 })]);
  });

  it('requires the component to be rendered', async () => {
    const result = await validate({ 'Card.tsx': COMPONENT, 'Card.test.tsx': `${HEADER}it('exists', () => {\n  expect(typeof Card).toBe('function');\n});\n` });
    expect(result.errors.map((f) => f.code)).toEqual(['test-no-render']);
  });
});
