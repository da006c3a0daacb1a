// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Input } from './Input';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Input', () => {
  it('labels the field with its visible label, or with the placeholder when there is none', () => {
    render(
      <>
        <Input label="Full name" />
        <Input placeholder="Email Address" type="email" />
      </>,
    );
    expect(screen.getByRole('textbox', { name: 'Full name' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Email Address' }).getAttribute('type')).toBe('email');
  });

  it('is reached with Tab and can be typed in, also when a screen gives only a value', async () => {
    const user = userEvent.setup();
    render(<Input label="Name" value="John" />);
    await user.tab();
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Name' });
    expect(document.activeElement).toBe(field);
    // Tab selects the whole value, as browsers do; move to its end first.
    await user.keyboard('{End} Doe');
    expect(field.value).toBe('John Doe');
  });

  it('is controlled when given a value and onChange', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Input label="Name" value="A" onChange={onChange} />);
    await user.type(screen.getByRole('textbox'), 'b');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(screen.getByRole<HTMLInputElement>('textbox').value).toBe('A');
  });

  it('marks an error with aria-invalid and describes the field with the hint and the error', () => {
    render(<Input label="Email" hint="Work address" error="Required" />);
    const field = screen.getByRole('textbox', { name: 'Email' });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(describedBy).toEqual(['Work address', 'Required']);
  });

  it('normalises its size and forwards its ref', () => {
    const ref = createRef<HTMLInputElement>();
    render(<Input label="Phone" type="tel" size="medium" ref={ref} />);
    expect(ref.current).toBeInstanceOf(HTMLInputElement);
    expect(ref.current?.dataset['size']).toBe('md');
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Input label="Email" hint="Work address" error="Required" />
        <Input placeholder="Search" type="search" />
        <Input label="Disabled" disabled />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
