import { parse, wcagContrast } from 'culori';
import type { ThemeFormat, ThemeWarning } from './schemas.js';

/** WCAG 2.2 minimum for normal-size text (success criterion 1.4.3). */
const MIN_TEXT_CONTRAST = 4.5;
/** Enough pairs to cover a theme's main text roles without drowning the answer. */
const MAX_PAIRS = 100;

export interface ContrastPair {
  foreground: string;
  background: string;
}

/**
 * Foreground/background pairs the theme declares, by naming convention.
 * Tekton: each `semantic.foreground.*` / `semantic.text.*` token on the canvas and default
 * surface; `onX` tokens on `semantic.background.X(.default)`. Disabled and placeholder text are
 * exempt from the criterion and skipped.
 * DTCG: tokens under a `fg`/`foreground`/`text` group (`fgColor.default`) on tokens under a
 * `bg`/`background`/`canvas`/`surface` group with the same parent, for the common roles
 * (default, primary, muted, secondary on default, primary, canvas).
 */
export function findContrastPairs(keys: readonly string[], format: ThemeFormat): ContrastPair[] {
  const pairs = format === 'tekton' ? findTektonPairs(keys) : findDtcgPairs(keys);
  return pairs.slice(0, MAX_PAIRS);
}

function findTektonPairs(keys: readonly string[]): ContrastPair[] {
  const present = new Set(keys);
  const backgrounds = ['semantic.background.canvas', 'semantic.background.surface.default', 'semantic.background.default', 'semantic.background.surface'].filter((key) => present.has(key));
  const pairs: ContrastPair[] = [];
  for (const foreground of keys) {
    if (!/^semantic\.(foreground|text)\./.test(foreground)) continue;
    const role = foreground.split('.').pop() ?? '';
    if (/disabled|placeholder/i.test(role)) continue;
    const onMatch = /^on([A-Z].*)$/.exec(role);
    if (onMatch) {
      const surface = onMatch[1]!.charAt(0).toLowerCase() + onMatch[1]!.slice(1);
      const background = [`semantic.background.${surface}.default`, `semantic.background.${surface}`].find((key) => present.has(key));
      if (background) pairs.push({ foreground, background });
      continue;
    }
    for (const background of backgrounds) pairs.push({ foreground, background });
  }
  return pairs;
}

const FOREGROUND_GROUP = /^(fg|foreground|text)(color)?$/i;
const BACKGROUND_GROUP = /^(bg|background|canvas|surface)(color)?$/i;
const FOREGROUND_ROLES = new Set(['default', 'primary', 'muted', 'secondary']);
const BACKGROUND_ROLES = new Set(['default', 'primary', 'canvas']);

function findDtcgPairs(keys: readonly string[]): ContrastPair[] {
  const backgroundsByParent = new Map<string, string[]>();
  for (const key of keys) {
    const match = splitAtGroup(key, BACKGROUND_GROUP, BACKGROUND_ROLES);
    if (match === undefined) continue;
    backgroundsByParent.set(match, [...(backgroundsByParent.get(match) ?? []), key]);
  }
  const pairs: ContrastPair[] = [];
  for (const key of keys) {
    const parent = splitAtGroup(key, FOREGROUND_GROUP, FOREGROUND_ROLES);
    if (parent === undefined) continue;
    for (const background of backgroundsByParent.get(parent) ?? []) pairs.push({ foreground: key, background });
  }
  return pairs;
}

/** For `a.b.fgColor.default` returns `a.b` when the group and role match; undefined otherwise. */
function splitAtGroup(key: string, group: RegExp, roles: Set<string>): string | undefined {
  if (!roles.has(key.slice(key.lastIndexOf('.') + 1))) return undefined;
  const segments = key.split('.');
  if (segments.length < 2 || !roles.has(segments[segments.length - 1]!)) return undefined;
  const groupIndex = segments.length - 2;
  return group.test(segments[groupIndex]!) ? segments.slice(0, groupIndex).join('.') : undefined;
}

/**
 * A warning for each declared pair whose WCAG 2.2 contrast ratio is under 4.5:1. Values that are
 * not opaque colours culori can read (translucent, `color-mix`, keywords) are skipped: their
 * contrast depends on what lies beneath.
 */
export function checkContrast(pairs: ContrastPair[], values: Map<string, string>, mode: string): ThemeWarning[] {
  const warnings: ThemeWarning[] = [];
  for (const { foreground, background } of pairs) {
    const fg = readOpaqueColor(values.get(foreground));
    const bg = readOpaqueColor(values.get(background));
    if (!fg || !bg) continue;
    const ratio = wcagContrast(fg, bg);
    if (ratio >= MIN_TEXT_CONTRAST) continue;
    warnings.push({
      code: 'low-contrast',
      path: foreground,
      message: `${mode}: contrast ${ratio.toFixed(2)}:1 of ${foreground} on ${background} is below the WCAG 2.2 minimum of ${MIN_TEXT_CONTRAST}:1 for text`,
    });
  }
  return warnings;
}

function readOpaqueColor(css: string | undefined) {
  if (!css) return undefined;
  const color = parse(css);
  if (!color || (color.alpha !== undefined && color.alpha < 1)) return undefined;
  return color;
}
