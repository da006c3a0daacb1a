import * as csstree from 'css-tree';
import postcss from 'postcss';
import { CSS_COLOUR_FUNCTIONS, CSS_NAMED_COLOURS, isColourBearingProperty, isHexColour } from './css-named-colours.js';
import { lineStartOffsets } from './text-positions.js';

/** A hard-coded colour inside a CSS text, at an offset into that text. */
export interface ColourHit {
  text: string;
  kind: 'hex' | 'function' | 'named';
  offset: number;
}

/**
 * Colour literals in one CSS value. Named colours only count for properties that take
 * colours (so `animation-name: tomato` is not one); `url(#grad)`, strings, `transparent`,
 * `currentColor` and `var(...)` never count, but a colour in a `var()` fallback does.
 */
export function findColourLiteralsInValue(value: string, property: string | undefined, baseOffset = 0): ColourHit[] {
  const hits: ColourHit[] = [];
  let ast: csstree.CssNode;
  try {
    ast = csstree.parse(value, { context: 'value', positions: true, onParseError: () => {} });
  } catch {
    return findColourLiteralsByPattern(value, baseOffset);
  }
  const namedCounts = property === undefined || isColourBearingProperty(property);
  csstree.walk(ast, function visit(node) {
    const offset = baseOffset + (node.loc?.start.offset ?? 0);
    if (node.type === 'Url' || node.type === 'String') return csstree.walk.skip;
    if (node.type === 'Hash' && isHexColour(node.value)) hits.push({ text: `#${node.value}`, kind: 'hex', offset });
    if (node.type === 'Function') {
      const name = node.name.toLowerCase();
      if (CSS_COLOUR_FUNCTIONS.has(name)) {
        hits.push({ text: csstree.generate(node), kind: 'function', offset });
        return csstree.walk.skip;
      }
      if (name === 'var') {
        // The fallback of var() arrives as a Raw node: parse it as a value of the same property.
        node.children.forEach((child) => {
          if (child.type === 'Raw') hits.push(...findColourLiteralsInValue(child.value, property, baseOffset + (child.loc?.start.offset ?? 0)));
        });
        return csstree.walk.skip;
      }
    }
    if (node.type === 'Identifier' && namedCounts && CSS_NAMED_COLOURS.has(node.name.toLowerCase())) {
      hits.push({ text: node.name, kind: 'named', offset });
    }
    return undefined;
  });
  return hits;
}

/** Fallback for text no CSS parser accepts: hex and colour functions only, never bare words. */
export function findColourLiteralsByPattern(text: string, baseOffset = 0): ColourHit[] {
  const hits: ColourHit[] = [];
  for (const match of text.matchAll(/(?<![\w&-])#([0-9a-f]{3,8})(?![\w-])/gi)) {
    if (isHexColour(match[1]!)) hits.push({ text: match[0], kind: 'hex', offset: baseOffset + match.index });
  }
  for (const match of text.matchAll(/(?<![\w-])([a-z-]+)\(/gi)) {
    if (CSS_COLOUR_FUNCTIONS.has(match[1]!.toLowerCase())) hits.push({ text: `${match[1]}(…)`, kind: 'function', offset: baseOffset + match.index });
  }
  return hits;
}

/** Colour literals in a block of CSS: a stylesheet, a nested styled-components template, or `color: red; padding: 0`. */
export function findColourLiteralsInCssText(text: string): ColourHit[] {
  let root: postcss.Root;
  try {
    root = postcss.parse(text);
  } catch {
    return findColourLiteralsByPattern(text);
  }
  const hits: ColourHit[] = [];
  const lineStarts = lineStartOffsets(text);
  root.walkDecls((declaration) => {
    const start = declaration.source?.start;
    if (!start) return;
    const declarationOffset = (lineStarts[start.line - 1] ?? 0) + start.column - 1;
    const valueOffset = declarationOffset + declaration.prop.length + (declaration.raws.between?.length ?? 1);
    hits.push(...findColourLiteralsInValue(declaration.value, declaration.prop, valueOffset));
  });
  return hits;
}

/** `var(--name)` references in any CSS-bearing text, with whether they carry a fallback. */
export function findVarReferences(text: string): Array<{ name: string; offset: number; hasFallback: boolean }> {
  const references = [];
  for (const match of text.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)\s*(,)?/g)) {
    references.push({ name: match[1]!, offset: match.index, hasFallback: match[2] === ',' });
  }
  return references;
}
