// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dropdown } from './Dropdown';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

beforeAll(() => {
  // Radix measures the menu and captures the pointer; jsdom implements neither.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  Element.prototype.hasPointerCapture ??= () => false;
  Element.prototype.releasePointerCapture ??= () => {};
  Element.prototype.scrollIntoView ??= () => {};
});

afterEach(cleanup);

const items = [
  { id: 'edit', label: 'Edit profile' },
  { id: 'message', label: 'Send message' },
  { id: 'assign', label: 'Assign task' },
];

describe('Dropdown', () => {
  it('renders a closed menu button', () => {
    render(<Dropdown trigger="More options" items={items} />);
    const trigger = screen.getByRole('button', { name: 'More options' });
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('opens with Enter, moves with the arrow keys and chooses with Enter', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<Dropdown trigger="More options" items={items} onSelect={onSelect} />);
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('menu')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Edit profile' }));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Send message' }));
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Edit profile' }));
    await user.keyboard('{End}{Enter}');
    expect(onSelect).toHaveBeenCalledWith('assign');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'More options' }));
  });

  it('opens with ArrowDown and Space too', async () => {
    const user = userEvent.setup();
    render(<Dropdown trigger="Menu" items={items} />);
    await user.tab();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menu')).toBeTruthy();
    await user.keyboard('{Escape}');
    await user.keyboard(' ');
    expect(screen.getByRole('menu')).toBeTruthy();
  });

  it('closes with Escape and returns focus to the trigger', async () => {
    const user = userEvent.setup();
    render(<Dropdown trigger="More options" items={items} />);
    await user.click(screen.getByRole('button', { name: 'More options' }));
    expect(screen.getByRole('menu')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'More options' }));
  });

  it('skips disabled items, renders links and forwards its ref to the menu', async () => {
    const user = userEvent.setup();
    const ref = createRef<HTMLDivElement>();
    render(
      <Dropdown
        ref={ref}
        trigger="Menu"
        defaultOpen
        items={[
          { id: 'a', label: 'First' },
          { id: 'b', label: 'Second', disabled: true },
          { id: 'c', label: 'Docs', href: '/docs' },
        ]}
      />,
    );
    expect(ref.current).toBe(screen.getByRole('menu'));
    expect(screen.getByRole('menuitem', { name: 'Docs' }).getAttribute('href')).toBe('/docs');
    screen.getByRole('menuitem', { name: 'First' }).focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Docs' }));
  });

  it('has no axe violations, closed and open', async () => {
    const { container, baseElement } = render(<Dropdown trigger="More options" items={items} />);
    expect((await axe.run(container, axeOptions)).violations).toEqual([]);
    await userEvent.setup().click(screen.getByRole('button', { name: 'More options' }));
    // The menu is portalled to <body>, so check the whole document; `region` (all page content
    // inside landmarks) is a page-level rule that a lone component on a bare page cannot meet.
    const documentOptions = { rules: { ...axeOptions.rules, region: { enabled: false } } };
    expect((await axe.run(baseElement, documentOptions)).violations).toEqual([]);
  });
});
