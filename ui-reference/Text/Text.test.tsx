// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from './Text';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Text', () => {
  it('renders a paragraph by default and another element when asked', () => {
    render(
      <>
        <Text>Body</Text>
        <Text as="span">Inline</Text>
      </>,
    );
    expect(screen.getByText('Body').tagName).toBe('P');
    expect(screen.getByText('Inline').tagName).toBe('SPAN');
  });

  it.each(['body', 'lead', 'caption', 'label', 'code'] as const)('renders the %s variant', (variant) => {
    render(<Text variant={variant}>x</Text>);
    expect(screen.getByText('x').dataset['variant']).toBe(variant);
  });

  it('takes the colour and size the screen definitions use', () => {
    render(
      <Text variant="body" size="large" color="secondary">
        12,453
      </Text>,
    );
    const text = screen.getByText('12,453');
    expect(text.dataset['size']).toBe('lg');
    expect(text.dataset['color']).toBe('secondary');
  });

  it('is not focusable and forwards its ref', () => {
    const ref = createRef<HTMLParagraphElement>();
    render(<Text ref={ref}>x</Text>);
    expect(ref.current?.tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Text variant="caption" color="muted">Projects</Text>
        <Text variant="code">npm test</Text>
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
