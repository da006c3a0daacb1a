// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Switch } from './Switch';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Switch', () => {
  it('is a switch named by its label, in the state a screen definition gives', () => {
    render(<Switch label="Dark mode" checked={false} />);
    expect(screen.getByRole('switch', { name: 'Dark mode' }).getAttribute('aria-checked')).toBe('false');
  });

  it('toggles with Space and with Enter after Tab', async () => {
    const user = userEvent.setup();
    const onCheckedChange = vi.fn();
    render(<Switch label="Wi-Fi" onCheckedChange={onCheckedChange} />);
    await user.tab();
    const control = screen.getByRole('switch', { name: 'Wi-Fi' });
    expect(document.activeElement).toBe(control);
    await user.keyboard(' ');
    expect(control.getAttribute('aria-checked')).toBe('true');
    await user.keyboard('{Enter}');
    expect(control.getAttribute('aria-checked')).toBe('false');
    expect(onCheckedChange.mock.calls).toEqual([[true], [false]]);
  });

  it('is controlled with checked and onCheckedChange', async () => {
    const user = userEvent.setup();
    const onCheckedChange = vi.fn();
    render(<Switch label="Sync" checked onCheckedChange={onCheckedChange} />);
    await user.click(screen.getByRole('switch'));
    expect(onCheckedChange).toHaveBeenCalledWith(false);
    expect(screen.getByRole('switch').getAttribute('aria-checked')).toBe('true');
  });

  it('does not toggle when disabled, and forwards its ref', async () => {
    const user = userEvent.setup();
    const ref = createRef<HTMLButtonElement>();
    render(<Switch label="Off" disabled ref={ref} size="small" />);
    await user.click(screen.getByRole('switch'));
    expect(ref.current?.getAttribute('aria-checked')).toBe('false');
    expect(ref.current?.parentElement?.dataset['size']).toBe('sm');
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Switch label="Dark mode" />
        <Switch label="Sync" defaultChecked labelPosition="start" />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
