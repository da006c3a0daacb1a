import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { loadConfig } from '../../infra/config.js';
import { parseJsonText } from '../../infra/json.js';
import { BUNDLE_LIMITS, fileKind, isStoryFile, isTestFile, type BundleFile } from '../../shapes/bundle.js';
import { ExitCode } from '../io.js';
import type { CliCommand } from '../run-cli.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';

/**
 * `dspec validate`: the gate as a linter for hand-written components. Each directory named is
 * one component (several directories: several components, each checked on its own, then a
 * summary line); files named directly form one bundle together. Exit 0 when no component has
 * an error (warnings are printed but do not fail), 1 when any has, 2 for bad usage or
 * unreadable input.
 */
export const validateCommand: CliCommand = {
  words: ['validate'],
  usage: 'dspec validate <files or directories…> [--name ComponentName] [--theme theme.json] [--allow package]… [--json]',
  summary: 'Check components (each directory one component; files named directly one bundle) against the dspec gate: types, colours, theme variables, imports, accessibility, tests.',
  options: {
    name: { type: 'string' },
    theme: { type: 'string' },
    allow: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new InputError(`name at least one file or directory; usage: ${this.usage}`);
    const config = loadConfig({ cwd: io.cwd, env: io.env });
    const groups = await groupTargets(positionals, io.cwd);
    if (groups.length > 1 && typeof values.name === 'string') {
      throw new InputError(`--name applies to one component, but ${groups.length} were named (${groups.map((group) => group.label).join(', ')}); validate them one at a time to rename`);
    }
    const components: Array<{ label: string; name: string; files: BundleFile[]; dependencies?: Record<string, string> }> = [];
    for (const group of groups) {
      const { files, packageJson } = await collectFiles(group.targets, io.cwd);
      if (files.length === 0) throw new InputError(`${group.label}: no component files found (expected .tsx, .ts, .jsx, .js, .css, .json or .md)`);
      const name = typeof values.name === 'string' ? values.name : guessComponentName(files, group.targets, io.cwd);
      if (!name) throw new InputError(`${group.label}: cannot tell the component name: no .tsx file outside tests and stories; pass --name`);
      components.push({ label: group.label, name, files, dependencies: packageJson });
    }

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
    const results = [];
    for (const component of components) {
      const dependencies = component.dependencies ?? (await dependenciesFromImports(component.files, allow));
      results.push({ component, result: await validateBundle({ name: component.name, files: component.files, dependencies }, { themeVariables, allowDependencies: allow }) });
    }
    const failed = results.filter(({ result }) => !result.valid).length;
    if (results.length === 1) {
      const result = results[0]!.result;
      if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else io.stdout(formatFindingsForHumans([...result.errors, ...result.warnings]));
    } else {
      const summary = `${results.length} components, ${failed} with errors`;
      if (values.json) {
        io.stdout(`${JSON.stringify({ components: results.map(({ component, result }) => ({ path: component.label, name: component.name, ...result })), summary: { components: results.length, withErrors: failed } }, null, 2)}\n`);
      } else {
        for (const { component, result } of results) io.stdout(`── ${component.label} (${component.name})\n${formatFindingsForHumans([...result.errors, ...result.warnings])}\n`);
        io.stdout(`${summary}\n`);
      }
    }
    return failed ? ExitCode.Findings : ExitCode.Ok;
  },
};

/** Each directory is a component of its own; the files named directly are one bundle together (listed first). */
async function groupTargets(targets: string[], cwd: string): Promise<Array<{ label: string; targets: string[] }>> {
  const loose: string[] = [];
  const directories: string[] = [];
  for (const target of targets) {
    let info;
    try {
      info = await stat(path.resolve(cwd, target));
    } catch (error) {
      throw new InputError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    (info.isDirectory() ? directories : loose).push(target);
  }
  return [...(loose.length ? [{ label: loose.join(' '), targets: loose }] : []), ...directories.map((directory) => ({ label: directory, targets: [directory] }))];
}

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
