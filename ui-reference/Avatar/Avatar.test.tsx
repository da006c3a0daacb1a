// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Avatar } from './Avatar';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Avatar', () => {
  it('is an image named by alt, showing the fallback until the picture loads', () => {
    // jsdom never loads images, so this is the fallback path a slow network or a 404 takes.
    render(<Avatar src="/users/john-doe.jpg" alt="John Doe" fallback="JD" size="xl" />);
    const avatar = screen.getByRole('img', { name: 'John Doe' });
    expect(avatar.textContent).toBe('JD');
    expect(avatar.dataset['size']).toBe('xl');
  });

  it('derives initials from alt when no fallback is given', () => {
    render(
      <>
        <Avatar alt="ada lovelace" />
        <Avatar alt="Prince" />
      </>,
    );
    expect(screen.getByRole('img', { name: 'ada lovelace' }).textContent).toBe('AL');
    expect(screen.getByRole('img', { name: 'Prince' }).textContent).toBe('P');
  });

  it.each([
    ['large', 'lg'],
    ['small', 'sm'],
    ['md', 'md'],
  ] as const)('normalises size %s to %s', (size, expected) => {
    render(<Avatar alt="A" size={size} />);
    expect(screen.getByRole('img').dataset['size']).toBe(expected);
  });

  it('renders the square shape, is not focusable and forwards its ref', () => {
    const ref = createRef<HTMLSpanElement>();
    render(<Avatar ref={ref} alt="A" shape="square" />);
    expect(ref.current?.dataset['shape']).toBe('square');
    expect(ref.current?.tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Avatar src="/avatar.jpg" alt="User avatar" fallback="UN" size="large" />
        <Avatar alt="Grace Hopper" shape="square" />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
