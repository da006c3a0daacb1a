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

/** Refuses a dark selector that could end the rule or open a new one (`{`, `}`, `;`, comments, `<`, escapes). */
export function validateDarkSelector(selector: string): void {
  const problem = findUnsafeCss(selector) ?? (selector.trim().startsWith('@') ? 'starts an at-rule' : undefined);
  if (problem) {
    throw new InputError(`darkSelector ${JSON.stringify(selector)} ${problem}`, {
      suggestion: 'Use a plain selector such as ".dark", "[data-theme=dark]" or ":root.dark".',
    });
  }
}

/**
 * The stylesheet: `:root` with every light value, then the dark overrides under
 * `options.darkSelector` and, with `darkMedia`, again in `@media (prefers-color-scheme: dark)`.
 * Blocks without declarations are left out (except `:root`).
 */
export function emitCss(light: Declaration[], dark: Declaration[], options: ThemeCssOptions): string {
  const blocks = [renderRule(':root', light, options, 0)];
  if (dark.length) {
    blocks.push(renderRule(options.darkSelector.trim(), dark, options, 0));
    if (options.darkMedia) {
      const inner = renderRule(':root', dark, options, 1);
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
