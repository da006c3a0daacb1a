import { AccessibilityLinter } from './check-accessibility.js';
import { StylesheetLinter } from './stylesheet-linter.js';
import { TypeChecker, type BundleTypeChecker } from './type-checker.js';
import { validateBundle, type ValidateBundleOptions, type ValidationResult } from './validate-bundle.js';

/** The warm tools the gate's layers run on: each loads its library on first use, then stays warm. */
export interface GateTools {
  readonly typeChecker: BundleTypeChecker;
  readonly accessibility: AccessibilityLinter;
  readonly stylesheets: StylesheetLinter;
}

/**
 * One owner of the gate's warm tools (TypeScript's language service, ESLint, Stylelint), built
 * by the runtime (runtime.gate()) and closed with it. Building one is cheap: the libraries load
 * when its first bundle is checked, so every later bundle reuses them.
 */
export class ValidationGate {
  readonly tools: GateTools;
  private isClosed = false;

  constructor(tools: Partial<GateTools> = {}) {
    this.tools = {
      typeChecker: tools.typeChecker ?? new TypeChecker(),
      accessibility: tools.accessibility ?? new AccessibilityLinter(),
      stylesheets: tools.stylesheets ?? new StylesheetLinter(),
    };
  }

  /** The gate as a function (GenerationDeps.validate), bound so it can be handed around. */
  readonly validate = (input: unknown, options: ValidateBundleOptions = {}): Promise<ValidationResult> => {
    if (this.isClosed) return Promise.reject(new Error('the validation gate is closed; its runtime was closed'));
    return validateBundle(input, this.tools, options);
  };

  /** A gate over another type layer (the CLI's snapshot host) sharing these linters; closing it closes only that checker. */
  withTypeChecker(typeChecker: BundleTypeChecker): ValidationGate {
    return new ValidationGate({ ...this.tools, typeChecker });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Releases the type checker's language service; later checks are refused. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.tools.typeChecker.close?.();
  }
}
