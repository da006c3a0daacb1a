import { createHash } from 'node:crypto';
import { InputError, type ErrorIssue } from '../errors.js';
import type { ReadOptions } from './build-token-graph.js';
import { emitBlocks, validateDarkSelector, type Declaration, type OverrideBlock } from './emit-css.js';
import type { ModeBlock, ThemeCss, ThemeCssOptions, ThemeModeOption, ThemeWarning } from './schemas.js';
import { ThemeProblems } from './theme-problems.js';

/** One reading of the input in one mode: its result and the `:root` declarations it would emit. */
export interface ModeRun {
  result: ThemeCss;
  light: Declaration[];
}

/** The block's selector: the one given, else darkSelector for "dark", else `[data-theme="<name>"]`. */
export function modeSelector(mode: ThemeModeOption, options: ThemeCssOptions): string {
  if (mode.selector !== undefined) return mode.selector;
  if (mode.name.toLowerCase() === 'dark') return options.darkSelector;
  return `[data-theme=${JSON.stringify(mode.name)}]`;
}

/**
 * Option `modes`: the input is read once for the base (`mode`, else its default) and once per
 * listed mode, each as option `mode` would read it (Primer overrides, a Tokens Studio theme, a
 * resolver context, a Tekton darkMode for "dark"). `:root` holds the base; each mode's block holds
 * the declarations whose emitted text differs from the base's, so with `references: "var"` a
 * changed palette colour carries through every var() that names it, as the dark block does.
 * Problems found only in a mode name it; those the base already reported are not repeated.
 */
export function convertModes(options: ThemeCssOptions, readMode: (read: ReadOptions) => ModeRun): ThemeCss {
  const modes = options.modes ?? [];
  const selectors = modes.map((mode) => modeSelector(mode, options));
  selectors.forEach((selector, index) => validateDarkSelector(selector, `modes[${index}].selector`));
  const names = new Set<string>();
  for (const mode of modes) {
    if (names.has(mode.name.toLowerCase())) throw new InputError(`modes lists "${mode.name}" twice (names are compared without case)`);
    names.add(mode.name.toLowerCase());
  }

  const base = readMode({ mode: options.mode, singleMode: true });
  const baseText = new Map(base.light.map((declaration) => [declaration.name, declaration.value]));
  const problems = new ThemeProblems();
  const seenErrors = new Set(base.result.errors.map(issueKey));
  const seenWarnings = new Set(base.result.warnings.map(warningKey));
  const errors: ErrorIssue[] = [...base.result.errors];
  let errorCount = base.result.errorCount;
  const warnings: ThemeWarning[] = [...base.result.warnings];
  const blocks: ModeBlock[] = [];
  const overrides: OverrideBlock[] = [];

  modes.forEach((mode, index) => {
    const run = readMode({ mode: mode.name, singleMode: true });
    for (const issue of run.result.errors) {
      if (seenErrors.has(issueKey(issue))) continue;
      seenErrors.add(issueKey(issue));
      errors.push({ ...issue, message: `mode "${mode.name}": ${issue.message}` });
      errorCount++;
    }
    for (const warning of run.result.warnings) {
      if (seenWarnings.has(warningKey(warning))) continue;
      seenWarnings.add(warningKey(warning));
      warnings.push(warning.message.startsWith(`${mode.name}: `) ? warning : { ...warning, message: `mode "${mode.name}": ${warning.message}` });
    }
    const declarations = run.light.filter((declaration) => baseText.get(declaration.name) !== declaration.value);
    if (declarations.length === 0) {
      problems.warn(`modes.${index}`, 'empty-mode', `mode "${mode.name}" changes no variable: no override, theme or context of that name (or all equal the base)`);
    }
    const selector = selectors[index]!;
    overrides.push({ selector, declarations, media: options.darkMedia && mode.name.toLowerCase() === 'dark' });
    blocks.push({ name: mode.name, selector, variables: new Map(declarations.map((d) => [d.name, d.value])), resolved: run.result.resolved.light });
  });
  warnings.push(...problems.warnings);

  const css = emitBlocks(base.light, overrides, options);
  const dark = blocks.find((block) => block.name.toLowerCase() === 'dark');
  return {
    ...base.result,
    css,
    errors,
    errorCount,
    warnings,
    warningSummary: problems.summary(warnings),
    darkVariables: dark?.variables ?? new Map<string, string>(),
    resolved: { light: base.result.resolved.light, dark: dark?.resolved ?? new Map<string, string>() },
    modes: blocks,
    hash: createHash('sha256').update(css).digest('hex'),
  };
}

const issueKey = (issue: ErrorIssue) => `${issue.path}\u0000${issue.code}\u0000${issue.message}`;
const warningKey = (warning: ThemeWarning) => `${warning.path}\u0000${warning.code}\u0000${warning.message}`;
