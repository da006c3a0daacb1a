// Compares two sets of CSS custom properties the way a person reading both would: var() chains
// resolved on both sides, names normalised, colours compared as colours (culori), `0px` = `0`,
// quotes and letter case in font names ignored.
import { parse, rgb } from 'culori';

/** Every `--name: value;` of a stylesheet; the first declaration of a name wins (the theme's own block). */
export function parseDeclarations(css) {
  const map = new Map();
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of text.matchAll(/(--[\w-]+)\s*:\s*([^;{}]*);/g)) if (!map.has(match[1])) map.set(match[1], match[2].trim());
  return map;
}

/** `var(--a)` replaced by --a's value, recursively (cycles and unknown names left as written). */
export function resolveVars(value, declarations, depth = 0) {
  if (depth > 20 || !value.includes('var(')) return value;
  return resolveVars(
    value.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g, (whole, name, fallback) => declarations.get(name) ?? fallback ?? whole),
    declarations,
    depth + 1,
  );
}

/** A name in one canonical form: lower case, no separators, so `--fgColor-accent` = `--fg-color-accent`. */
export const normaliseName = (name) => name.toLowerCase().replace(/[-_]/g, '');

function splitTopLevel(value) {
  const parts = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth === 0 && (char === ' ' || char === ',')) {
      if (current) parts.push(current);
      if (char === ',') parts.push(',');
      current = '';
    } else current += char;
  }
  if (current) parts.push(current);
  return parts;
}

/** A colour from CSS text, including `color-mix(in srgb, <colour> P%, transparent)` (an alpha applied). */
function toColour(text) {
  const mix = /^color-mix\(in srgb,\s*(.+?)\s+([\d.]+)%,\s*transparent\)$/i.exec(text.trim());
  if (mix) {
    const base = toColour(mix[1]);
    return base && { ...base, alpha: (base.alpha ?? 1) * (Number(mix[2]) / 100) };
  }
  return rgb(parse(text));
}

function sameColour(a, b) {
  const first = toColour(a);
  const second = toColour(b);
  if (!first || !second) return false;
  return ['r', 'g', 'b'].every((c) => Math.abs((first[c] ?? 0) - (second[c] ?? 0)) <= 1.01 / 255) && Math.abs((first.alpha ?? 1) - (second.alpha ?? 1)) <= 0.01;
}

function samePart(a, b) {
  if (a === b) return true;
  const number = /^(-?[\d.]+)([a-z%]*)$/;
  const x = number.exec(a);
  const y = number.exec(b);
  if (x && y) {
    const [xv, yv] = [Number(x[1]), Number(y[1])];
    if (xv === 0 && yv === 0) return true;
    const scale = { px: 1, rem: 16, em: 16, ms: 1, s: 1000 };
    if (x[2] === y[2]) return Math.abs(xv - yv) < 1e-3;
    if (scale[x[2]] && scale[y[2]] && (x[2] === 's' || x[2] === 'ms') === (y[2] === 's' || y[2] === 'ms')) return Math.abs(xv * scale[x[2]] - yv * scale[y[2]]) < 1e-3;
    return false;
  }
  return sameColour(a, b);
}

const canonical = (value) =>
  value
    .replace(/\s+/g, ' ')
    .replace(/\s*([,/])\s*/g, '$1')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/["']/g, '')
    .toLowerCase()
    .trim();

/** Two CSS values mean the same thing (after var() resolution on both sides). */
export function sameValue(a, b) {
  const [x, y] = [canonical(a), canonical(b)];
  if (x === y || sameColour(a, b)) return true;
  const [xs, ys] = [splitTopLevel(x.replace(/,/g, ', ')), splitTopLevel(y.replace(/,/g, ', '))];
  return xs.length === ys.length && xs.every((part, i) => samePart(part, ys[i]));
}

/**
 * Coverage: share of the published variables dspec emits (names normalised); agreement: share of the
 * published variables whose values agree. Returns the figures and the differing and missing names.
 */
export function compareVariables(ours, published, context = published, { publishedPrefix = '' } = {}) {
  // A platform prefix the published build adds (Style Dictionary's `prefix: "ds"`) is not part of the token's name.
  const strip = (name) => (publishedPrefix && name.startsWith(`--${publishedPrefix}-`) ? `--${name.slice(publishedPrefix.length + 3)}` : name);
  const oursByName = new Map([...ours].map(([name, value]) => [normaliseName(name), resolveVars(value, ours)]));
  let covered = 0;
  let agreeing = 0;
  const differences = [];
  const missing = [];
  for (const [name, value] of published) {
    const mine = oursByName.get(normaliseName(strip(name)));
    if (mine === undefined) {
      missing.push(name);
      continue;
    }
    covered++;
    const theirs = resolveVars(value, context);
    if (sameValue(mine, theirs)) agreeing++;
    else differences.push({ name, dspec: mine, published: theirs });
  }
  const total = published.size || 1;
  return { published: published.size, covered, agreeing, coverage: covered / total, agreement: agreeing / total, differences, missing };
}
