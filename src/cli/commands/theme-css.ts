import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, ThemeError, type ErrorIssue } from '../../errors.js';
import { writeFileAtomic } from '../../infra/atomic-write.js';
import { parseJsonText } from '../../infra/json.js';
import { convertTheme } from '../../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCss } from '../../theme/schemas.js';
import { ExitCode, type CliIo } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand } from '../run-cli.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';

export const themeCssCommand: CliCommand = {
  words: ['theme', 'css'],
  arguments: '<theme.json>',
  summary:
    'Turn a Tekton theme, W3C DTCG tokens (or resolver), Style Dictionary or Tokens Studio tokens into one CSS file of custom properties. Refused tokens are listed and left out (exit 1); --strict writes nothing unless every token converts.',
  options: {
    output: { type: 'string', short: 'o', value: 'out.css', description: 'write the CSS here instead of stdout' },
    'dark-selector': { type: 'string', value: 'SELECTOR', description: 'selector that receives the dark overrides (default .dark)' },
    'dark-media': { type: 'boolean', description: 'also emit the dark overrides under prefers-color-scheme: dark' },
    minify: { type: 'boolean', description: 'emit the CSS without whitespace' },
    comments: { type: 'boolean', description: 'emit token descriptions and deprecations as CSS comments' },
    references: { type: 'string', value: 'var|resolve', description: 'var: aliases stay var(--…) so dark overrides propagate; resolve: every value final' },
    'no-component-defaults': { type: 'boolean', description: "do not bind the catalog components' variables to the theme" },
    naming: { type: 'string', value: 'kebab|preserve', description: 'kebab-case each path segment, or keep it as written' },
    prefix: { type: 'string', value: 'PREFIX', description: 'put before every variable name (ds: --ds-color-brand)' },
    unwrap: { type: 'string', multiple: true, value: 'GROUP', description: 'top-level group that is not part of the token names (e.g. a Tokens Studio set)' },
    'include-sets': { type: 'string', multiple: true, value: 'SET,…|*', description: 'Tokens Studio sets no theme selects, to read anyway (* for all)' },
    mode: { type: 'string', value: 'MODE', description: "apply this mode's overrides to the base values" },
    'mode-selector': { type: 'string', multiple: true, value: 'NAME[=SELECTOR]', description: "also emit this mode's differences under its selector" },
    strict: { type: 'boolean', description: 'write nothing unless every token converts' },
    verbose: { type: 'boolean', description: 'print every warning, not only the summary' },
  },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals.length !== 1) throw new InputError(`expected exactly one theme file, got ${positionals.length}; usage: ${usageLine(this)}`);
    const { config } = await openRuntime();
    const file = path.resolve(io.cwd, positionals[0]!);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (Buffer.byteLength(text) > config.limits.maxThemeBytes) {
      throw new InputError(`${positionals[0]} is larger than the ${config.limits.maxThemeBytes}-byte limit for a theme`);
    }
    const options = ThemeCssOptionsSchema.safeParse({
      darkSelector: values['dark-selector'],
      darkMedia: values['dark-media'],
      minify: values.minify,
      comments: values.comments,
      references: values.references,
      componentDefaults: values['no-component-defaults'] ? false : undefined,
      strict: values.strict,
      naming: values.naming,
      prefix: values.prefix,
      unwrap: values.unwrap,
      includeSets: listOf(values['include-sets']),
      mode: values.mode,
      modes: modesOf(values['mode-selector']),
    });
    if (!options.success) {
      throw new InputError(`invalid option: ${options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const theme = parseJsonText(text, positionals[0]);
    const verbose = values.verbose === true;
    let result: ThemeCss;
    try {
      result = convertTheme(theme, options.data, { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
    } catch (error) {
      // The file was read but is not clean (strict, or no token usable): findings, exit 1.
      if (!(error instanceof ThemeError)) throw error;
      printErrors(io, error.issues, Number(error.context?.errorCount ?? error.issues.length), verbose);
      io.stderr(`dspec: ${positionals[0]}: ${error.issues.length ? 'no CSS written' : error.message}\n`);
      return ExitCode.Findings;
    }
    printWarnings(io, result, verbose);
    printErrors(io, result.errors, result.errorCount, verbose);
    if (typeof values.output === 'string') {
      await writeFileAtomic(path.resolve(io.cwd, values.output), result.css);
      const blocks = result.modes ?? [{ name: 'dark', variables: result.darkVariables }];
      const distinct = new Set([...result.variables.keys(), ...blocks.flatMap((block) => [...block.variables.keys()])]).size;
      const perMode = blocks.map((block) => `, ${block.variables.size} ${block.name}`).join('');
      io.stderr(`wrote ${values.output} (${distinct} variables; declarations: ${result.variables.size} light${perMode}; sha256 ${result.hash.slice(0, 12)})\n`);
    } else {
      io.stdout(result.css.endsWith('\n') ? result.css : `${result.css}\n`);
    }
    if (result.errorCount === 0) return ExitCode.Ok;
    io.stderr(`dspec: ${result.errorCount} of ${result.tokenCount} tokens left out of the CSS\n`);
    return ExitCode.Findings;
  },
};

/** `--mode-selector dark-dimmed='[data-theme="dimmed"]'` → { name, selector }; without `=`, the default selector. */
function modesOf(flags: unknown): Array<{ name: string; selector?: string }> | undefined {
  if (!Array.isArray(flags) || flags.length === 0) return undefined;
  return flags.map((flag: string) => {
    const at = flag.indexOf('=');
    return at === -1 ? { name: flag } : { name: flag.slice(0, at), selector: flag.slice(at + 1) };
  });
}

/** `--include-sets a,b --include-sets c` → [a, b, c]: Tokens Studio sets that no $themes entry selects, read anyway. */
function listOf(flags: unknown): string[] | undefined {
  if (!Array.isArray(flags) || flags.length === 0) return undefined;
  return flags
    .flatMap((flag: string) => flag.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Errors shown by default before the rest are counted; --verbose shows every one. */
const SHOWN_ERRORS = 20;

/** Each error once, on one line, with its suggestion ("did you mean …?") as the MCP answer carries it. */
function printErrors(io: CliIo, issues: readonly ErrorIssue[], total: number, verbose: boolean): void {
  const shown = verbose ? issues : issues.slice(0, SHOWN_ERRORS);
  for (const issue of shown) io.stderr(`error ${issue.code} ${issue.path}: ${issue.message}${issue.suggestion ? ` (${issue.suggestion})` : ''}\n`);
  if (total > shown.length) io.stderr(`error … ${total - shown.length} more${verbose ? '' : ' (--verbose lists them)'}\n`);
}

/** One line per warning code (count, first three paths); every warning with --verbose. */
function printWarnings(io: CliIo, result: ThemeCss, verbose: boolean): void {
  if (verbose) {
    for (const warning of result.warnings) io.stderr(`warning ${warning.code} ${warning.path}: ${warning.message}\n`);
    return;
  }
  for (const { code, count, paths } of result.warningSummary) {
    const example = result.warnings.find((warning) => warning.code === code)?.message ?? '';
    io.stderr(`warning ${code} ×${count} (${paths.join(', ')}${count > paths.length ? ', …' : ''}): ${example}\n`);
  }
  if (result.warningSummary.some((entry) => entry.count > entry.paths.length)) io.stderr('(--verbose lists every warning)\n');
}
