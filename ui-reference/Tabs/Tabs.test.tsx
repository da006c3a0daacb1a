// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Tabs } from './Tabs';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

const tabs = [
  { id: 'profile', label: 'Profile', content: 'Profile panel' },
  { id: 'security', label: 'Security', content: 'Security panel' },
  { id: 'notifications', label: 'Notifications', content: 'Notifications panel' },
];

describe('Tabs', () => {
  it('renders a tab list and shows the panel of the default tab', () => {
    render(<Tabs label="Settings" tabs={tabs} defaultTab="security" />);
    expect(screen.getByRole('tablist', { name: 'Settings' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel', { name: 'Security' }).textContent).toBe('Security panel');
  });

  it('selects the first tab when no default is given', () => {
    render(<Tabs tabs={tabs} />);
    expect(screen.getByRole('tab', { name: 'Profile' }).getAttribute('aria-selected')).toBe('true');
  });

  it('moves between tabs with the arrow keys, Home and End, wrapping around', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    render(<Tabs tabs={tabs} onValueChange={onValueChange} />);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Profile' }));
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Security' }));
    expect(screen.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Notifications' }));
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Profile' }));
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Notifications' }));
    expect(onValueChange).toHaveBeenLastCalledWith('notifications');
  });

  it('moves focus from the tab list into the panel with Tab', async () => {
    const user = userEvent.setup();
    render(<Tabs tabs={tabs} />);
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('tabpanel'));
  });

  it('waits for Enter or Space in manual activation', async () => {
    const user = userEvent.setup();
    render(<Tabs tabs={tabs} activationMode="manual" />);
    await user.tab();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).toBe('false');
    await user.keyboard('{Enter}');
    expect(screen.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).toBe('true');
  });

  it('skips disabled tabs, sets its variant and forwards its ref', async () => {
    const user = userEvent.setup();
    const ref = createRef<HTMLDivElement>();
    render(<Tabs ref={ref} variant="pill" tabs={[tabs[0]!, { ...tabs[1]!, disabled: true }, tabs[2]!]} />);
    expect(ref.current?.dataset['variant']).toBe('pill');
    await user.tab();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Notifications' }));
  });

  it('has no axe violations', async () => {
    const { container } = render(<Tabs label="Settings" tabs={tabs} defaultTab="profile" />);
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
