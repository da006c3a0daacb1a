// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button } from './Button';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Button', () => {
  it('renders its children, or its label, as a native button of type "button"', () => {
    const { rerender } = render(<Button>Save</Button>);
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('type', 'button');
    rerender(<Button label="Export" />);
    expect(screen.getByRole('button', { name: 'Export' })).toBeTruthy();
  });

  it.each(['primary', 'secondary', 'outline', 'ghost', 'danger'] as const)('renders the %s variant', (variant) => {
    render(<Button variant={variant}>Go</Button>);
    expect(screen.getByRole('button').dataset['variant']).toBe(variant);
  });

  it('accepts small/medium/large as spellings of sm/md/lg', () => {
    render(
      <>
        <Button size="small">A</Button>
        <Button size="medium">B</Button>
        <Button size="lg">C</Button>
      </>,
    );
    expect(screen.getAllByRole('button').map((button) => button.dataset['size'])).toEqual(['sm', 'md', 'lg']);
  });

  it('is reached with Tab and activated with Enter and Space', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Save</Button>);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button'));
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(onClick).toHaveBeenCalledTimes(2);
  });

  it('does not fire when disabled, and ignores clicks while loading', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    const { rerender } = render(<Button onClick={onClick} disabled>Save</Button>);
    await user.click(screen.getByRole('button'));
    rerender(<Button onClick={onClick} loading>Save</Button>);
    await user.click(screen.getByRole('button'));
    expect(onClick).not.toHaveBeenCalled();
    expect(screen.getByRole('button').getAttribute('aria-busy')).toBe('true');
  });

  it('forwards its ref to the button element', () => {
    const ref = createRef<HTMLButtonElement>();
    render(<Button ref={ref}>Save</Button>);
    expect(ref.current).toBeInstanceOf(HTMLButtonElement);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Button>Save</Button>
        <Button variant="danger" disabled>Delete</Button>
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
