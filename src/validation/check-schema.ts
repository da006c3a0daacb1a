import { BUNDLE_LIMITS, BundleSchema, problemWithFileName, type Bundle } from '../shapes/bundle.js';
import { BUNDLE_FILE, finding, type Finding } from '../shapes/finding.js';

/** Layer 1: the bundle's shape, its file names, and the presence of its main file. */
export function checkSchema(input: unknown): { bundle?: Bundle; findings: Finding[] } {
  const parsed = BundleSchema.safeParse(input);
  if (!parsed.success) {
    return {
      findings: parsed.error.issues.map((issue) =>
        finding({
          layer: 'schema',
          severity: 'error',
          code: 'bundle-invalid',
          message: `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: 'Send { name: "PascalCase", files: [{ path, contents }], dependencies: { pkg: "^1.0.0" } }.',
        }),
      ),
    };
  }
  const bundle = parsed.data;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let totalBytes = 0;
  for (const file of bundle.files) {
    totalBytes += file.contents.length;
    const problem = problemWithFileName(file.path);
    if (problem) {
      findings.push(
        finding({
          layer: 'schema',
          severity: 'error',
          code: problem.code,
          message: `file name ${JSON.stringify(file.path)} ${problem.message}`,
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: 'Use a bare file name such as "Button.tsx", "Button.module.css" or "Button.test.tsx".',
        }),
      );
    }
    const key = file.path.toLowerCase();
    if (seen.has(key)) {
      findings.push(
        finding({
          layer: 'schema',
          severity: 'error',
          code: 'file-duplicate',
          message: `file ${JSON.stringify(file.path)} appears more than once (names are compared case-insensitively)`,
          file: BUNDLE_FILE,
          line: 0,
          column: 0,
          suggestion: 'Merge the duplicates into one file or rename one of them.',
        }),
      );
    }
    seen.add(key);
  }
  if (totalBytes > BUNDLE_LIMITS.maxTotalBytes) {
    findings.push(
      finding({
        layer: 'schema',
        severity: 'error',
        code: 'bundle-too-large',
        message: `the bundle holds ${totalBytes} characters; the limit is ${BUNDLE_LIMITS.maxTotalBytes}`,
        file: BUNDLE_FILE,
        line: 0,
        column: 0,
      }),
    );
  }
  const mainFile = `${bundle.name}.tsx`;
  if (!bundle.files.some((file) => file.path === mainFile)) {
    findings.push(
      finding({
        layer: 'schema',
        severity: 'error',
        code: 'main-file-missing',
        message: `the bundle has no main file ${mainFile} for component ${bundle.name}`,
        file: BUNDLE_FILE,
        line: 0,
        column: 0,
        suggestion: `Name the file that exports ${bundle.name} "${mainFile}".`,
      }),
    );
  }
  return { bundle, findings };
}
