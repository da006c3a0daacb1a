import { InputError, ThemeError } from '../errors.js';
import type { ThemeFormat } from './schemas.js';
import { isLegacyToken } from './convert-legacy-tokens.js';
import { findUnlabelledSets, hasStudioMetadata } from './parse-tokens-studio.js';
import { MAX_NESTING_DEPTH, hasOwn, isPlainObject } from './token-graph.js';
import { TOKENS_STUDIO_TYPES } from './vendor-types.js';

const TEKTON_LAYERS = ['atomic', 'semantic', 'component'];

/**
 * Tells the input format from its shape:
 * - Tekton: `tokens` holding `atomic`, `semantic` or `component`;
 * - DTCG resolver: `resolutionOrder`, or `sets`/`modifiers` together with `version`;
 * - DTCG token tree: a `$value` (or token `$ref`) somewhere;
 * - Tokens Studio multi-set export: `$metadata.tokenSetOrder` or `$themes` at the top, or set-path
 *   top-level keys whose references resolve only across sets (findUnlabelledSets);
 * - Tokens Studio W3C export: a `$value` tree with a Tokens Studio type (`boxShadow`, `sizing`…);
 * - Style Dictionary 3 / Tokens Studio tree: a `value` token somewhere (and no `$value`).
 * Anything else is an InputError that names the three expected shapes.
 */
export function detectThemeFormat(input: unknown): ThemeFormat {
  if (!isPlainObject(input)) {
    throw new InputError(`a theme must be a JSON object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`, {
      suggestion: EXPECTED_SHAPES,
    });
  }
  const tokens = input.tokens;
  if (isPlainObject(tokens) && TEKTON_LAYERS.some((layer) => hasOwn(tokens, layer))) return 'tekton';
  if (Array.isArray(input.resolutionOrder)) return 'dtcg-resolver';
  if ((isPlainObject(input.sets) || isPlainObject(input.modifiers)) && typeof input.version === 'string') return 'dtcg-resolver';
  if (hasStudioMetadata(input) || findUnlabelledSets(input)) return 'tokens-studio';
  if (containsToken(input, (node, path) => hasOwn(node, '$value') || (typeof node.$ref === 'string' && path !== ''))) {
    // Tokens Studio's W3C export keeps its own types (`boxShadow`, `sizing`) and value shapes.
    return containsToken(input, (node) => typeof node.$type === 'string' && TOKENS_STUDIO_TYPES.has(node.$type)) ? 'tokens-studio' : 'dtcg';
  }
  if (containsToken(input, (node) => isLegacyToken(node))) return 'style-dictionary';
  throw new InputError('the input is not a theme dspec knows: no Tekton tokens, no DTCG resolver fields, and no DTCG "$value" (or Style Dictionary "value") anywhere', {
    suggestion: EXPECTED_SHAPES,
  });
}

const EXPECTED_SHAPES =
  'Send a Tekton theme ({ "id", "tokens": { "atomic", "semantic", "component" } }), a W3C DTCG token tree ({ "color": { "brand": { "$type": "color", "$value": … } } }), a DTCG resolver document ({ "version": "2025.10", "resolutionOrder": [ … ] }), or a Style Dictionary 3 token tree ({ "color": { "brand": { "value": …, "type": "color" } } }).';

/** Breadth-first search for a token; refuses nesting deeper than MAX_NESTING_DEPTH instead of walking it. */
function containsToken(root: Record<string, unknown>, isToken: (node: Record<string, unknown>, path: string) => boolean): boolean {
  let level: Array<{ node: Record<string, unknown>; path: string }> = [{ node: root, path: '' }];
  for (let depth = 0; level.length; depth++) {
    if (depth > MAX_NESTING_DEPTH) {
      throw new ThemeError(`the input is nested deeper than ${MAX_NESTING_DEPTH} levels`, [
        { path: level[0]!.path, code: 'too-deep', message: `nested deeper than ${MAX_NESTING_DEPTH} levels; no theme needs that` },
      ]);
    }
    const next: typeof level = [];
    for (const { node, path } of level) {
      if (isToken(node, path)) return true;
      for (const key of Object.keys(node)) {
        const child = node[key];
        if (isPlainObject(child)) next.push({ node: child, path: path ? `${path}.${key}` : key });
      }
    }
    level = next;
  }
  return false;
}
