// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Badge } from './Badge';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Badge', () => {
  it.each(['default', 'brand', 'success', 'warning', 'danger', 'info', 'outline'] as const)('renders the %s variant', (variant) => {
    render(<Badge variant={variant}>Live</Badge>);
    expect(screen.getByText('Live').dataset['variant']).toBe(variant);
  });

  it('renders its label when it has no children, and normalises the size', () => {
    render(<Badge label="+8.2%" size="small" />);
    expect(screen.getByText('+8.2%').dataset['size']).toBe('sm');
  });

  it('is not a tab stop and forwards its ref', () => {
    const ref = createRef<HTMLSpanElement>();
    render(<Badge ref={ref}>x</Badge>);
    expect(ref.current?.tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <p>
        Status <Badge variant="success">Active</Badge> <Badge variant="outline">React</Badge>
      </p>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
