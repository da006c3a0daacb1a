import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { parseJsonText } from '../infra/json.js';
import { readTextFile } from '../infra/read-text-file.js';
import { BUNDLE_LIMITS, fileKind, isStoryFile, isTestFile, type BundleFile } from '../shapes/bundle.js';
import { parseCode } from '../validation/check-syntax.js';
import { resolveRelativeImport } from '../validation/import-allowlist.js';
import { scanComponentSource } from '../validation/scan-component-source.js';
import type { ExportFinding, ScreenBundleParts } from './validate-export.js';

/**
 * Reads a folder that `dspec export` wrote back into the pieces `validateExport` checks, so
 * `dspec validate <folder>` and the export judge it the same way. The layout (export-screen.ts):
 * `<Screen>.tsx|jsx` importing each component from `./components/<Name>`, its layout CSS, the
 * barrel `index.ts|js`, `theme.css`, `package.fragment.json`, `README.md`, and one flat folder
 * per component under `components/`.
 *
 * The screen's files are handed to the gate with `./components/<Name>` rewritten to the flat
 * `./<Name>`, exactly as the export checks them. An import is rewritten only when the flat file
 * really exists, so a missing component is still reported at the importing file and line. The
 * rewrite pads after the closing quote, so every column on the line stays where it was.
 */

export const COMPONENTS_FOLDER = 'components';
export const THEME_FILE = 'theme.css';
export const FRAGMENT_FILE = 'package.fragment.json';

/** Top-level files of the export the gate does not check as code (theme.css is where colour literals belong). */
const NOT_SCREEN_CODE = new Set([THEME_FILE, FRAGMENT_FILE]);
const COMPONENT_IMPORT = /^\.\/components\/([^/]+)(?:\/(.+))?$/;

export interface ExportedComponent {
  name: string;
  files: BundleFile[];
  dependencies: Record<string, string>;
}

export interface ExportFolder {
  screenName: string;
  components: ExportedComponent[];
  screen: ScreenBundleParts;
  /** `theme.css` as written, when the folder has one. */
  themeCss?: string;
  /** What the folder holds that the export never writes, and so no bundle checks. */
  layoutProblems: ExportFinding[];
}

export interface ReadExportFolderOptions {
  /** Dependencies for code when the folder has no package.fragment.json (it was merged and removed). */
  inferDependencies: (files: BundleFile[]) => Promise<Record<string, string>>;
  maxFileBytes?: number;
}

/**
 * The folder's pieces when it is laid out as an export, else undefined. It is an export when a
 * `components/` folder stands beside a `.tsx`/`.jsx` file that imports from it; a component
 * folder is flat, so it never matches. The top level is listed and each code file read once.
 */
export async function readExportFolder(folder: string, options: ReadExportFolderOptions): Promise<ExportFolder | undefined> {
  const maxFileBytes = options.maxFileBytes ?? BUNDLE_LIMITS.maxFileBytes * 2;
  const entries = await sortedEntries(folder);
  if (!entries.some((entry) => entry.isDirectory() && entry.name === COMPONENTS_FOLDER)) return undefined;
  const topLevel: BundleFile[] = [];
  for (const entry of entries) {
    if (entry.isFile() && isScreenCode(entry.name)) topLevel.push({ path: entry.name, contents: await readTextFile(path.join(folder, entry.name), entry.name, maxFileBytes) });
  }
  const screen = topLevel
    .filter((file) => isScreenCandidate(file.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .find((file) => importsOf(file.path, file.contents).some((use) => COMPONENT_IMPORT.test(use.specifier)));
  if (!screen) return undefined;
  const screenFile = screen.path;
  if (screenFile.endsWith('.jsx')) {
    // The gate reads TypeScript bundles (a component's main file is <Name>.tsx): a JSX export was validated as TSX before its types were stripped.
    throw new InputError(`${folder} is a JSX export (${screenFile}); dspec validate checks TypeScript exports, so export the screen with --format tsx to check it`);
  }
  const screenName = screenFile.replace(/\.tsx$/, '');
  const layoutProblems: ExportFinding[] = [];
  const problem = (file: string, message: string) => layoutProblems.push({ file, line: 0, column: 0, code: 'export-layout', message, bundle: 'screen' });

  let themeCss: string | undefined;
  let fragment: Record<string, string> | undefined;
  for (const entry of entries) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== COMPONENTS_FOLDER) problem(`${entry.name}/`, `${entry.name}/ is not part of an export's layout (only ${COMPONENTS_FOLDER}/ is), so nothing in it was checked`);
      continue;
    }
    if (!entry.isFile()) continue;
    if (entry.name === THEME_FILE) themeCss = await readTextFile(file, entry.name, maxFileBytes);
    else if (entry.name === FRAGMENT_FILE) fragment = runtimeDependenciesOf(await readTextFile(file, entry.name, BUNDLE_LIMITS.maxFileBytes), entry.name);
  }

  const components: ExportedComponent[] = [];
  const componentsFolder = path.join(folder, COMPONENTS_FOLDER);
  for (const entry of await sortedEntries(componentsFolder)) {
    if (!entry.isDirectory()) {
      if (entry.isFile()) problem(`${COMPONENTS_FOLDER}/${entry.name}`, `${COMPONENTS_FOLDER}/${entry.name} is not inside a component's folder, so it was not checked`);
      continue;
    }
    const files: BundleFile[] = [];
    for (const inner of await sortedEntries(path.join(componentsFolder, entry.name))) {
      const shown = `${COMPONENTS_FOLDER}/${entry.name}/${inner.name}`;
      if (inner.isDirectory()) problem(`${shown}/`, `${shown}/ is a folder, but a component's folder is flat, so nothing in it was checked`);
      else if (inner.isFile() && fileKind(inner.name)) files.push({ path: inner.name, contents: await readTextFile(path.join(componentsFolder, entry.name, inner.name), shown, maxFileBytes) });
    }
    if (files.length === 0) {
      problem(`${COMPONENTS_FOLDER}/${entry.name}/`, `${COMPONENTS_FOLDER}/${entry.name}/ holds no component files`);
      continue;
    }
    components.push({ name: entry.name, files, dependencies: fragment ?? (await options.inferDependencies(files)) });
  }

  const sourcesByComponent = new Map(components.map((component) => [component.name, component.files.filter((file) => isFlatSource(file.path))]));
  const flatScreenFiles = topLevel.map((file) => (fileKind(file.path) === 'code' ? { path: file.path, contents: flattenComponentImports(file, sourcesByComponent) } : file));
  return {
    screenName,
    components,
    screen: { name: screenName, flatScreenFiles, screenPathOf: (flat) => flat, dependencies: fragment ?? (await options.inferDependencies(topLevel)) },
    ...(themeCss === undefined ? {} : { themeCss }),
    layoutProblems,
  };
}

/**
 * `./components/Badge` (or `…/Badge/index`, `…/Badge/Badge`) → `./Badge`, and
 * `./components/Badge/other` → `./other`, when the component's flat files hold the target.
 */
export function flattenComponentImports(file: BundleFile, sourcesByComponent: ReadonlyMap<string, BundleFile[]>): string {
  let contents = file.contents;
  const uses = importsOf(file.path, file.contents).sort((a, b) => b.offset - a.offset);
  for (const use of uses) {
    const match = COMPONENT_IMPORT.exec(use.specifier);
    const sources = match ? sourcesByComponent.get(match[1]!) : undefined;
    if (!match || !sources) continue;
    const name = match[1]!;
    const rest = match[2]?.replace(/\/$/, '');
    const flat = rest === undefined || /^index(\.(tsx|ts|jsx|js))?$/.test(rest) ? `./${name}` : `./${rest}`;
    if (flat.slice(2).includes('/') || !resolveRelativeImport(flat, { name, files: sources, dependencies: {} })) continue;
    // `offset` is the opening quote; the literal's text is exactly the specifier (exports print no escapes).
    const start = use.offset + 1;
    if (contents.slice(start, start + use.specifier.length) !== use.specifier) continue;
    const quote = contents[use.offset]!;
    contents = `${contents.slice(0, start)}${flat}${quote}${' '.repeat(use.specifier.length - flat.length)}${contents.slice(start + use.specifier.length + 1)}`;
  }
  return contents;
}

function importsOf(fileName: string, contents: string) {
  try {
    return scanComponentSource(parseCode(fileName, contents)).imports;
  } catch {
    // Unparseable code imports nothing here; the gate's syntax layer reports it.
    return [];
  }
}

function isScreenCandidate(name: string): boolean {
  return /\.(tsx|jsx)$/.test(name) && !/^index\./.test(name) && !isTestFile(name) && !isStoryFile(name);
}

/** Top-level files the screen bundle checks: code and stylesheets (not theme.css), never the fragment or README. */
function isScreenCode(name: string): boolean {
  const kind = fileKind(name);
  return !NOT_SCREEN_CODE.has(name) && (kind === 'code' || kind === 'stylesheet');
}

/** A component's files that join the screen bundle (validate-export.ts leaves out the index, tests, stories and docs the same way). */
function isFlatSource(name: string): boolean {
  return !/^index\.(tsx|ts|jsx|js)$/.test(name) && !isTestFile(name) && !isStoryFile(name) && !name.endsWith('.md');
}

/** The export gives every component and the screen the fragment's run-time dependencies. */
function runtimeDependenciesOf(text: string, shown: string): Record<string, string> {
  const parsed = parseJsonText(text, shown);
  const dependencies = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).dependencies : undefined;
  if (dependencies === undefined) return {};
  if (!dependencies || typeof dependencies !== 'object' || Array.isArray(dependencies)) throw new InputError(`${shown}: "dependencies" must be an object of package name → version range`);
  const entries = Object.entries(dependencies);
  const bad = entries.find(([, range]) => typeof range !== 'string');
  if (bad) throw new InputError(`${shown}: the version of "${bad[0]}" must be a string range such as "^1.2.0"`);
  return Object.fromEntries(entries as Array<[string, string]>);
}

async function sortedEntries(folder: string) {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
}
