// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { List } from './List';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

const items = ['Signed up', 'Paid', 'Deployed'];

describe('List', () => {
  it('renders its items as an unordered list by default', () => {
    render(<List items={items} />);
    const list = screen.getByRole('list');
    expect(list.tagName).toBe('UL');
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(items);
  });

  it('renders an ordered list when asked', () => {
    render(<List ordered items={items} />);
    expect(screen.getByRole('list').tagName).toBe('OL');
  });

  it('accepts <li> children instead of items', () => {
    render(
      <List>
        <li>One</li>
        <li>Two</li>
      </List>,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it.each(['default', 'divided', 'plain'] as const)('keeps list semantics in the %s variant', (variant) => {
    render(<List variant={variant} items={items} />);
    expect(screen.getByRole('list').dataset['variant']).toBe(variant);
  });

  it('has no tab stops of its own and forwards its ref', () => {
    const ref = createRef<HTMLUListElement>();
    render(<List ref={ref} items={items} size="small" />);
    expect(ref.current?.tabIndex).toBe(-1);
    expect(ref.current?.dataset['size']).toBe('sm');
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <List items={items} />
        <List ordered variant="divided" items={items} />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
