import { createHash } from 'node:crypto';
import { CssSyntaxError } from 'postcss';
import { customPropertiesDeclaredIn } from '../validation/css-custom-properties.js';
import { BUNDLE_FILE } from '../shapes/finding.js';
import { COMPONENTS_FOLDER, THEME_FILE, type ExportFolder } from './read-export-folder.js';
import { validateExport, type ExportFinding, type ExportValidationResult } from './validate-export.js';
import type { ValidationGate } from '../validation/validation-gate.js';

export interface ExportFolderOptions {
  /** Variables of a theme named by the caller (`--theme`); otherwise those the folder's theme.css declares. */
  themeVariables?: ReadonlySet<string>;
  allowDependencies?: readonly string[];
  /** The runtime's gate. */
  gate: ValidationGate;
  signal?: AbortSignal;
}

/**
 * An export folder read back (read-export-folder.ts) through the same whole-export validation
 * `exportScreen` runs before it hands files out, plus what the folder holds outside the export's
 * layout. The undefined-variable rule checks against the export's own theme.css.
 */
export async function validateExportFolder(folder: ExportFolder, options: ExportFolderOptions): Promise<ExportValidationResult> {
  const themeProblems: ExportFinding[] = [];
  let themeVariables = options.themeVariables;
  if (!themeVariables && folder.themeCss !== undefined) {
    try {
      themeVariables = customPropertiesDeclaredIn(folder.themeCss, THEME_FILE);
    } catch (error) {
      if (!(error instanceof CssSyntaxError)) throw error;
      themeProblems.push({ file: THEME_FILE, line: error.line ?? 0, column: error.column ?? 0, code: 'css-syntax', message: error.reason, bundle: 'screen' });
    }
  }
  const missingTheme: ExportFinding[] =
    !themeVariables && folder.themeCss === undefined
      ? [
          {
            file: THEME_FILE,
            line: 0,
            column: 0,
            code: 'export-layout',
            message: `no ${THEME_FILE} beside the screen, so theme variables were not checked; pass --theme to check them`,
            bundle: 'screen',
          },
        ]
      : [];
  const themeHash = themeVariables
    ? createHash('sha256')
        .update([...themeVariables].sort().join('\n'))
        .digest('hex')
    : 'no-theme';
  const result = await validateExport(folder.components, folder.screen, { themeVariables, themeHash, allowDependencies: options.allowDependencies, gate: options.gate, signal: options.signal });
  const errors = withoutRepeats([...folder.layoutProblems, ...themeProblems, ...result.errors.map(placeInFolder)]);
  return { ...result, valid: errors.length === 0, errors, warnings: withoutRepeats([...missingTheme, ...result.warnings.map(placeInFolder)]) };
}

/** A component's source is checked in its own bundle and again in the screen bundle: one problem is reported once. */
function withoutRepeats(findings: ExportFinding[]): ExportFinding[] {
  const seen = new Set<string>();
  return findings.filter((found) => {
    const key = JSON.stringify([found.file, found.line, found.column, found.code, found.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A finding about a component's bundle as a whole names the component's folder, which is where a reader looks. */
function placeInFolder(found: ExportFinding): ExportFinding {
  return found.file === BUNDLE_FILE && found.bundle !== 'screen' ? { ...found, file: `${COMPONENTS_FOLDER}/${found.bundle}/` } : found;
}
