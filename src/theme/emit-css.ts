import { InputError } from '../errors.js';
import { findUnsafeCss, toSafeComment } from './css-safety.js';
import type { ThemeCssOptions } from './schemas.js';

/** One custom property as emitted: name, CSS value, and what the comments may say about it. */
export interface Declaration {
  name: string;
  value: string;
  description?: string;
  deprecated?: boolean | string;
}

/** Refuses a selector that could end the rule or open a new one (`{`, `}`, `;`, comments, `<`, escapes). */
export function validateDarkSelector(selector: string, option = 'darkSelector'): void {
  const problem = findUnsafeCss(selector) ?? (selector.trim().startsWith('@') ? 'starts an at-rule' : undefined);
  if (problem) {
    throw new InputError(`${option} ${JSON.stringify(selector)} ${problem}`, {
      suggestion: 'Use a plain selector such as ".dark", "[data-theme=dark]" or ":root.dark".',
    });
  }
}

/** A block of overrides after `:root`; `media` repeats it in `@media (prefers-color-scheme: dark)`. */
export interface OverrideBlock {
  selector: string;
  declarations: Declaration[];
  media?: boolean;
}

/**
 * The stylesheet: `:root` with every light value, then the dark overrides under
 * `options.darkSelector` and, with `darkMedia`, again in `@media (prefers-color-scheme: dark)`.
 * Blocks without declarations are left out (except `:root`).
 */
export function emitCss(light: Declaration[], dark: Declaration[], options: ThemeCssOptions): string {
  return emitBlocks(light, [{ selector: options.darkSelector, declarations: dark, media: options.darkMedia }], options);
}

/** `:root`, then each override block in order (empty ones left out). */
export function emitBlocks(light: Declaration[], overrides: readonly OverrideBlock[], options: ThemeCssOptions): string {
  const blocks = [renderRule(':root', light, options, 0)];
  for (const block of overrides) {
    if (!block.declarations.length) continue;
    blocks.push(renderRule(block.selector.trim(), block.declarations, options, 0));
    if (block.media) {
      const inner = renderRule(':root', block.declarations, options, 1);
      blocks.push(options.minify ? `@media (prefers-color-scheme:dark){${inner}}` : `@media (prefers-color-scheme: dark) {\n${inner}\n}`);
    }
  }
  return options.minify ? blocks.join('') : `${blocks.join('\n\n')}\n`;
}

function renderRule(selector: string, declarations: Declaration[], options: ThemeCssOptions, depth: number): string {
  if (options.minify) {
    const body = declarations.map((d) => `${options.comments ? minifiedComment(d) : ''}${d.name}:${d.value}`).join(';');
    return `${selector}{${body}}`;
  }
  const indent = '  '.repeat(depth);
  const lines = [`${indent}${selector} {`];
  for (const declaration of declarations) {
    const comment = options.comments ? commentText(declaration) : undefined;
    if (comment) lines.push(`${indent}  /* ${comment} */`);
    lines.push(`${indent}  ${declaration.name}: ${declaration.value};`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function commentText(declaration: Declaration): string | undefined {
  const parts: string[] = [];
  if (declaration.description) parts.push(declaration.description);
  if (declaration.deprecated) parts.push(typeof declaration.deprecated === 'string' ? `deprecated: ${declaration.deprecated}` : 'deprecated');
  const text = toSafeComment(parts.join(' — '));
  return text || undefined;
}

function minifiedComment(declaration: Declaration): string {
  const text = commentText(declaration);
  return text ? `/*${text}*/` : '';
}
