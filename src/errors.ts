/**
 * The one error family of dspec. Domain modules throw these; the server maps them to an
 * `isError` tool result and the CLI to an exit code, each through a single function
 * (`toToolError` in server/tool-result.ts, `exitCodeFor` in cli/run-cli.ts).
 */
export const ErrorCode = {
  InvalidInput: 'INVALID_INPUT',
  InvalidJson: 'INVALID_JSON',
  ThemeInvalid: 'THEME_INVALID',
  TokenReference: 'TOKEN_REFERENCE',
  NameCollision: 'NAME_COLLISION',
  NotFound: 'NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  ProviderUnavailable: 'PROVIDER_UNAVAILABLE',
  Provider: 'PROVIDER_ERROR',
  BudgetExceeded: 'BUDGET_EXCEEDED',
  Busy: 'BUSY',
  Database: 'DATABASE_ERROR',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One concrete problem inside a larger failure, e.g. one broken token among many. */
export interface ErrorIssue {
  /** Where: a token path (`semantic.background.canvas`), a JSON path, or `file:line:col`. */
  path: string;
  code: string;
  message: string;
  suggestion?: string;
}

export interface DspecErrorOptions {
  suggestion?: string;
  context?: Record<string, unknown>;
  issues?: ErrorIssue[];
  cause?: unknown;
}

export class DspecError extends Error {
  readonly code: ErrorCode;
  readonly suggestion?: string;
  readonly context?: Record<string, unknown>;
  readonly issues: ErrorIssue[];

  constructor(code: ErrorCode, message: string, options: DspecErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Named by hand, not from the class: the published bundle is minified and keeps no class names.
    this.name = 'DspecError';
    this.code = code;
    this.suggestion = options.suggestion;
    this.context = options.context;
    this.issues = options.issues ?? [];
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      ...(this.suggestion ? { suggestion: this.suggestion } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
    };
  }
}

/** Bad arguments or unreadable input: the caller must change what they sent. */
export class InputError extends DspecError {
  override readonly name = 'InputError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.InvalidInput, message, options);
  }
}

/** A JSON document that does not parse; carries the line and column of the fault. */
export class JsonParseError extends DspecError {
  override readonly name = 'JsonParseError';
  readonly line: number;
  readonly column: number;
  constructor(source: string, line: number, column: number, detail: string) {
    super(ErrorCode.InvalidJson, `${source}:${line}:${column}: invalid JSON: ${detail}`, {
      suggestion: 'Fix the JSON syntax at that position (a trailing comma, a missing quote or bracket are the usual causes).',
      context: { source, line, column },
    });
    this.line = line;
    this.column = column;
  }
}

/** A theme whose tokens cannot become CSS: every problem found is listed in `issues`. */
export class ThemeError extends DspecError {
  override readonly name = 'ThemeError';
  constructor(message: string, issues: ErrorIssue[], options: Omit<DspecErrorOptions, 'issues'> = {}) {
    super(ErrorCode.ThemeInvalid, message, { ...options, issues });
  }
}

/** Cap on how many issues one error carries, so a hostile input cannot produce a huge answer. */
export const MAX_REPORTED_ISSUES = 50;

/** Formats an error for a person or an LLM: message, then one line per issue, then the suggestion. */
export function formatError(error: DspecError): string {
  const lines = [error.message];
  const shown = error.issues.slice(0, MAX_REPORTED_ISSUES);
  for (const issue of shown) {
    lines.push(`  - ${issue.path}: ${issue.message}${issue.suggestion ? ` (${issue.suggestion})` : ''}`);
  }
  if (error.issues.length > shown.length) lines.push(`  … and ${error.issues.length - shown.length} more`);
  if (error.suggestion) lines.push(`Hint: ${error.suggestion}`);
  return lines.join('\n');
}

/** Turns zod issues into `path: message` issues (zod 4 issue shape). */
export function issuesFromZod(zodIssues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>): ErrorIssue[] {
  return zodIssues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    code: issue.code ?? 'invalid',
    message: issue.message,
  }));
}

/** Generated code that did not pass the gate after every repair attempt; carries the findings. */
export class ValidationFailedError extends DspecError {
  override readonly name = 'ValidationFailedError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.ValidationFailed, message, options);
  }
}

/** No LLM provider is configured (or none is reachable) for a request that needs one. */
export class ProviderUnavailableError extends DspecError {
  override readonly name = 'ProviderUnavailableError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.ProviderUnavailable, message, options);
  }
}

/** A provider call failed for good (after the transport retries, or a non-retryable status). */
export class ProviderError extends DspecError {
  override readonly name = 'ProviderError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.Provider, message, options);
  }
}

/** A budget would be exceeded by the worst case of the next call: no call is made. */
export class BudgetExceededError extends DspecError {
  override readonly name = 'BudgetExceededError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.BudgetExceeded, message, options);
  }
}

/** The cost database (DSPEC_DATABASE_URL) could not be reached or is not migrated; its message never holds the password. */
export class DatabaseError extends DspecError {
  override readonly name = 'DatabaseError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.Database, message, options);
  }
}

/** The server is at its concurrency limit for an expensive tool; the caller should retry later. */
export class BusyError extends DspecError {
  override readonly name = 'BusyError';
  constructor(message: string, options: DspecErrorOptions = {}) {
    super(ErrorCode.Busy, message, options);
  }
}
