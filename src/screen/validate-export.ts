import { LRUCache } from 'lru-cache';
import { hashFiles } from '../catalog/tier1-bundle.js';
import { isStoryFile, isTestFile } from '../shapes/bundle.js';
import type { Finding } from '../shapes/finding.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import type { RoutedComponent } from './route-components.js';

/**
 * The gate checks flat bundles (one directory), while an export has folders. So the export is
 * checked in two kinds of flat pieces:
 *
 * 1. each component as its own bundle, exactly as delivered (main file, CSS, index, tests,
 *    stories): the layers of the gate including the test rules;
 * 2. one "screen bundle": the screen file, its layout CSS and barrel, emitted a second time with
 *    `./<Name>` imports instead of `./components/<Name>`, plus every component's source files
 *    (not its index, tests or stories, whose names would collide). Types are checked across all
 *    of them, so each prop the screen passes must fit the real component's props type.
 *
 * `theme.css` is not part of either: it is the one file where colour literals belong. Its
 * variables are passed as the set the undefined-variable rule checks against.
 */

export interface ExportFinding {
  /** Path of the file in the export (`components/Button/Button.tsx`), or `(bundle)`. */
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  /** Which flat piece found it: `screen` or a component name. */
  bundle: string;
}

export interface ScreenBundleParts {
  name: string;
  /** The screen file, layout CSS and barrel, with flat imports. */
  flatScreenFiles: Array<{ path: string; contents: string }>;
  /** Where each flat screen file sits in the export. */
  screenPathOf: (flatPath: string) => string;
  dependencies: Record<string, string>;
}

/** Verdicts on component bundles by content and theme: a component served again is not checked again. */
const componentVerdicts = new LRUCache<string, Finding[]>({ max: 200 });

/** Forgets the cached component verdicts (the bench measures the uncached path with it). */
export function clearComponentVerdicts(): void {
  componentVerdicts.clear();
}

export interface ExportValidationResult {
  valid: boolean;
  errors: ExportFinding[];
  warnings: ExportFinding[];
  durationMs: number;
  /** Component bundles whose verdict came from the cache of this process. */
  cachedComponents: number;
}

export async function validateExport(
  components: ReadonlyArray<Pick<RoutedComponent, 'name' | 'files' | 'dependencies'> & { tier?: RoutedComponent['tier'] }>,
  screen: ScreenBundleParts,
  // Without themeVariables the undefined-variable rule is skipped (a folder read back without its theme.css).
  options: { themeVariables?: ReadonlySet<string>; themeHash: string; allowDependencies?: readonly string[]; gate: ValidationGate; signal?: AbortSignal },
): Promise<ExportValidationResult> {
  const started = performance.now();
  const { validate } = options.gate;
  const errors: ExportFinding[] = [];
  const warnings: ExportFinding[] = [];
  let cachedComponents = 0;
  const collect = (findings: Finding[], bundle: string, pathOf: (file: string) => string) => {
    for (const found of findings) {
      const mapped: ExportFinding = { file: found.file.startsWith('(') ? found.file : pathOf(found.file), line: found.line, column: found.column, code: found.code, message: found.message, bundle };
      (found.severity === 'error' ? errors : warnings).push(mapped);
    }
  };

  // Runs one after another: the gate's type checker is one warm service shared by every call.
  for (const component of components) {
    options.signal?.throwIfAborted();
    const bundle = { name: component.name, files: component.files, dependencies: component.dependencies, tier: component.tier };
    const key = `${hashFiles(component.files)}:${JSON.stringify(component.dependencies)}:${options.themeHash}:${(options.allowDependencies ?? []).join(',')}`;
    let findings = componentVerdicts.get(key);
    if (findings) cachedComponents++;
    else {
      const result = await validate(bundle, { themeVariables: options.themeVariables, allowDependencies: options.allowDependencies });
      findings = [...result.errors, ...result.warnings];
      componentVerdicts.set(key, findings);
    }
    collect(findings, component.name, (file) => `components/${component.name}/${file}`);
  }

  options.signal?.throwIfAborted();
  const owners = new Map<string, string>();
  const files = [...screen.flatScreenFiles];
  for (const file of files) owners.set(file.path, screen.screenPathOf(file.path));
  for (const component of components) {
    for (const file of component.files) {
      if (/^index\.(tsx|ts|jsx|js)$/.test(file.path) || isTestFile(file.path) || isStoryFile(file.path) || file.path.endsWith('.md')) continue;
      const exportPath = `components/${component.name}/${file.path}`;
      const owner = owners.get(file.path);
      if (owner) {
        errors.push({
          file: exportPath,
          line: 0,
          column: 0,
          code: 'file-name-collision',
          message: `${exportPath} and ${owner} have the same file name, so they cannot be type-checked together`,
          bundle: 'screen',
        });
        continue;
      }
      owners.set(file.path, exportPath);
      files.push(file);
    }
  }
  const dependencies = { ...screen.dependencies };
  const result = await validate({ name: screen.name, files, dependencies }, { themeVariables: options.themeVariables, allowDependencies: options.allowDependencies });
  collect([...result.errors, ...result.warnings], 'screen', (file) => owners.get(file) ?? file);
  return { valid: errors.length === 0, errors, warnings, durationMs: Math.round(performance.now() - started), cachedComponents };
}

export function formatExportFinding(finding: ExportFinding): string {
  const where = finding.line ? `${finding.file}:${finding.line}:${finding.column}` : finding.file;
  return `${where} ${finding.code} ${finding.message}`;
}
