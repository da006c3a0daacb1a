// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Checkbox } from './Checkbox';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Checkbox', () => {
  it('is a checkbox named by its label, checked as a screen definition says', () => {
    render(
      <>
        <Checkbox label="Email notifications" checked />
        <Checkbox label="Push notifications" checked={false} />
      </>,
    );
    expect(screen.getByRole('checkbox', { name: 'Email notifications' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('checkbox', { name: 'Push notifications' }).getAttribute('aria-checked')).toBe('false');
  });

  it('toggles with Space, not Enter, after Tab', async () => {
    const user = userEvent.setup();
    const onCheckedChange = vi.fn();
    render(<Checkbox label="Accept" onCheckedChange={onCheckedChange} />);
    await user.tab();
    const checkbox = screen.getByRole('checkbox', { name: 'Accept' });
    expect(document.activeElement).toBe(checkbox);
    await user.keyboard(' ');
    expect(checkbox.getAttribute('aria-checked')).toBe('true');
    // WAI-ARIA checkbox pattern: Enter does not toggle; Radix prevents it.
    await user.keyboard('{Enter}');
    expect(checkbox.getAttribute('aria-checked')).toBe('true');
    expect(onCheckedChange).toHaveBeenCalledTimes(1);
  });

  it('toggles when its label is clicked', async () => {
    const user = userEvent.setup();
    render(<Checkbox label="Accept" />);
    await user.click(screen.getByText('Accept'));
    expect(screen.getByRole('checkbox').getAttribute('aria-checked')).toBe('true');
  });

  it('shows a mixed state, marks invalid and describes itself', () => {
    render(<Checkbox label="All" defaultChecked="indeterminate" invalid description="Selects every row" />);
    const checkbox = screen.getByRole('checkbox', { name: 'All' });
    expect(checkbox.getAttribute('aria-checked')).toBe('mixed');
    expect(checkbox.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(checkbox.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Selects every row');
  });

  it('does nothing when disabled, and forwards its ref', async () => {
    const user = userEvent.setup();
    const ref = createRef<HTMLButtonElement>();
    render(<Checkbox label="Off" disabled ref={ref} />);
    await user.click(screen.getByRole('checkbox'));
    expect(ref.current?.getAttribute('aria-checked')).toBe('false');
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Checkbox label="Email notifications" checked />
        <Checkbox label="Terms" invalid required description="Required to continue" />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
