import * as z from 'zod';

/** The gate's layers, in the order they run; a layer runs only when every earlier one found no error. */
export const ValidationLayerSchema = z.enum(['schema', 'syntax', 'types', 'design-system', 'a11y', 'tests']);
export type ValidationLayer = z.infer<typeof ValidationLayerSchema>;

export const VALIDATION_LAYERS: readonly ValidationLayer[] = ValidationLayerSchema.options;

/** One problem the gate found, precise enough for a person to jump to it and for an LLM to repair it. */
export const FindingSchema = z.object({
  layer: ValidationLayerSchema,
  severity: z.enum(['error', 'warning']),
  /** Stable rule code: `colour-literal`, `TS2322`, `jsx-a11y/alt-text`… */
  code: z.string(),
  message: z.string(),
  /** Bundle-relative file name, or `(bundle)` for findings about the bundle as a whole. */
  file: z.string(),
  /** 1-based; 0 when the finding has no position. */
  line: z.number().int().nonnegative(),
  /** 1-based; 0 when the finding has no position. */
  column: z.number().int().nonnegative(),
  suggestion: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** The file name used for findings that concern the bundle rather than one of its files. */
export const BUNDLE_FILE = '(bundle)';

export function finding(fields: Omit<Finding, 'suggestion'> & { suggestion?: string | undefined }): Finding {
  const { suggestion, ...rest } = fields;
  return suggestion ? { ...rest, suggestion } : rest;
}

/** Orders findings like a compiler: by file, then position, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
