// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Slider } from './Slider';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

beforeAll(() => {
  // Radix measures the thumb; jsdom has no ResizeObserver.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

afterEach(cleanup);

describe('Slider', () => {
  it('is a slider named by its label with its value and range', () => {
    render(<Slider label="Volume" value={75} min={0} max={100} step={5} />);
    const thumb = screen.getByRole('slider', { name: 'Volume' });
    expect(thumb.getAttribute('aria-valuenow')).toBe('75');
    expect(thumb.getAttribute('aria-valuemin')).toBe('0');
    expect(thumb.getAttribute('aria-valuemax')).toBe('100');
  });

  it('moves by a step with the arrow keys and to the ends with Home and End', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    render(<Slider label="Volume" defaultValue={50} step={5} onValueChange={onValueChange} />);
    await user.tab();
    const thumb = screen.getByRole('slider');
    expect(document.activeElement).toBe(thumb);
    await user.keyboard('{ArrowRight}');
    expect(thumb.getAttribute('aria-valuenow')).toBe('55');
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(thumb.getAttribute('aria-valuenow')).toBe('45');
    await user.keyboard('{ArrowUp}');
    expect(thumb.getAttribute('aria-valuenow')).toBe('50');
    await user.keyboard('{End}');
    expect(thumb.getAttribute('aria-valuenow')).toBe('100');
    await user.keyboard('{Home}');
    expect(thumb.getAttribute('aria-valuenow')).toBe('0');
    expect(onValueChange).toHaveBeenLastCalledWith(0);
  });

  it('is controlled with value and onValueChange', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    render(<Slider label="Volume" value={20} onValueChange={onValueChange} />);
    await user.tab();
    await user.keyboard('{ArrowRight}');
    expect(onValueChange).toHaveBeenCalledWith(21);
    expect(screen.getByRole('slider').getAttribute('aria-valuenow')).toBe('20');
  });

  it('shows a visible label and value when asked, and forwards its ref', () => {
    const ref = createRef<HTMLSpanElement>();
    render(<Slider ref={ref} label="Brightness" showLabel showValue defaultValue={30} />);
    expect(screen.getByRole('slider', { name: 'Brightness' })).toBeTruthy();
    expect(screen.getByText('30')).toBeTruthy();
    expect(ref.current?.contains(screen.getByRole('slider'))).toBe(true);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Slider label="Volume" defaultValue={75} step={5} />
        <Slider label="Brightness" showLabel showValue defaultValue={30} disabled />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
