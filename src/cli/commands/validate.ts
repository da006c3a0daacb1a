import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { loadConfig } from '../../infra/config.js';
import { parseJsonText } from '../../infra/json.js';
import { BUNDLE_LIMITS, fileKind, isStoryFile, isTestFile, type BundleFile } from '../../validation/bundle.js';
import { ExitCode } from '../io.js';
import type { CliCommand } from '../run-cli.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';

/**
 * `dspec validate`: the gate as a linter for hand-written components. Exit 0 when there is no
 * error (warnings are printed but do not fail), 1 when there are errors, 2 for bad usage or
 * unreadable input.
 */
export const validateCommand: CliCommand = {
  words: ['validate'],
  usage: 'dspec validate <files or directories…> [--name ComponentName] [--theme theme.json] [--allow package]… [--json]',
  summary: 'Check a component (its .tsx, .css and test files) against the dspec gate: types, colours, theme variables, imports, accessibility, tests.',
  options: {
    name: { type: 'string' },
    theme: { type: 'string' },
    allow: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new InputError(`name at least one file or directory; usage: ${this.usage}`);
    const config = loadConfig({ cwd: io.cwd, env: io.env });
    const { files, packageJson } = await collectFiles(positionals, io.cwd);
    if (files.length === 0) throw new InputError('no component files found (expected .tsx, .ts, .jsx, .js, .css, .json or .md)');

    const name = typeof values.name === 'string' ? values.name : guessComponentName(files, positionals, io.cwd);
    if (!name) throw new InputError('cannot tell the component name: no .tsx file outside tests and stories; pass --name');

    let themeVariables: ReadonlySet<string> | undefined;
    if (typeof values.theme === 'string') {
      const text = await readText(path.resolve(io.cwd, values.theme), values.theme, config.limits.maxThemeBytes);
      const [{ generateThemeCss }, { ThemeCssOptionsSchema }, { themeVariablesOf }] = await Promise.all([
        import('../../theme/generate-theme-css.js'),
        import('../../theme/schemas.js'),
        import('../../validation/theme-variables.js'),
      ]);
      themeVariables = themeVariablesOf(generateThemeCss(parseJsonText(text, values.theme), ThemeCssOptionsSchema.parse({}), { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES }));
    }

    const [{ validateBundle }, { formatFindingsForHumans }] = await Promise.all([
      import('../../validation/validate-bundle.js'),
      import('../../validation/format-findings.js'),
    ]);
    const allow = Array.isArray(values.allow) ? (values.allow as string[]) : [];
    const dependencies = packageJson ?? (await dependenciesFromImports(files, allow));
    const result = await validateBundle({ name, files, dependencies }, { themeVariables, allowDependencies: allow });
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout(formatFindingsForHumans([...result.errors, ...result.warnings]));
    return result.valid ? ExitCode.Ok : ExitCode.Findings;
  },
};

async function readText(file: string, shown: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(file);
    if (info.size > maxBytes) throw new InputError(`${shown} is larger than the ${maxBytes}-byte limit`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Files named explicitly are taken as given (the gate judges their names); a directory
 * contributes its component files, non-recursively because bundles are flat, and its
 * package.json (dependencies + peerDependencies) when it has one.
 */
async function collectFiles(targets: string[], cwd: string): Promise<{ files: BundleFile[]; packageJson?: Record<string, string> }> {
  const files: BundleFile[] = [];
  let packageJson: Record<string, string> | undefined;
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new InputError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(absolute, { withFileTypes: true })).filter((entry) => entry.isFile() && !entry.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        const file = path.join(absolute, entry.name);
        if (entry.name === 'package.json') {
          const manifest = parseJsonText(await readText(file, path.join(target, entry.name), BUNDLE_LIMITS.maxFileBytes), path.join(target, entry.name)) as Record<string, unknown>;
          packageJson = { ...asRecord(manifest.peerDependencies), ...asRecord(manifest.dependencies) };
        } else if (fileKind(entry.name)) {
          files.push({ path: entry.name, contents: await readText(file, path.join(target, entry.name), BUNDLE_LIMITS.maxFileBytes * 2) });
        }
      }
    } else {
      files.push({ path: path.basename(absolute), contents: await readText(absolute, target, BUNDLE_LIMITS.maxFileBytes * 2) });
    }
  }
  return { files, packageJson };
}

function asRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The .tsx named after its directory, else the first .tsx that is neither a test nor a story. */
function guessComponentName(files: BundleFile[], targets: string[], cwd: string): string | undefined {
  const candidates = files.filter((file) => file.path.endsWith('.tsx') && !isTestFile(file.path) && !isStoryFile(file.path)).map((file) => file.path.slice(0, -'.tsx'.length));
  const directoryNames = targets.map((target) => path.basename(path.resolve(cwd, target)));
  return candidates.find((candidate) => directoryNames.includes(candidate)) ?? candidates[0];
}

/**
 * Without a package.json, every allowed package the non-test code imports counts as declared
 * (`*`); disallowed ones are left out so they are reported once, as imports.
 */
async function dependenciesFromImports(files: BundleFile[], allow: readonly string[]): Promise<Record<string, string>> {
  const [{ parseCode }, { scanComponentSource }, { ALLOWED_PACKAGES, isRelativeSpecifier, packageNameOf }] = await Promise.all([
    import('../../validation/check-syntax.js'),
    import('../../validation/scan-component-source.js'),
    import('../../validation/import-allowlist.js'),
  ]);
  const dependencies: Record<string, string> = {};
  for (const file of files) {
    if (fileKind(file.path) !== 'code' || isTestFile(file.path) || isStoryFile(file.path)) continue;
    try {
      for (const use of scanComponentSource(parseCode(file.path, file.contents)).imports) {
        if (isRelativeSpecifier(use.specifier)) continue;
        const name = packageNameOf(use.specifier);
        if (ALLOWED_PACKAGES.includes(name) || allow.includes(name)) dependencies[name] = '*';
      }
    } catch {
      // The syntax layer reports the file; it simply contributes no dependencies here.
    }
  }
  return dependencies;
}
