import type { Root } from 'postcss';
import { fileKind, isStoryFile, isTestFile, type Bundle } from '../shapes/bundle.js';
import type { ParsedBundle } from './check-syntax.js';
import { closestNames } from '../infra/edit-distance.js';
import { findVarReferences } from './css-value-scan.js';
import { lineStartOffsets, positionAt } from './text-positions.js';
import { BUNDLE_FILE, finding, type Finding } from '../shapes/finding.js';
import { ALLOWED_PACKAGES, judgeImport, packageNameOf, PEER_PACKAGES, TEST_ONLY_PACKAGES, isRelativeSpecifier } from './import-allowlist.js';
import { dependencySpecProblem } from './dependency-specs.js';
import { findExternalResources } from './external-resources.js';
import { scanComponentSource, type ComponentSourceScan } from './scan-component-source.js';
import type { StylesheetLinter } from './stylesheet-linter.js';

export interface DesignSystemOptions {
  /** Custom properties the active theme defines; without it the undefined-variable rule cannot run and is skipped. */
  themeVariables?: ReadonlySet<string>;
  allowDependencies: ReadonlySet<string>;
  stylesheetLinter: StylesheetLinter;
}

const COLOUR_SUGGESTION = 'Use a theme variable instead, e.g. var(--color-primary); transparent and currentColor are fine.';
const EXTERNAL_SUGGESTION = 'Ship the asset with the component (a relative path or a data: URI) or take its URL as a prop; a component must not load from another host.';

/** Layer 4: no hard-coded colours, no undefined theme variables, only allowed imports, and the component exported by name. */
export async function checkDesignSystem(bundle: Bundle, parsed: ParsedBundle, options: DesignSystemOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const defined = new Set<string>();
  const references: Array<{ file: string; name: string; line: number; column: number }> = [];
  const scans = new Map<string, ComponentSourceScan>();

  // Remote resources, in any file that ships (stylesheets and component source alike).
  for (const file of bundle.files) {
    if (isTestFile(file.path) || isStoryFile(file.path)) continue;
    const lineStarts = lineStartOffsets(file.contents);
    for (const hit of findExternalResources(file.contents)) {
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'external-resource',
          message: `loads a resource from another host: ${hit.url.slice(0, 120)}`,
          file: file.path,
          ...positionAt(lineStarts, hit.offset),
          suggestion: EXTERNAL_SUGGESTION,
        }),
      );
    }
  }

  for (const file of bundle.files) {
    const ast = parsed.code.get(file.path);
    if (!ast) continue;
    const scan = scanComponentSource(ast);
    scans.set(file.path, scan);
    const lineStarts = lineStartOffsets(file.contents);
    for (const hit of scan.colourLiterals) {
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'colour-literal',
          message: `hard-coded ${hit.message}`,
          file: file.path,
          ...positionAt(lineStarts, hit.offset),
          suggestion: COLOUR_SUGGESTION,
        }),
      );
    }
    for (const name of scan.definedVariables) defined.add(name);
    for (const reference of scan.varReferences) references.push({ file: file.path, name: reference.name, ...positionAt(lineStarts, reference.offset) });
    findings.push(...checkImports(file.path, scan, bundle, options.allowDependencies));
  }

  for (const file of bundle.files) {
    if (fileKind(file.path) !== 'stylesheet') continue;
    const root = parsed.stylesheets.get(file.path);
    if (root) collectStylesheetVariables(file.path, file.contents, root, defined, references);
    for (const warning of await options.stylesheetLinter.lint(file.contents)) {
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'colour-literal',
          message: `hard-coded ${warning.message}`,
          file: file.path,
          line: warning.line,
          column: warning.column,
          suggestion: COLOUR_SUGGESTION,
        }),
      );
    }
  }

  if (options.themeVariables) {
    const known = new Set([...options.themeVariables, ...defined]);
    for (const reference of references) {
      if (known.has(reference.name)) continue;
      const closest = closestNames(reference.name, options.themeVariables);
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'undefined-variable',
          message: `var(${reference.name}) is defined neither by the theme nor by the bundle${closest.length ? `; closest theme variables: ${closest.join(', ')}` : ''}`,
          file: reference.file,
          line: reference.line,
          column: reference.column,
          suggestion: closest.length
            ? `Use one of ${closest.join(', ')} (a var() fallback does not make an unknown theme variable acceptable).`
            : 'Declare the custom property in the bundle CSS or use a theme variable.',
        }),
      );
    }
  }

  findings.push(...checkDependencies(bundle, scans, options.allowDependencies));
  findings.push(...checkMainExport(bundle, scans));
  return findings;
}

function collectStylesheetVariables(file: string, contents: string, root: Root, defined: Set<string>, references: Array<{ file: string; name: string; line: number; column: number }>): void {
  const lineStarts = lineStartOffsets(contents);
  root.walkDecls((declaration) => {
    if (declaration.prop.startsWith('--')) defined.add(declaration.prop);
    const start = declaration.source?.start;
    if (!start || !declaration.value.includes('var(')) return;
    const valueOffset = (lineStarts[start.line - 1] ?? 0) + start.column - 1 + declaration.prop.length + (declaration.raws.between?.length ?? 1);
    for (const reference of findVarReferences(declaration.value)) {
      references.push({ file, name: reference.name, ...positionAt(lineStarts, valueOffset + reference.offset) });
    }
  });
}

function checkImports(file: string, scan: ComponentSourceScan, bundle: Bundle, allowDependencies: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const lineStarts = lineStartOffsets(bundle.files.find((candidate) => candidate.path === file)?.contents ?? '');
  for (const use of scan.imports) {
    const verdict = judgeImport(use.specifier, file, bundle, allowDependencies);
    if (verdict === 'allowed') continue;
    const position = positionAt(lineStarts, use.offset);
    if (verdict === 'unresolved') {
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'import-unresolved',
          message: `import "${use.specifier}" names no file of the bundle`,
          file,
          ...position,
          suggestion: `Bundles are flat: import a sibling as "./Name" and include it; files: ${bundle.files.map((f) => f.path).join(', ')}.`,
        }),
      );
    } else {
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'import-not-allowed',
          message: verdict === 'test-only' ? `"${use.specifier}" may only be imported by test and story files` : `import "${use.specifier}" is not on the allowlist`,
          file,
          ...position,
          suggestion: `Allowed: ${ALLOWED_PACKAGES.join(', ')}, and files of the bundle${verdict === 'test-only' ? '; move test code into a *.test.tsx file' : ''}.`,
        }),
      );
    }
  }
  return findings;
}

function checkDependencies(bundle: Bundle, scans: Map<string, ComponentSourceScan>, allowDependencies: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (const [name, spec] of Object.entries(bundle.dependencies)) {
    // Every version must be a registry range, allowlisted name or not: the name alone says nothing of what gets installed.
    const problem = dependencySpecProblem(name, spec);
    if (problem)
      findings.push(finding({ layer: 'design-system', severity: 'error', code: problem.code, message: problem.message, file: BUNDLE_FILE, line: 0, column: 0, suggestion: problem.suggestion }));
    if (ALLOWED_PACKAGES.includes(name) || allowDependencies.has(name) || TEST_ONLY_PACKAGES.includes(name)) continue;
    findings.push(
      finding({
        layer: 'design-system',
        severity: 'error',
        code: 'dependency-not-allowed',
        message: `dependency "${name}" is not on the allowlist`,
        file: BUNDLE_FILE,
        line: 0,
        column: 0,
        suggestion: 'Remove it from dependencies and from the code.',
      }),
    );
  }
  const reported = new Set<string>();
  for (const [file, scan] of scans) {
    if (isTestFile(file) || isStoryFile(file)) continue;
    for (const use of scan.imports) {
      if (isRelativeSpecifier(use.specifier)) continue;
      const name = packageNameOf(use.specifier);
      if (PEER_PACKAGES.has(name) || name in bundle.dependencies || reported.has(name)) continue;
      if (!ALLOWED_PACKAGES.includes(name) && !allowDependencies.has(name)) continue; // already an import-not-allowed error
      reported.add(name);
      findings.push(
        finding({
          layer: 'design-system',
          severity: 'error',
          code: 'dependency-undeclared',
          message: `"${name}" is imported by ${file} but missing from the bundle's dependencies`,
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: `Add "${name}": "<semver range>" to dependencies.`,
        }),
      );
    }
  }
  return findings;
}

function checkMainExport(bundle: Bundle, scans: Map<string, ComponentSourceScan>): Finding[] {
  const mainFile = `${bundle.name}.tsx`;
  const scan = scans.get(mainFile);
  if (!scan || scan.namedExports.has(bundle.name)) return [];
  return [
    finding({
      layer: 'design-system',
      severity: 'error',
      code: 'missing-export',
      message: `${mainFile} does not export ${bundle.name} by name${scan.hasDefaultExport ? ' (it has only a default export)' : ''}`,
      file: mainFile,
      line: 1,
      column: 1,
      suggestion: `Write "export function ${bundle.name}(…)" or "export { ${bundle.name} }".`,
    }),
  ];
}
