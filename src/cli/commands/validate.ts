import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { parseJsonText } from '../../infra/json.js';
import { readTextFile } from '../../infra/read-text-file.js';
import { BUNDLE_LIMITS, fileKind, isStoryFile, isTestFile, type BundleFile } from '../../shapes/bundle.js';
import { ExitCode } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand } from '../run-cli.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';
import type { ExportFolder } from '../../screen/read-export-folder.js';
import type { ExportFinding, ExportValidationResult } from '../../screen/validate-export.js';

/**
 * `dspec validate`: the gate as a linter for hand-written components. Each directory named is
 * one component (several directories: several components, each checked on its own, then a
 * summary line); files named directly form one bundle together. A directory `dspec export`
 * wrote (a screen file importing from its `components/` folder) is checked as the export checks
 * itself: the screen with its imports resolved, and each component. Exit 0 when no component has
 * an error (warnings are printed but do not fail), 1 when any has, 2 for bad usage or
 * unreadable input.
 */
export const validateCommand: CliCommand = {
  words: ['validate'],
  arguments: '<files, directories or export folders…>',
  summary:
    'Check components (each directory one component; files named directly one bundle; an exported screen folder as the screen and each of its components) against the dspec gate: types, colours, theme variables, imports, accessibility, tests.',
  options: {
    name: { type: 'string', value: 'ComponentName', description: "the component's name, when one component is named" },
    theme: { type: 'string', value: 'theme.json', description: 'theme whose variables the CSS may use' },
    allow: { type: 'string', multiple: true, value: 'package', description: 'allow importing this package too' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals.length === 0) throw new InputError(`name at least one file or directory; usage: ${usageLine(this)}`);
    const runtime = await openRuntime();
    const { config } = runtime;
    // The type layer from its snapshot, when one is built, starts loading now (validation/type-check-snapshot.ts).
    const typeChecker = (await import('../../validation/type-check-snapshot.js')).openSnapshotTypeChecker({ env: io.env });
    if (typeChecker) void import('../../validation/prefetch-layers.js').then(({ prefetchLaterLayers }) => prefetchLaterLayers());
    const groups = await groupTargets(positionals, io.cwd);
    if (groups.length > 1 && typeof values.name === 'string') {
      throw new InputError(`--name applies to one component, but ${groups.length} were named (${groups.map((group) => group.label).join(', ')}); validate them one at a time to rename`);
    }
    const allow = Array.isArray(values.allow) ? (values.allow as string[]) : [];
    const components: Array<{ label: string; name: string; files: BundleFile[]; dependencies?: Record<string, string> }> = [];
    const exportFolders: Array<{ label: string; folder: ExportFolder }> = [];
    for (const group of groups) {
      const exportFolder = group.isDirectory ? await readAsExportFolder(path.resolve(io.cwd, group.label), allow) : undefined;
      if (exportFolder) {
        if (typeof values.name === 'string')
          throw new InputError(`--name applies to a component, but ${group.label} is an exported screen (${exportFolder.screenName}); its names come from its files`);
        exportFolders.push({ label: group.label, folder: exportFolder });
        continue;
      }
      const { files, packageJson } = await collectFiles(group.targets, io.cwd);
      if (files.length === 0) throw new InputError(`${group.label}: no component files found (expected .tsx, .ts, .jsx, .js, .css, .json or .md)`);
      const name = typeof values.name === 'string' ? values.name : guessComponentName(files, group.targets, io.cwd);
      if (!name) throw new InputError(`${group.label}: cannot tell the component name: no .tsx file outside tests and stories; pass --name`);
      components.push({ label: group.label, name, files, dependencies: packageJson });
    }

    let themeVariables: ReadonlySet<string> | undefined;
    if (typeof values.theme === 'string') {
      const text = await readTextFile(path.resolve(io.cwd, values.theme), values.theme, config.limits.maxThemeBytes);
      const [{ generateThemeCss }, { ThemeCssOptionsSchema }, { themeVariablesOf }] = await Promise.all([
        import('../../theme/generate-theme-css.js'),
        import('../../theme/schemas.js'),
        import('../../validation/theme-variables.js'),
      ]);
      themeVariables = themeVariablesOf(
        generateThemeCss(parseJsonText(text, values.theme), ThemeCssOptionsSchema.parse({}), { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES }),
      );
    }

    const [gate, { formatFindingsForHumans }] = await Promise.all([runtime.gate(), import('../../validation/format-findings.js')]);
    // Components go through the snapshot host's type layer when it runs; the linters are the runtime's either way.
    const componentGate = typeChecker ? gate.withTypeChecker(typeChecker) : gate;
    const results = [];
    for (const component of components) {
      const dependencies = component.dependencies ?? (await dependenciesFromImports(component.files, allow));
      results.push({ component, result: await componentGate.validate({ name: component.name, files: component.files, dependencies }, { themeVariables, allowDependencies: allow }) });
    }
    const exportResults = [];
    if (exportFolders.length) {
      const { validateExportFolder } = await import('../../screen/validate-export-folder.js');
      for (const { label, folder } of exportFolders) exportResults.push({ label, folder, result: await validateExportFolder(folder, { themeVariables, allowDependencies: allow, gate }) });
    }
    const failed = results.filter(({ result }) => !result.valid).length + exportResults.filter(({ result }) => !result.valid).length;
    if (exportResults.length === 1 && results.length === 0) {
      const { label, folder, result } = exportResults[0]!;
      if (values.json) io.stdout(`${JSON.stringify(exportJson(label, folder, result), null, 2)}\n`);
      else io.stdout(`${describeExport(folder)}\n${formatExportFindingsForHumans(result)}`);
    } else if (exportResults.length) {
      const total = results.length + exportResults.length;
      const summary = `${total} components, ${failed} with errors`;
      if (values.json) {
        const entries = [
          ...results.map(({ component, result }) => ({ path: component.label, name: component.name, ...result })),
          ...exportResults.map(({ label, folder, result }) => exportJson(label, folder, result)),
        ];
        io.stdout(`${JSON.stringify({ components: entries, summary: { components: total, withErrors: failed } }, null, 2)}\n`);
      } else {
        for (const { component, result } of results) io.stdout(`── ${component.label} (${component.name})\n${formatFindingsForHumans([...result.errors, ...result.warnings])}\n`);
        for (const { label, folder, result } of exportResults) io.stdout(`── ${label} (${describeExport(folder)})\n${formatExportFindingsForHumans(result)}\n`);
        io.stdout(`${summary}\n`);
      }
    } else if (results.length === 1) {
      const result = results[0]!.result;
      if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else io.stdout(formatFindingsForHumans([...result.errors, ...result.warnings]));
    } else {
      const summary = `${results.length} components, ${failed} with errors`;
      if (values.json) {
        io.stdout(
          `${JSON.stringify({ components: results.map(({ component, result }) => ({ path: component.label, name: component.name, ...result })), summary: { components: results.length, withErrors: failed } }, null, 2)}\n`,
        );
      } else {
        for (const { component, result } of results) io.stdout(`── ${component.label} (${component.name})\n${formatFindingsForHumans([...result.errors, ...result.warnings])}\n`);
        io.stdout(`${summary}\n`);
      }
    }
    return failed ? ExitCode.Findings : ExitCode.Ok;
  },
};

/** Each directory is a component of its own; the files named directly are one bundle together (listed first). */
async function groupTargets(targets: string[], cwd: string): Promise<Array<{ label: string; targets: string[]; isDirectory: boolean }>> {
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
  return [
    ...(loose.length ? [{ label: loose.join(' '), targets: loose, isDirectory: false }] : []),
    ...directories.map((directory) => ({ label: directory, targets: [directory], isDirectory: true })),
  ];
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
          const manifest = parseJsonText(await readTextFile(file, path.join(target, entry.name), BUNDLE_LIMITS.maxFileBytes), path.join(target, entry.name)) as Record<string, unknown>;
          packageJson = { ...asRecord(manifest.peerDependencies), ...asRecord(manifest.dependencies) };
        } else if (fileKind(entry.name)) {
          files.push({ path: entry.name, contents: await readTextFile(file, path.join(target, entry.name), BUNDLE_LIMITS.maxFileBytes * 2) });
        }
      }
    } else {
      files.push({ path: path.basename(absolute), contents: await readTextFile(absolute, target, BUNDLE_LIMITS.maxFileBytes * 2) });
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

/** The folder read as an export when it is laid out as one (read-export-folder.ts), else undefined. */
async function readAsExportFolder(folder: string, allow: readonly string[]): Promise<ExportFolder | undefined> {
  const { readExportFolder } = await import('../../screen/read-export-folder.js');
  return readExportFolder(folder, { inferDependencies: (files) => dependenciesFromImports(files, allow) });
}

function describeExport(folder: ExportFolder): string {
  const names = folder.components.map((component) => component.name);
  return `exported screen ${folder.screenName} and ${names.length} component${names.length === 1 ? '' : 's'}${names.length ? ` (${names.join(', ')})` : ''}`;
}

function exportJson(label: string, folder: ExportFolder, result: ExportValidationResult) {
  return {
    path: label,
    name: folder.screenName,
    export: { screen: folder.screenName, components: folder.components.map((component) => component.name) },
    valid: result.valid,
    errors: result.errors,
    warnings: result.warnings,
    durationMs: result.durationMs,
  };
}

/** The same compiler-style lines as formatFindingsForHumans, for findings placed in an export's folders. */
function formatExportFindingsForHumans(result: Pick<ExportValidationResult, 'errors' | 'warnings'>): string {
  const all: Array<ExportFinding & { severity: 'error' | 'warning' }> = [
    ...result.errors.map((found) => ({ ...found, severity: 'error' as const })),
    ...result.warnings.map((found) => ({ ...found, severity: 'warning' as const })),
  ];
  if (all.length === 0) return 'no problems found\n';
  all.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  const lines = all.map((found) => `${found.line ? `${found.file}:${found.line}:${found.column}` : found.file}  ${found.severity}  ${found.code}  ${found.message}`);
  lines.push(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
