import { LRUCache } from 'lru-cache';
import { ValidationFailedError } from '../errors.js';
import type { ThemeCss } from '../theme/schemas.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import { convertBundleToJsx } from './convert-to-jsx.js';
import { buildTier1Bundle, hashFiles, type Tier1Bundle } from './tier1-bundle.js';

export interface Tier1Request {
  props?: Record<string, unknown>;
  themeCss?: ThemeCss;
  format: 'tsx' | 'jsx';
  /** The runtime's gate, asked for only when props transform the source. */
  gate: () => Promise<ValidationGate>;
}

/** Verdicts of the gate on props-transformed bundles, by content and theme hash: equal inputs, equal verdict. */
const gateVerdicts = new LRUCache<string, string[]>({ max: 500 });

/**
 * A catalog component as returned to callers: the vetted files as they are, or, given props,
 * with those values as defaults. A props transform makes new source, so that source passes
 * the gate again before it is returned (the vetted files passed it in the catalog's own tests).
 */
export async function serveTier1Component(catalog: Catalog, entry: CatalogEntry, request: Tier1Request): Promise<Tier1Bundle> {
  let bundle = await buildTier1Bundle(catalog, entry, request.props);
  if (request.props && Object.keys(request.props).length) {
    const findings = await gateFindings(bundle, request.themeCss, request.gate);
    if (findings.length) {
      throw new ValidationFailedError(`${entry.meta.name} with the given props did not pass validation`, {
        issues: findings.map((message) => ({ path: entry.meta.name, code: 'validation', message })),
      });
    }
  }
  if (request.format === 'jsx') {
    bundle = await convertBundleToJsx(bundle);
    bundle.hash = hashFiles(bundle.files);
  }
  return bundle;
}

async function gateFindings(bundle: Tier1Bundle, themeCss: ThemeCss | undefined, gate: Tier1Request['gate']): Promise<string[]> {
  const key = `${bundle.hash}:${themeCss?.hash ?? 'no-theme'}`;
  const known = gateVerdicts.get(key);
  if (known) return known;
  // The gate (TypeScript, ESLint, Stylelint) loads only when a transform needs it.
  const [{ validate }, { themeVariablesOf }] = await Promise.all([gate(), import('../validation/theme-variables.js')]);
  const result = await validate(bundle, { themeVariables: themeCss ? themeVariablesOf(themeCss) : undefined });
  const findings = result.errors.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.code} ${finding.message}`);
  gateVerdicts.set(key, findings);
  return findings;
}
