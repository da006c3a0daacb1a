import { createHash } from 'node:crypto';
import { findComponent, loadCatalog, type Catalog } from '../catalog/catalog.js';
import { CONTRACT_VARIABLES } from '../catalog/contract.js';
import { convertBundleToJsx } from '../catalog/convert-to-jsx.js';
import { generateThemeCss } from '../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCss } from '../theme/schemas.js';
import { TEST_ONLY_PACKAGES } from '../validation/import-allowlist.js';
import { isStoryFile, isTestFile } from '../shapes/bundle.js';
import { dependencySpecProblem, mergeRange } from '../validation/dependency-specs.js';
import { themeVariablesOf } from '../validation/theme-variables.js';
import { emitScreenSource } from './emit-screen-source.js';
import { buildScreenLayout } from './layout-css.js';
import { normaliseScreen, toPascalCase, walkElements } from './normalise-screen.js';
import { routeComponents, type GenerateUnknown, type RoutedComponent } from './route-components.js';
import type { Screen, ScreenLimitsInput } from './screen-model.js';
import { formatExportFinding, validateExport, type ExportFinding } from './validate-export.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import { defaultThemeCss } from '../catalog/default-theme.js';

/**
 * export_screen's domain: screen → normalised tree → components routed (Tier 1 catalog or the
 * injected Tier 2 generator) → screen file, layout CSS, theme CSS, barrel, dependency fragment
 * → the whole export validated → files. Knows nothing of MCP or the file system; writing is
 * `writeExport` (write-export.ts).
 *
 * Layout of an export (paths relative to the output folder):
 *
 * | file | what |
 * |---|---|
 * | `<Screen>.tsx` | the screen component: imports each component from `./components/<Name>` and renders the tree |
 * | `<Screen>.module.css` | layout: shell, page, section patterns or the blueprint's slots as grid areas (grid, flex, theme spacing) |
 * | `theme.css` | the theme's custom properties, with every variable the components read bound |
 * | `index.ts` | barrel: the screen, each component and its props type |
 * | `components/<Name>/…` | each component: `<Name>.tsx`, `<Name>.module.css`, `index.ts`, tests and stories unless `includeTests: false` |
 * | `package.fragment.json` | `{ dependencies, devDependencies }` to merge into the app's package.json |
 * | `README.md` | how to use the export: imports, handlers to wire, dependencies |
 *
 * With `format: 'jsx'` every `.tsx`/`.ts` becomes `.jsx`/`.js` (types stripped) after validation.
 */

export interface ExportScreenRequest {
  /** A Tekton screen definition or a blueprint (already parsed JSON). */
  screen: unknown;
  /** A theme as `generate_theme_css` takes it; without one the contract's documented defaults are used. */
  theme?: unknown;
  format?: 'tsx' | 'jsx';
  /** Component tests and stories in the export (default true). */
  includeTests?: boolean;
  limits?: ScreenLimitsInput;
}

export interface ExportProgress {
  progress: number;
  total: number;
  message: string;
}

export interface ExportScreenDeps {
  /** The runtime's gate, which the whole export passes before its files are handed out. */
  gate: ValidationGate;
  catalog?: Catalog;
  generateUnknown?: GenerateUnknown;
  /** Tier 2 only from the cache (CLI `--cached`): passed to the generator. */
  cacheOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: ExportProgress) => void;
  /** Tier 2 generations at once (default 3). */
  concurrency?: number;
  maxThemeTokens?: number;
}

export interface ExportFile {
  path: string;
  contents: string;
}

export interface ComponentReport {
  /** The component's name (its folder under `components/`). */
  type: string;
  /** Types as written in the screen that resolve to it (`Dialog` → Modal). */
  requestedAs: string[];
  tier: 'tier1' | 'tier2';
  status: 'ok' | 'failed';
  errors?: string[];
}

export interface ScreenExport {
  success: boolean;
  /** Content hash of the files: equal exports have equal ids. */
  exportId: string;
  screenName: string;
  /** Every file of the export; empty when `success` is false (no partial screen is handed out). */
  files: ExportFile[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  components: ComponentReport[];
  /** Validation errors (file:line:col code message) when the export failed the gate. */
  findings: ExportFinding[];
  warnings: string[];
  validationMs: number;
}

const PROGRESS_EXTRA_STEPS = 2;

export async function exportScreen(request: ExportScreenRequest, deps: ExportScreenDeps): Promise<ScreenExport> {
  const catalog = deps.catalog ?? (await loadCatalog());
  const format = request.format ?? 'tsx';
  const includeTests = request.includeTests ?? true;
  const screen = normaliseScreen(request.screen, catalog, request.limits);
  const themeCss =
    request.theme === undefined ? defaultThemeCss() : generateThemeCss(request.theme, ThemeCssOptionsSchema.parse({}), { maxTokens: deps.maxThemeTokens, defaultBindings: CONTRACT_VARIABLES });
  const warnings = [...screen.warnings, ...themeCss.warnings.map((warning) => `theme ${warning.path}: ${warning.message}`), ...handlerWarnings(screen)];

  const distinct = countDistinctTypes(screen, catalog);
  const total = distinct + PROGRESS_EXTRA_STEPS;
  let done = 0;
  const progress = (message: string) => deps.onProgress?.({ progress: ++done, total, message });

  deps.signal?.throwIfAborted();
  const components = await routeComponents(screen, catalog, {
    generateUnknown: deps.generateUnknown,
    generateOptions: { cacheOnly: deps.cacheOnly, themeCss },
    signal: deps.signal,
    concurrency: deps.concurrency,
    onRouted: (component) => progress(`${component.name}: ${component.tier === 'tier1' ? 'catalog' : 'generated'}${component.status === 'failed' ? ' (failed)' : ''}`),
  });
  const reports = components.map(toReport);
  const failedComponents = components.filter((component) => component.status === 'failed');
  if (failedComponents.length) {
    return failure(screen, reports, [], warnings, 0);
  }

  const nameByType = new Map<string, string>();
  for (const component of components) for (const type of component.types) nameByType.set(type, component.name);
  const clash = components.find((component) => component.name === screen.componentName);
  if (clash) screen.componentName = `${screen.componentName}Screen`;

  deps.signal?.throwIfAborted();
  const assembled = assemble(screen, components, themeCss, nameByType, includeTests);
  warnings.push(...assembled.warnings);
  if (assembled.conflicts.length) {
    for (const conflict of assembled.conflicts) {
      const report = reports.find((candidate) => candidate.type === conflict.bundle);
      if (report) {
        report.status = 'failed';
        (report.errors ??= []).push(formatExportFinding(conflict));
      }
    }
    return failure(screen, reports, assembled.conflicts, warnings, 0);
  }
  progress(`${screen.componentName}: assembled`);

  const validation = await validateExport(components, assembled.screenParts, {
    themeVariables: themeVariablesOf(themeCss),
    themeHash: themeCss.hash,
    gate: deps.gate,
    signal: deps.signal,
  });
  warnings.push(...validation.warnings.map(formatExportFinding));
  progress(`${screen.componentName}: validated${validation.valid ? '' : ' (failed)'}`);
  if (!validation.valid) {
    for (const finding of validation.errors) {
      const report = reports.find((candidate) => candidate.type === finding.bundle);
      if (report) {
        report.status = 'failed';
        (report.errors ??= []).push(formatExportFinding(finding));
      }
    }
    return failure(screen, reports, validation.errors, warnings, validation.durationMs);
  }

  let files = assembled.files;
  if (format === 'jsx') files = (await convertBundleToJsx({ files, exports: [] })).files;
  files = files.slice().sort((a, b) => a.path.localeCompare(b.path));
  return {
    success: true,
    exportId: hashExport(files),
    screenName: screen.componentName,
    files,
    dependencies: assembled.dependencies,
    devDependencies: assembled.devDependencies,
    components: reports,
    findings: [],
    warnings,
    validationMs: validation.durationMs,
  };
}

function failure(screen: Screen, components: ComponentReport[], findings: ExportFinding[], warnings: string[], validationMs: number): ScreenExport {
  return { success: false, exportId: '', screenName: screen.componentName, files: [], dependencies: {}, devDependencies: {}, components, findings, warnings, validationMs };
}

function toReport(component: RoutedComponent): ComponentReport {
  return { type: component.name, requestedAs: component.types, tier: component.tier, status: component.status, ...(component.errors.length ? { errors: [...component.errors] } : {}) };
}

function countDistinctTypes(screen: Screen, catalog: Catalog): number {
  const keys = new Set<string>();
  for (const element of walkElements(screen)) keys.add(findComponent(catalog, element.type)?.meta.name ?? `?${element.type.toLowerCase()}`);
  return keys.size;
}

function handlerWarnings(screen: Screen): string[] {
  const warnings: string[] = [];
  for (const element of walkElements(screen)) {
    for (const dropped of element.droppedHandlers) {
      warnings.push(
        `${element.path}.props.${dropped.prop}: handler "${dropped.handler}" is a name, not code, so it was not emitted; pass your function to ${element.type}'s ${dropped.prop.split(/[[.]/)[0]} prop`,
      );
    }
  }
  return warnings;
}

export function hashExport(files: ReadonlyArray<ExportFile>): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update('\0').update(file.contents).update('\0');
  return hash.digest('hex').slice(0, 32);
}

interface Assembled {
  /** Dependency specs that are not ranges, or ranges of one package that cannot both hold: the export fails. */
  conflicts: ExportFinding[];
  files: ExportFile[];
  screenParts: Parameters<typeof validateExport>[1];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  warnings: string[];
}

function assemble(screen: Screen, components: RoutedComponent[], themeCss: ThemeCss, nameByType: Map<string, string>, includeTests: boolean): Assembled {
  const warnings: string[] = [];
  const layout = buildScreenLayout(screen);
  warnings.push(...layout.warnings);
  const name = screen.componentName;
  const componentNameOf = (type: string) => nameByType.get(type) ?? toPascalCase(type);
  const screenSource = emitScreenSource(screen, { componentNameOf, importPathOf: (component) => `./components/${component}`, stylesPath: `./${name}.module.css`, layout });
  const flatScreenSource = emitScreenSource(screen, { componentNameOf, importPathOf: (component) => `./${component}`, stylesPath: `./${name}.module.css`, layout });

  const barrel = (prefix: (component: string) => string) =>
    [
      `export { ${name} } from './${name}';`,
      ...components.flatMap((component) => {
        const values = component.exports.filter((exported) => !exported.endsWith('Props'));
        const types = component.exports.filter((exported) => exported.endsWith('Props'));
        return [`export { ${values.join(', ')} } from '${prefix(component.name)}';`, ...(types.length ? [`export type { ${types.join(', ')} } from '${prefix(component.name)}';`] : [])];
      }),
      '',
    ].join('\n');

  const dependencies: Record<string, string> = { react: '^19.0.0', 'react-dom': '^19.0.0' };
  const devDependencies: Record<string, string> = {};
  const owners = new Map<string, string>([
    ['react', 'the export'],
    ['react-dom', 'the export'],
  ]);
  const devOwners = new Map<string, string>();
  const conflicts: ExportFinding[] = [];
  for (const component of components) {
    mergeRanges(dependencies, owners, component.dependencies, component.name, conflicts);
    const dev = Object.fromEntries(Object.entries(component.devDependencies).filter(([pkg]) => includeTests || !isTestOnlyPackage(pkg)));
    mergeRanges(devDependencies, devOwners, dev, component.name, conflicts);
  }
  for (const pkg of Object.keys(devDependencies)) if (pkg in dependencies) delete devDependencies[pkg];

  const files: ExportFile[] = [
    { path: `${name}.tsx`, contents: screenSource },
    { path: `${name}.module.css`, contents: layout.css },
    { path: 'theme.css', contents: themeCss.css.endsWith('\n') ? themeCss.css : `${themeCss.css}\n` },
    { path: 'index.ts', contents: barrel((component) => `./components/${component}`) },
    { path: 'package.fragment.json', contents: `${JSON.stringify({ dependencies: sortKeys(dependencies), devDependencies: sortKeys(devDependencies) }, null, 2)}\n` },
    { path: 'README.md', contents: readme(screen, components, warnings) },
  ];
  for (const component of components) {
    for (const file of component.files) {
      if (!includeTests && (isTestFile(file.path) || isStoryFile(file.path))) continue;
      files.push({ path: `components/${component.name}/${file.path}`, contents: file.contents });
    }
  }
  const flatScreenFiles = [
    { path: `${name}.tsx`, contents: flatScreenSource },
    { path: `${name}.module.css`, contents: layout.css },
    { path: 'index.ts', contents: barrel((component) => `./${component}`) },
  ];
  return {
    conflicts,
    files,
    screenParts: { name, flatScreenFiles, screenPathOf: (flat) => flat, dependencies },
    dependencies: sortKeys(dependencies),
    devDependencies: sortKeys(devDependencies),
    warnings,
  };
}

function isTestOnlyPackage(pkg: string): boolean {
  return TEST_ONLY_PACKAGES.includes(pkg) || pkg === 'jsdom' || pkg.startsWith('@testing-library/') || pkg.startsWith('@storybook/');
}

/**
 * Merges one component's npm ranges into the export's. Each spec must be a registry range
 * (dependency-specs.ts); two ranges for one package must intersect, and the narrower (or both,
 * as an "and") is kept. Problems become findings naming both components, and fail the export.
 */
function mergeRanges(into: Record<string, string>, owners: Map<string, string>, from: Record<string, string>, owner: string, conflicts: ExportFinding[]): void {
  for (const [pkg, range] of Object.entries(from)) {
    const problem = dependencySpecProblem(pkg, range);
    if (problem) {
      conflicts.push({ file: 'package.fragment.json', line: 0, column: 0, code: problem.code, message: `${owner}: ${problem.message}`, bundle: owner });
      continue;
    }
    const current = into[pkg];
    if (current === undefined) {
      into[pkg] = range;
      owners.set(pkg, owner);
      continue;
    }
    const merged = mergeRange(current, range);
    if (merged.ok) {
      into[pkg] = merged.range;
      owners.set(pkg, `${owners.get(pkg) ?? 'the export'} and ${owner}`);
    } else {
      conflicts.push({
        file: 'package.fragment.json',
        line: 0,
        column: 0,
        code: 'dependency-conflict',
        message: `${owner} needs ${pkg}@${range} but ${owners.get(pkg) ?? 'the export'} needs ${pkg}@${current}: no version satisfies both`,
        bundle: owner,
      });
    }
  }
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function readme(screen: Screen, components: RoutedComponent[], warnings: string[]): string {
  const name = screen.componentName;
  const handlers = [...walkElements(screen)].flatMap((element) =>
    element.droppedHandlers.map((dropped) => `- \`${dropped.handler}\`: pass it as \`${dropped.prop}\` of ${element.type} at \`${element.path}\``),
  );
  return [
    `# ${name}`,
    '',
    'Generated by dspec. Import the theme once, then render the screen:',
    '',
    '```tsx',
    `import './theme.css';`,
    `import { ${name} } from './${name}';`,
    '',
    `export default function App() {`,
    `  return <${name} />;`,
    '}',
    '```',
    '',
    'Merge `package.fragment.json` into your package.json. Dark mode: add the `dark` class to `<html>`.',
    '',
    '## Check it',
    '',
    'Before you commit this folder, and after any edit, run `dspec validate <this folder>`. It checks the folder as the export was checked:',
    'the screen with its `./components/…` imports resolved, and each component through the gate (types, colour literals, theme variables',
    'against `theme.css`, imports and dependencies, accessibility, tests). Exit 0 means no errors; it reads TypeScript exports (`--format tsx`).',
    '',
    '## Components',
    '',
    ...components.map((component) => `- ${component.name} (${component.tier === 'tier1' ? 'catalog' : 'generated'})`),
    '',
    ...(handlers.length
      ? ['## Handlers to wire', '', 'The screen named these handlers; JSON cannot carry code, so they were left out. Write each function and pass it where listed:', '', ...handlers, '']
      : []),
    ...(warnings.length ? [`${warnings.length} warning(s) were reported with the export.`, ''] : []),
  ].join('\n');
}
