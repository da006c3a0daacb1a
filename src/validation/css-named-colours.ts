import { colorsNamed } from 'culori/fn';

/**
 * Every CSS named colour (CSS Color 4 §6.1), lower-case, from culori's table (`culori/fn` holds
 * the table without registering any colour space). `transparent` and `currentColor` are not in
 * it, deliberately: they carry no design decision and are always allowed.
 */
export const CSS_NAMED_COLOURS: ReadonlySet<string> = new Set(Object.keys(colorsNamed));

/** Colour functions: any of them in a style is a hard-coded colour, whatever its arguments. */
export const CSS_COLOUR_FUNCTIONS: ReadonlySet<string> = new Set(['rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix', 'device-cmyk']);

/** A `#` followed by 3, 4, 6 or 8 hex digits is a hex colour (as opposed to an id or a URL fragment). */
export function isHexColour(hashValue: string): boolean {
  return /^[0-9a-f]{3}$|^[0-9a-f]{4}$|^[0-9a-f]{6}$|^[0-9a-f]{8}$/i.test(hashValue);
}

/**
 * Whether a CSS property (kebab or camelCase) takes colours, so a bare identifier such as
 * `red` in its value is a colour rather than, say, an animation or grid-area name.
 */
export function isColourBearingProperty(property: string): boolean {
  const name = property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).toLowerCase();
  if (name.startsWith('--')) return true;
  return (
    name.endsWith('color') ||
    /^(background|border|outline|fill|stroke|box-shadow|text-shadow|column-rule|text-decoration|text-emphasis|scrollbar-color|filter|backdrop-filter|mask|stop-color|flood-color|lighting-color|caret|accent)(-|$)/.test(
      name,
    )
  );
}
