import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { fileKind, type Bundle } from '../shapes/bundle.js';
import { finding, type Finding } from '../shapes/finding.js';
import { DiskTypings, findTypingsPack, PackedTypings, type TypingsSource } from './typings-source.js';

/** What the type layer should do with "cannot find module X": report it, leave it to the import rule, or only warn. */
export type UnresolvedModulePolicy = (specifier: string, importingFile: string) => 'report' | 'defer' | 'warn';

/** One type finding as TypeScript reported it; `unresolvedSpecifier` is set for "cannot find module X". */
export interface TypeDiagnosis {
  finding: Finding;
  unresolvedSpecifier?: string;
}

/** What the gate needs from a type layer: the in-process {@link TypeChecker} or the CLI's type-check host. */
export interface BundleTypeChecker {
  check(bundle: Bundle, unresolvedModulePolicy?: UnresolvedModulePolicy): Promise<Finding[]>;
  /** Frees what the checker holds (a language service, a host process); optional for stubs. */
  close?(): void;
}

/** Applies the caller's policy to "cannot find module" findings: dropped, kept, or turned into a warning. */
export function applyUnresolvedModulePolicy(diagnosed: readonly TypeDiagnosis[], policy: UnresolvedModulePolicy = () => 'report'): Finding[] {
  const findings: Finding[] = [];
  for (const { finding: found, unresolvedSpecifier } of diagnosed) {
    const decision = unresolvedSpecifier === undefined ? 'report' : policy(unresolvedSpecifier, found.file);
    if (decision === 'defer') continue;
    if (decision === 'warn') {
      findings.push({ ...found, severity: 'warning', code: 'types-unavailable', suggestion: 'The package has no typings installed here, so its API was not checked.' });
    } else findings.push(found);
  }
  return findings;
}

export interface TypeCheckerOptions {
  /**
   * Directory whose `node_modules` supplies real typings (React, Radix, vitest…). Defaults to
   * the project that installed `typescript`, i.e. dspec's own dependencies.
   */
  projectRoot?: string;
  /**
   * Where typings are read from under `projectRoot` (default: the disk). The build passes a
   * recording source to trace what the checker reads; see typings-source.ts.
   */
  typings?: TypingsSource;
  /** TypeScript's default lib file, when `typings` is given and it is not beside the running TypeScript. */
  defaultLibFile?: string;
}

interface VirtualFile {
  text: string;
  version: number;
}

/** Module-not-found style diagnostics whose subject is the import specifier under the error. */
// 2591/2580: "cannot find name 'node:fs'… install @types/node", TypeScript's answer for built-in modules.
const MODULE_NOT_FOUND_CODES = new Set([2307, 2792, 7016, 2591, 2580]);

// Bundle files get `.css` imports declared the way a bundler-based app (Vite, Next) does.
const AMBIENT_DECLARATIONS = `declare module '*.module.css' {
  const classes: { readonly [className: string]: string };
  export default classes;
}
declare module '*.css';
`;

/**
 * The Storybook CSF 3 types stories use, declared only where \`@storybook/react\` is not
 * installed (a story is a dev-only file; its shape is still checked against these).
 */
const STORYBOOK_FALLBACK_DECLARATIONS = `declare module '@storybook/react' {
  import type { ComponentProps, ComponentType, ReactElement } from 'react';
  type AnyComponent = ComponentType<any>;
  interface Annotations<TArgs> {
    args?: Partial<TArgs>;
    argTypes?: Record<string, unknown>;
    parameters?: Record<string, unknown>;
    decorators?: unknown[];
    play?: (context: any) => unknown;
    render?: (args: TArgs) => ReactElement;
  }
  export interface Meta<TComponent extends AnyComponent> extends Annotations<ComponentProps<TComponent>> {
    title?: string;
    component: TComponent;
    tags?: string[];
  }
  export type StoryObj<TMeta> = (TMeta extends { component: infer TComponent extends AnyComponent }
    ? Annotations<ComponentProps<TComponent>>
    : Annotations<TMeta>) & { name?: string };
}
`;

function isResolvable(specifier: string, from: string): boolean {
  try {
    createRequire(path.join(from, 'package.json')).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * Layer 3: a warm TypeScript LanguageService over an in-memory bundle. Build one and keep it:
 * lib and package typings are parsed once (shared through a DocumentRegistry) and every later
 * bundle only replaces the bundle's own files, with version bumps, so memory stays flat.
 *
 * `typescript` is imported on first use: the MCP server must start without paying for it.
 */
export class TypeChecker implements BundleTypeChecker {
  readonly projectRoot: string;
  private readonly virtualRoot: string;
  private readonly ambientFile: string;
  private readonly files = new Map<string, VirtualFile>();
  private readonly realSnapshots = new Map<string, TS.IScriptSnapshot | undefined>();
  private versionCounter = 0;
  private loaded?: Promise<{ ts: typeof TS; service: TS.LanguageService }>;
  private runs = 0;
  private readonly typings: TypingsSource;
  /** TypeScript's default lib file when it is not read from the running TypeScript's own folder. */
  private readonly defaultLibFile?: string;

  constructor(options: TypeCheckerOptions = {}) {
    const located = options.projectRoot || options.typings ? undefined : defaultTypings();
    this.projectRoot = options.projectRoot ?? located?.root ?? process.cwd();
    this.typings = options.typings ?? located?.typings ?? new DiskTypings();
    if (this.typings instanceof PackedTypings) this.defaultLibFile = this.typings.defaultLibFile;
    // A bundled TypeScript would look for its lib files beside the bundle: point it at its package.
    else this.defaultLibFile = options.defaultLibFile ?? located?.defaultLibFile;
    // Inside the project root, so package imports resolve through its node_modules.
    this.virtualRoot = path.join(this.projectRoot, '.dspec-virtual-bundle');
    this.ambientFile = path.join(this.projectRoot, '.dspec-virtual-ambient', 'bundle-ambient.d.ts');
    const storybookInstalled =
      this.typings instanceof DiskTypings
        ? isResolvable('@storybook/react', this.projectRoot)
        : this.typings.fileExists(path.join(this.projectRoot, 'node_modules', '@storybook', 'react', 'package.json'));
    this.files.set(this.ambientFile, { text: AMBIENT_DECLARATIONS + (storybookInstalled ? '' : STORYBOOK_FALLBACK_DECLARATIONS), version: 0 });
  }

  /** How many bundles this checker has checked; the bench uses it to show reuse. */
  get checkedBundles(): number {
    return this.runs;
  }

  /** Drops the language service and the bundle's files; a later check builds the service again. */
  close(): void {
    const loaded = this.loaded;
    this.loaded = undefined;
    for (const file of [...this.files.keys()]) if (file !== this.ambientFile) this.files.delete(file);
    void loaded?.then(
      ({ service }) => service.dispose(),
      () => undefined,
    );
  }

  /** Loads TypeScript and builds the service ahead of the first bundle (optional). */
  async warmUp(): Promise<void> {
    await this.load();
  }

  async check(bundle: Bundle, unresolvedModulePolicy: UnresolvedModulePolicy = () => 'report'): Promise<Finding[]> {
    return applyUnresolvedModulePolicy(await this.diagnose(bundle), unresolvedModulePolicy);
  }

  /**
   * The bundle's type findings before any unresolved-module policy: a caller in another process
   * (the CLI's type-check host) cannot send a function, so it applies the policy on its side.
   */
  async diagnose(bundle: Bundle): Promise<TypeDiagnosis[]> {
    const { ts, service } = await this.load();
    this.runs++;
    this.replaceBundleFiles(bundle);
    const diagnosed: TypeDiagnosis[] = [];
    for (const file of bundle.files) {
      if (!/\.(tsx|ts)$/.test(file.path)) continue;
      const fileName = path.join(this.virtualRoot, file.path);
      const diagnostics = [...service.getSyntacticDiagnostics(fileName), ...service.getSemanticDiagnostics(fileName)];
      for (const diagnostic of diagnostics) {
        const mapped = this.toDiagnosis(ts, diagnostic, file.path);
        if (mapped) diagnosed.push(mapped);
      }
    }
    return diagnosed;
  }

  private toDiagnosis(ts: typeof TS, diagnostic: TS.Diagnostic, fileName: string): TypeDiagnosis | undefined {
    if (diagnostic.category === ts.DiagnosticCategory.Suggestion || diagnostic.category === ts.DiagnosticCategory.Message) return undefined;
    let line = 0;
    let column = 0;
    let unresolvedSpecifier: string | undefined;
    if (diagnostic.file && diagnostic.start !== undefined) {
      const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      line = position.line + 1;
      column = position.character + 1;
      if (MODULE_NOT_FOUND_CODES.has(diagnostic.code)) {
        unresolvedSpecifier = diagnostic.file.text.slice(diagnostic.start, diagnostic.start + (diagnostic.length ?? 0)).replace(/^['"`]|['"`]$/g, '');
      }
    }
    return {
      finding: finding({
        layer: 'types',
        severity: diagnostic.category === ts.DiagnosticCategory.Error ? 'error' : 'warning',
        code: `TS${diagnostic.code}`,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replaceAll(this.virtualRoot + path.sep, ''),
        file: fileName,
        line,
        column,
      }),
      unresolvedSpecifier,
    };
  }

  private replaceBundleFiles(bundle: Bundle): void {
    const wanted = new Set<string>();
    for (const file of bundle.files) {
      const kind = fileKind(file.path);
      if (kind !== 'code' && kind !== 'json') continue;
      const fileName = path.join(this.virtualRoot, file.path);
      wanted.add(fileName);
      const current = this.files.get(fileName);
      if (current?.text !== file.contents) this.files.set(fileName, { text: file.contents, version: ++this.versionCounter });
    }
    for (const fileName of [...this.files.keys()]) {
      if (fileName !== this.ambientFile && !wanted.has(fileName)) this.files.delete(fileName);
    }
  }

  private isVirtual(fileName: string): boolean {
    return fileName.startsWith(this.virtualRoot + path.sep) || fileName === this.ambientFile;
  }

  private isRealReadable(fileName: string): boolean {
    return fileName.includes(`${path.sep}node_modules${path.sep}`);
  }

  private load(): Promise<{ ts: typeof TS; service: TS.LanguageService }> {
    this.loaded ??= import('typescript').then((module) => {
      const ts = (module as unknown as { default?: typeof TS }).default ?? module;
      return { ts, service: this.createService(ts) };
    });
    return this.loaded;
  }

  private createService(ts: typeof TS): TS.LanguageService {
    const options: TS.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      // Only what the bundle imports: auto-including every @types package is slow and leaks Node globals.
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: false,
      esModuleInterop: true,
      resolveJsonModule: true,
      isolatedModules: true,
      noFallthroughCasesInSwitch: true,
    };
    const sys = ts.sys;
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.files.keys()].filter((fileName) => !fileName.endsWith('.json')),
      getScriptVersion: (fileName) => String(this.files.get(fileName)?.version ?? 0),
      getScriptSnapshot: (fileName) => {
        const virtual = this.files.get(fileName);
        if (virtual) return ts.ScriptSnapshot.fromString(virtual.text);
        if (this.isVirtual(fileName) || !this.isRealReadable(fileName)) return undefined;
        if (!this.realSnapshots.has(fileName)) {
          const text = this.typings.readFile(fileName);
          this.realSnapshots.set(fileName, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
        }
        return this.realSnapshots.get(fileName);
      },
      getCurrentDirectory: () => this.virtualRoot,
      getDefaultLibFileName: (compilerOptions) => this.defaultLibFile ?? ts.getDefaultLibFilePath(compilerOptions),
      fileExists: (fileName) => this.files.has(fileName) || (!this.isVirtual(fileName) && this.isRealReadable(fileName) && this.typings.fileExists(fileName)),
      readFile: (fileName) => this.files.get(fileName)?.text ?? (!this.isVirtual(fileName) && this.isRealReadable(fileName) ? this.typings.readFile(fileName) : undefined),
      directoryExists: (directory) =>
        directory === this.virtualRoot || this.projectRoot.startsWith(directory) || (this.isRealReadable(directory + path.sep) && this.typings.directoryExists(directory)),
      getDirectories: (directory) => (this.isRealReadable(directory + path.sep) ? this.typings.getDirectories(directory) : []),
      realpath: (fileName) => (this.isRealReadable(fileName) ? this.typings.realpath(fileName) : fileName),
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
    };
    return ts.createLanguageService(host, ts.createDocumentRegistry(sys.useCaseSensitiveFileNames, this.virtualRoot));
  }
}

export interface DefaultTypings {
  root: string;
  typings: TypingsSource;
  defaultLibFile?: string;
}

/**
 * The project that installed `typescript` (the repo: its `node_modules` supplies the typings);
 * else, in the installed package where TypeScript is bundled, the typings pack it ships,
 * mounted at a root that exists nowhere on disk.
 */
export function defaultTypings(): DefaultTypings | undefined {
  try {
    // <root>/node_modules/typescript/package.json → <root>
    const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
    return { root: path.resolve(path.dirname(manifest), '..', '..'), typings: new DiskTypings(), defaultLibFile: path.join(path.dirname(manifest), 'lib', 'lib.d.ts') };
  } catch {
    const pack = findTypingsPack();
    if (!pack) return undefined;
    const root = path.resolve(path.sep, 'dspec-typings');
    return { root, typings: new PackedTypings(root, pack) };
  }
}
