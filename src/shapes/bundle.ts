import * as z from 'zod';

/** Limits that keep one bundle from exhausting the server: generated components are far below them. */
export const BUNDLE_LIMITS = { maxFiles: 50, maxFileBytes: 512 * 1024, maxTotalBytes: 2 * 1024 * 1024 } as const;

export const BundleFileSchema = z.object({
  /** A bare file name: bundles are flat, so relative imports are always `./Other`. */
  path: z.string().min(1).max(200),
  contents: z.string().max(BUNDLE_LIMITS.maxFileBytes, `a file may hold at most ${BUNDLE_LIMITS.maxFileBytes} characters`),
});
export type BundleFile = z.infer<typeof BundleFileSchema>;

/** What every component source (catalog, LLM, screen export) hands to the gate. */
export const BundleSchema = z.object({
  /** The exported component name; its main file is `<name>.tsx`. */
  name: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase identifier such as "PrimaryButton"')
    .max(100),
  files: z.array(BundleFileSchema).min(1, 'a bundle needs at least its main file').max(BUNDLE_LIMITS.maxFiles),
  /** npm package name → semver range, for every package the bundle imports at run time. */
  dependencies: z.record(z.string().min(1).max(214), z.string().max(100)).default({}),
  exports: z.array(z.string()).optional(),
  tier: z.union([z.number().int(), z.string()]).optional(),
  provenance: z.record(z.string(), z.unknown()).optional(),
});
export type Bundle = z.infer<typeof BundleSchema>;
export type BundleInput = z.input<typeof BundleSchema>;

/** Extensions a bundle may contain, longest first so `.module.css` wins over `.css`. */
export const ALLOWED_FILE_EXTENSIONS = ['.module.css', '.tsx', '.ts', '.jsx', '.js', '.css', '.json', '.md'] as const;

export type FileKind = 'code' | 'stylesheet' | 'json' | 'markdown';

export function fileKind(fileName: string): FileKind | undefined {
  if (/\.(tsx|ts|jsx|js)$/.test(fileName)) return 'code';
  if (fileName.endsWith('.css')) return 'stylesheet';
  if (fileName.endsWith('.json')) return 'json';
  if (fileName.endsWith('.md')) return 'markdown';
  return undefined;
}

export function isTestFile(fileName: string): boolean {
  return /\.(test|spec)\.(tsx|ts|jsx|js)$/.test(fileName);
}

export function isStoryFile(fileName: string): boolean {
  return /\.stories\.(tsx|ts|jsx|js)$/.test(fileName);
}

/** Why a file name is unacceptable, or undefined when it is fine. */
export function problemWithFileName(fileName: string): { code: string; message: string } | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(fileName)) return { code: 'file-name-invalid', message: 'contains a control character' };
  if (fileName.includes('/') || fileName.includes('\\')) {
    return { code: 'file-name-invalid', message: 'contains a path separator; bundles are flat (one directory)' };
  }
  if (fileName === '.' || fileName === '..' || fileName.includes('..')) return { code: 'file-name-invalid', message: 'contains ".."' };
  if (/^[A-Za-z]:/.test(fileName)) return { code: 'file-name-invalid', message: 'is an absolute path' };
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(fileName)) {
    return { code: 'file-name-invalid', message: 'may only contain letters, digits, "_", "-" and "." and must not start with "." or "-"' };
  }
  if (!ALLOWED_FILE_EXTENSIONS.some((extension) => fileName.endsWith(extension) && fileName.length > extension.length)) {
    return { code: 'file-extension-not-allowed', message: `has an extension outside ${ALLOWED_FILE_EXTENSIONS.join(' ')}` };
  }
  return undefined;
}
