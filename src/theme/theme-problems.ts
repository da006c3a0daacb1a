import { MAX_REPORTED_ISSUES, ThemeError, type ErrorIssue } from '../errors.js';
import type { ThemeWarning, WarningSummary } from './schemas.js';

/**
 * Caps on what is kept, so a hostile theme cannot make the answer huge; a real token set (a few
 * thousand tokens) stays well under both, so its structured result lists every warning and error.
 */
const MAX_WARNINGS = 20_000;
const MAX_ERRORS = 1_000;

/**
 * Collects every error and warning of one run, so the caller sees all problems at once rather
 * than the first. Light and dark passes report the same fault twice; duplicates are dropped.
 */
export class ThemeProblems {
  readonly errors: ErrorIssue[] = [];
  readonly warnings: ThemeWarning[] = [];
  private errorCount = 0;
  private warningCount = 0;
  private readonly seen = new Set<string>();

  error(path: string, code: string, message: string, suggestion?: string): void {
    if (!this.isNew('e', path, code, message)) return;
    this.errorCount++;
    if (this.errors.length < MAX_ERRORS) {
      this.errors.push(suggestion ? { path, code, message, suggestion } : { path, code, message });
    }
  }

  warn(path: string, code: string, message: string): void {
    if (!this.isNew('w', path, code, message)) return;
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ code, path, message });
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get totalErrors(): number {
    return this.errorCount;
  }

  /** One line per warning code: count and the first three paths, in order of first appearance. */
  summary(warnings: readonly ThemeWarning[] = this.finalWarnings()): WarningSummary[] {
    const byCode = new Map<string, WarningSummary>();
    for (const { code, path } of warnings) {
      let entry = byCode.get(code);
      if (!entry) byCode.set(code, (entry = { code, count: 0, paths: [] }));
      entry.count++;
      if (entry.paths.length < 3 && !entry.paths.includes(path)) entry.paths.push(path);
    }
    return [...byCode.values()];
  }

  /** Throws one ThemeError carrying every collected error (capped), if there is any. */
  throwIfErrors(themeId: string): void {
    if (!this.hasErrors) return;
    const first = this.errors[0];
    const more = this.errorCount > 1 ? ` (and ${this.errorCount - 1} more problem${this.errorCount > 2 ? 's' : ''})` : '';
    throw new ThemeError(`theme "${themeId}" cannot become CSS: ${first?.path}: ${first?.message}${more}`, this.errors.slice(0, MAX_REPORTED_ISSUES), {
      suggestion: 'Fix each listed token; every issue names the token path.',
      context: { errorCount: this.errorCount },
    });
  }

  /** Appends a summary when warnings were dropped by the cap. */
  finalWarnings() {
    if (this.warningCount > this.warnings.length) {
      return [...this.warnings, { code: 'warnings-truncated', path: '(theme)', message: `${this.warningCount - this.warnings.length} more warnings not shown` }];
    }
    return this.warnings;
  }

  private isNew(kind: string, path: string, code: string, message: string): boolean {
    const key = `${kind}\u0000${path}\u0000${code}\u0000${message}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
