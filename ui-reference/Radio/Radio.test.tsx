// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Radio } from './Radio';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

/**
 * Radix moves focus a tick after the arrow keydown and selects only while the key is still
 * down, as it is for a person; user-event releases keys at once, so hold the key over a tick.
 */
async function pressArrow(user: ReturnType<typeof userEvent.setup>, key: 'ArrowDown' | 'ArrowUp', times = 1) {
  for (let count = 0; count < times; count += 1) {
    await user.keyboard(`{${key}>}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await user.keyboard(`{/${key}}`);
  }
}

const options = [
  { value: 'en', label: 'English' },
  { value: 'ko', label: '한국어' },
  { value: 'fr', label: 'Français' },
];

describe('Radio', () => {
  it('renders a labelled radio group from options', () => {
    render(<Radio label="Language" options={options} defaultValue="ko" />);
    expect(screen.getByRole('radiogroup', { name: 'Language' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: '한국어' }).getAttribute('aria-checked')).toBe('true');
  });

  it('is one tab stop; arrow keys move and select, wrapping around', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    render(
      <>
        <Radio label="Language" options={options} defaultValue="en" onValueChange={onValueChange} />
        <button type="button">After</button>
      </>,
    );
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'English' }));
    await pressArrow(user, 'ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: '한국어' }));
    expect(onValueChange).toHaveBeenLastCalledWith('ko');
    await pressArrow(user, 'ArrowDown', 2);
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'English' }));
    await pressArrow(user, 'ArrowUp');
    expect(screen.getByRole('radio', { name: 'Français' }).getAttribute('aria-checked')).toBe('true');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'After' }));
  });

  it('selects the focused option with Space', async () => {
    const user = userEvent.setup();
    render(<Radio label="Language" options={options} />);
    await user.tab();
    await user.keyboard(' ');
    expect(screen.getByRole('radio', { name: 'English' }).getAttribute('aria-checked')).toBe('true');
  });

  it('renders single radios that share a name as one native group, as screen definitions do', async () => {
    const user = userEvent.setup();
    render(
      <fieldset>
        <legend>Language</legend>
        <Radio name="language" label="English" checked />
        <Radio name="language" label="한국어" checked={false} />
      </fieldset>,
    );
    const english = screen.getByRole<HTMLInputElement>('radio', { name: 'English' });
    const korean = screen.getByRole<HTMLInputElement>('radio', { name: '한국어' });
    expect(english.checked).toBe(true);
    await user.click(screen.getByText('한국어'));
    expect(korean.checked).toBe(true);
    expect(english.checked).toBe(false);
  });

  it('marks the group invalid, skips disabled options and forwards its ref', async () => {
    const user = userEvent.setup();
    const ref = createRef<HTMLDivElement>();
    render(<Radio ref={ref} label="L" invalid options={[options[0]!, { ...options[1]!, disabled: true }, options[2]!]} defaultValue="en" />);
    expect(ref.current?.getAttribute('aria-invalid')).toBe('true');
    await user.tab();
    await pressArrow(user, 'ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Français' }));
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Radio label="Language" options={options} defaultValue="en" />
        <fieldset>
          <legend>Theme</legend>
          <Radio name="theme" label="Light" checked />
          <Radio name="theme" label="Dark" />
        </fieldset>
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
