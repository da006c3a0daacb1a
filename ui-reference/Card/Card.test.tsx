// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Card } from './Card';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Card', () => {
  it.each(['default', 'elevated', 'outlined', 'filled'] as const)('renders the %s variant around its children', (variant) => {
    render(<Card variant={variant} data-testid="card">Revenue</Card>);
    const card = screen.getByTestId('card');
    expect(card.dataset['variant']).toBe(variant);
    expect(card.textContent).toBe('Revenue');
  });

  it('renders as a section or an article when asked', () => {
    render(
      <>
        <Card as="section" aria-label="Stats">A</Card>
        <Card as="article">B</Card>
      </>,
    );
    expect(screen.getByRole('region', { name: 'Stats' }).tagName).toBe('SECTION');
    expect(screen.getByRole('article').textContent).toBe('B');
  });

  it('is not a tab stop unless made focusable', () => {
    render(<Card data-testid="card">Plain</Card>);
    expect(screen.getByTestId('card').tabIndex).toBe(-1);
  });

  it('forwards its ref and its padding', () => {
    const ref = createRef<HTMLDivElement>();
    render(<Card ref={ref} padding="lg">A</Card>);
    expect(ref.current?.dataset['padding']).toBe('lg');
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <Card variant="elevated">
        <h3>Total users</h3>
        <p>12,453</p>
      </Card>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
