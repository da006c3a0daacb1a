// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Image } from './Image';

// jsdom does no layout, so axe cannot compute colours: colour contrast is checked elsewhere.
const axeOptions = { rules: { 'color-contrast': { enabled: false } } };

afterEach(cleanup);

describe('Image', () => {
  it('renders an img named by its alt text, lazily loaded by default', () => {
    render(<Image src="/team.jpg" alt="The team" width={400} height={300} />);
    const image = screen.getByRole('img', { name: 'The team' });
    expect(image.getAttribute('src')).toBe('/team.jpg');
    expect(image.getAttribute('loading')).toBe('lazy');
    expect(image.getAttribute('width')).toBe('400');
  });

  it('is hidden from assistive technology when decorative', () => {
    render(<Image src="/pattern.svg" alt="" />);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByRole('presentation')).toBeTruthy();
  });

  it('applies fit, radius and aspect ratio', () => {
    const ref = createRef<HTMLImageElement>();
    render(<Image ref={ref} src="/a.jpg" alt="A" fit="contain" radius="full" aspectRatio="16 / 9" />);
    expect(ref.current?.dataset['fit']).toBe('contain');
    expect(ref.current?.dataset['radius']).toBe('full');
    expect(ref.current?.style.aspectRatio).toBe('16 / 9');
  });

  it('is not a tab stop', () => {
    render(<Image src="/a.jpg" alt="A" />);
    expect(screen.getByRole('img').tabIndex).toBe(-1);
  });

  it('has no axe violations', async () => {
    const { container } = render(
      <>
        <Image src="/a.jpg" alt="A chart of weekly revenue" />
        <Image src="/b.svg" alt="" />
      </>,
    );
    const results = await axe.run(container, axeOptions);
    expect(results.violations).toEqual([]);
  });
});
