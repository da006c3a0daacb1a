// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Form } from './Form';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

function ProfileForm(props: { onSubmit: (event: { defaultPrevented: boolean }) => void }) {
  return (
    <Form label="Profile" onSubmit={props.onSubmit}>
      <label>
        Name <input name="name" />
      </label>
      <button type="submit">Save</button>
    </Form>
  );
}

describe('Form', () => {
  it('is a landmark named by its label', () => {
    render(<ProfileForm onSubmit={() => {}} />);
    expect(screen.getByRole('form', { name: 'Profile' })).toBeTruthy();
  });

  it('submits with Enter in a field and with the submit button, without reloading', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((event: { defaultPrevented: boolean }) => event.defaultPrevented);
    render(<ProfileForm onSubmit={onSubmit} />);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' }));
    await user.keyboard('Ada{Enter}');
    await user.tab();
    await user.keyboard(' ');
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(onSubmit.mock.results.map((result) => result.value)).toEqual([true, true]);
  });

  it('sets the gap and forwards its ref', () => {
    const ref = createRef<HTMLFormElement>();
    render(<Form ref={ref} gap="lg" label="x" />);
    expect(ref.current?.dataset['gap']).toBe('lg');
  });

  it('has no axe violations', async () => {
    const { container } = render(<ProfileForm onSubmit={() => {}} />);
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
