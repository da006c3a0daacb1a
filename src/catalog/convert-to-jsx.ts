import type { Tier1Bundle } from './tier1-bundle.js';

/**
 * The same bundle for a JavaScript project: TypeScript's own transpiler strips the types and
 * keeps the JSX (`.tsx` → `.jsx`, `.ts` → `.js`), so nothing but type syntax changes. Loaded
 * on demand: the compiler is heavy and most callers want TSX.
 */
export async function convertBundleToJsx<T extends Pick<Tier1Bundle, 'files' | 'exports'>>(bundle: T): Promise<T> {
  const { default: ts } = await import('typescript');
  const files = bundle.files.map((file) => {
    const match = /\.(tsx|ts)$/.exec(file.path);
    if (!match || file.path.endsWith('.d.ts')) return file;
    const output = ts.transpileModule(file.contents, {
      fileName: file.path,
      compilerOptions: {
        jsx: ts.JsxEmit.Preserve,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: false,
        removeComments: false,
      },
    }).outputText;
    return { path: file.path.replace(/\.tsx$/, '.jsx').replace(/\.ts$/, '.js'), contents: output };
  });
  // Type-only exports (`ButtonProps`) do not exist in JavaScript.
  return { ...bundle, files, exports: bundle.exports.filter((name) => !name.endsWith('Props')) };
}
