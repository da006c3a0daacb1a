import { describe, expect, it } from 'vitest';
import { generate } from './theme-test-support.js';

describe('WCAG 2.2 contrast warnings', () => {
  const tekton = (foreground: { l: number; c: number; h: number }) => ({
    id: 't',
    tokens: {
      atomic: { color: { paper: { l: 0.99, c: 0, h: 0 }, ink: foreground, night: { l: 0.2, c: 0, h: 0 } } },
      semantic: {
        background: { canvas: 'atomic.color.paper', surface: { default: 'atomic.color.paper' }, brand: { default: 'atomic.color.night' } },
        text: { primary: 'atomic.color.ink', disabled: 'atomic.color.paper', onBrand: 'atomic.color.night' },
      },
    },
  });

  it('warns for Tekton text on canvas and surface below 4.5:1, with the ratio and both paths', () => {
    const { warnings } = generate(tekton({ l: 0.8, c: 0, h: 0 }));
    const contrast = warnings.filter((warning) => warning.code === 'low-contrast');
    expect(contrast.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/^light: contrast \d\.\d\d:1 of semantic\.text\.primary on semantic\.background\.canvas is below/),
      expect.stringMatching(/^light: contrast \d\.\d\d:1 of semantic\.text\.primary on semantic\.background\.surface\.default/),
      expect.stringMatching(/^light: contrast 1\.00:1 of semantic\.text\.onBrand on semantic\.background\.brand\.default/),
    ]);
  });

  it('is quiet for a readable pair, and skips disabled text', () => {
    const { warnings } = generate(tekton({ l: 0.2, c: 0, h: 0 }));
    expect(warnings.filter((warning) => warning.path === 'semantic.text.primary')).toEqual([]);
    expect(warnings.some((warning) => warning.path === 'semantic.text.disabled')).toBe(false);
  });

  it('checks DTCG fg/bg pairs by naming convention, in light and dark', () => {
    const srgb = (v: number) => ({ colorSpace: 'srgb', components: [v, v, v] });
    const { warnings } = generate({
      version: '2025.10',
      resolutionOrder: [
        {
          type: 'modifier',
          name: 'mode',
          contexts: {
            light: [{ fgColor: { $type: 'color', default: { $value: srgb(0.1) } }, bgColor: { $type: 'color', default: { $value: srgb(1) } } }],
            dark: [{ fgColor: { $type: 'color', default: { $value: srgb(0.3) } }, bgColor: { $type: 'color', default: { $value: srgb(0.2) } } }],
          },
        },
      ],
    });
    expect(warnings).toEqual([{ code: 'low-contrast', path: 'fgColor.default', message: expect.stringMatching(/^dark: contrast 1\.\d\d:1 of fgColor\.default on bgColor\.default/) }]);
  });
});
