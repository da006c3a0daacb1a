// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Progress } from './Progress';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Progress', () => {
  it('is a named progressbar with its value and maximum', () => {
    render(<Progress value={78} label="Task progress" />);
    const bar = screen.getByRole('progressbar', { name: 'Task progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('78');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
  });

  it('has a default name, so a screen that gives only a value stays accessible', () => {
    render(<Progress value={78} size="medium" />);
    expect(screen.getByRole('progressbar', { name: 'Progress' }).parentElement?.dataset['size']).toBe('md');
  });

  it('clamps out-of-range values and supports an indeterminate state', () => {
    const { rerender } = render(<Progress value={140} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    rerender(<Progress value={null} />);
    expect(screen.getByRole('progressbar').hasAttribute('aria-valuenow')).toBe(false);
    expect(screen.getByRole('progressbar').dataset['state']).toBe('indeterminate');
  });

  it('shows a visible label and percentage when asked', () => {
    render(<Progress value={3} max={4} label="Steps" showLabel showValue />);
    expect(screen.getByRole('progressbar', { name: 'Steps' })).toBeTruthy();
    expect(screen.getByText('75%')).toBeTruthy();
  });

  it.each(['default', 'success', 'warning', 'danger'] as const)('renders the %s variant and is not focusable', (variant) => {
    const ref = createRef<HTMLDivElement>();
    render(<Progress ref={ref} value={10} variant={variant} />);
    expect(ref.current?.parentElement?.dataset['variant']).toBe(variant);
    expect(ref.current?.tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Progress value={78} />
        <Progress value={null} label="Loading" showLabel />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
