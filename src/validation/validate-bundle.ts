import { checkDesignSystem } from './check-design-system.js';
import { checkSchema } from './check-schema.js';
import { checkSyntax } from './check-syntax.js';
import { checkTests } from './check-tests.js';
import { compareFindings, type Finding, type ValidationLayer } from '../shapes/finding.js';
import { ALLOWED_PACKAGES, isRelativeSpecifier, judgeImport, packageNameOf } from './import-allowlist.js';
import type { GateTools } from './validation-gate.js';

/**
 * Version of the gate's rule *logic*. Bump it when a rule's code changes what passes. It is one
 * input of the derived gate fingerprint (generation/pipeline/gate-fingerprint.ts, part of every
 * cache key), which already follows the rule data, the installed linters and compiler, and the
 * catalog.
 */
export const VALIDATOR_VERSION = '1.0.0';

/** Most findings one result carries, so a pathological bundle cannot produce a huge answer. */
export const MAX_FINDINGS = 200;

export interface ValidateBundleOptions {
  /** Custom properties of the active theme (`--color-primary`…). Without it undefined variables are not reported. */
  themeVariables?: ReadonlySet<string>;
  /** Packages allowed beyond React and the catalog's Radix primitives. */
  allowDependencies?: Iterable<string>;
}

export interface ValidationResult {
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
  durationMs: number;
  /** The layers that ran, in order; the last one is where the first errors were found when invalid. */
  layersRun: ValidationLayer[];
}

/**
 * The gate every component passes. Layers run in order (schema, syntax, types, design-system,
 * a11y, tests); a layer runs only when the earlier ones found no error, and every finding
 * within a layer is reported. The warm tools come from the caller (a runtime's ValidationGate):
 * this module keeps no state between calls.
 */
export async function validateBundle(input: unknown, tools: GateTools, options: ValidateBundleOptions = {}): Promise<ValidationResult> {
  const started = performance.now();
  const layersRun: ValidationLayer[] = [];
  const collected: Finding[] = [];
  const allowDependencies = new Set(options.allowDependencies ?? []);
  const { typeChecker, accessibility, stylesheets } = tools;

  const finish = (): ValidationResult => {
    const sorted = collected.sort(compareFindings).slice(0, MAX_FINDINGS);
    const errors = sorted.filter((f) => f.severity === 'error');
    return { valid: errors.length === 0, errors, warnings: sorted.filter((f) => f.severity === 'warning'), durationMs: Math.round((performance.now() - started) * 10) / 10, layersRun };
  };
  const run = async (layer: ValidationLayer, check: () => Finding[] | Promise<Finding[]>): Promise<boolean> => {
    layersRun.push(layer);
    const found = await check();
    collected.push(...found);
    return !found.some((f) => f.severity === 'error');
  };

  const schema = checkSchema(input);
  layersRun.push('schema');
  collected.push(...schema.findings);
  const bundle = schema.bundle;
  if (!bundle || schema.findings.some((f) => f.severity === 'error')) return finish();

  const syntax = checkSyntax(bundle);
  layersRun.push('syntax');
  collected.push(...syntax.findings);
  if (syntax.findings.some((f) => f.severity === 'error')) return finish();

  const typesClean = await run('types', () =>
    typeChecker.check(bundle, (specifier, file) => {
      // Imports the allowlist rejects are reported once, by the design-system layer, with a better message.
      const verdict = judgeImport(specifier, file, bundle, allowDependencies);
      if (verdict !== 'allowed' || isRelativeSpecifier(specifier)) return 'defer';
      // Extra and test-only packages need not be installed where the gate runs: unchecked, not wrong.
      return ALLOWED_PACKAGES.includes(packageNameOf(specifier)) ? 'report' : 'warn';
    }),
  );
  if (!typesClean) return finish();

  const designClean = await run('design-system', () => checkDesignSystem(bundle, syntax.parsed, { themeVariables: options.themeVariables, allowDependencies, stylesheetLinter: stylesheets }));
  if (!designClean) return finish();

  const a11yClean = await run('a11y', () => accessibility.check(bundle));
  if (!a11yClean) return finish();

  await run('tests', () => checkTests(bundle, syntax.parsed));
  return finish();
}
