// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Heading } from './Heading';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Heading', () => {
  it.each([1, 2, 3, 4, 5, 6] as const)('renders level %i as a heading of that level', (level) => {
    render(<Heading level={level}>Title</Heading>);
    expect(screen.getByRole('heading', { level, name: 'Title' }).tagName).toBe(`H${level}`);
  });

  it('keeps the visual size apart from the level', () => {
    render(
      <>
        <Heading level={3} size="md">A</Heading>
        <Heading level={1}>B</Heading>
      </>,
    );
    expect(screen.getByRole('heading', { name: 'A' }).dataset['size']).toBe('md');
    expect(screen.getByRole('heading', { name: 'B' }).dataset['size']).toBe('2xl');
  });

  it('is not a tab stop and forwards its ref', () => {
    const ref = createRef<HTMLHeadingElement>();
    render(<Heading ref={ref}>T</Heading>);
    expect(ref.current?.tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <div>
        <Heading level={1} size="2xl">Settings</Heading>
        <Heading level={2}>Profile</Heading>
      </div>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
