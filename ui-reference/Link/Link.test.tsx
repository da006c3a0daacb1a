// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Link } from './Link';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Link', () => {
  it('renders an anchor with its href', () => {
    render(<Link href="/docs">Docs</Link>);
    expect(screen.getByRole('link', { name: 'Docs' }).getAttribute('href')).toBe('/docs');
  });

  it('opens external web links in a new tab safely and says so', () => {
    render(<Link href="https://example.com" external>Example</Link>);
    const link = screen.getByRole('link', { name: 'Example (opens in a new tab)' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('does not open a new tab for mailto: links', () => {
    render(<Link href="mailto:john.doe@example.com" external>john.doe@example.com</Link>);
    const link = screen.getByRole('link', { name: 'john.doe@example.com' });
    expect(link.getAttribute('target')).toBeNull();
  });

  it.each(['default', 'subtle', 'standalone'] as const)('renders the %s variant', (variant) => {
    render(<Link href="/" variant={variant}>Home</Link>);
    expect(screen.getByRole('link').dataset['variant']).toBe(variant);
  });

  it('is reached with Tab and followed with Enter', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn((event: { preventDefault: () => void }) => event.preventDefault());
    const ref = createRef<HTMLAnchorElement>();
    render(<Link href="/next" onClick={onClick} ref={ref}>Next</Link>);
    await user.tab();
    expect(document.activeElement).toBe(ref.current);
    await user.keyboard('{Enter}');
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <p>
        Write to <Link href="mailto:a@example.com" external>a@example.com</Link> or see{' '}
        <Link href="https://example.com" external>the site</Link>.
      </p>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
