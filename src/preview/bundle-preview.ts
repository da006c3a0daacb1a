import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { LRUCache } from 'lru-cache';
import { DspecError, ErrorCode } from '../errors.js';
import { prebuiltVendorDir, prebuiltVendorPlugin } from './preview-vendor.js';

/**
 * A component or screen's files → one browser script and one stylesheet, with React, the
 * Radix primitives and the preview runtime inlined. esbuild only parses and transforms the
 * files here; nothing of them is evaluated in this process.
 */

export interface PreviewFile {
  path: string;
  contents: string;
}

export interface PreviewTarget {
  kind: 'component' | 'screen';
  /** Component or screen name: the export the preview renders. */
  name: string;
  /** Files relative to the component or export folder (`Button.tsx`, `components/Card/Card.tsx`…). */
  files: PreviewFile[];
}

export interface PreviewBundle {
  js: string;
  css: string;
  /** Story export names in source order. */
  storyOrder: string[];
  /** SHA-256 of what the bundle was built from. */
  hash: string;
}

const NAMESPACE = 'dspec-preview';
const ENTRY = '/__dspec_preview_entry.tsx';
const RESOLVE_EXTENSIONS = ['', '.tsx', '.ts', '.jsx', '.js', '.css', '/index.tsx', '/index.ts', '/index.jsx', '/index.js'];

/**
 * Bundles are keyed by their input files: props, theme and mode live outside the script. Module-level
 * on purpose: a bundle is a pure function of those files and the package, so runtimes may share it.
 */
const bundles = new LRUCache<string, Promise<PreviewBundle>>({ max: 32 });

export function bundlePreview(target: PreviewTarget, packageRoot: string): Promise<PreviewBundle> {
  const hash = hashTarget(target);
  let pending = bundles.get(hash);
  if (!pending) {
    pending = build(target, packageRoot, hash);
    bundles.set(hash, pending);
    pending.catch(() => bundles.delete(hash));
  }
  return pending;
}

function hashTarget(target: PreviewTarget): string {
  const hash = createHash('sha256').update(target.kind).update('\0').update(target.name).update('\0');
  for (const file of target.files) hash.update(file.path).update('\0').update(file.contents).update('\0');
  return hash.digest('hex');
}

/** The browser runtime ships as source beside the package (see package.json `files`). */
export function runtimePath(packageRoot: string): string {
  const file = path.join(packageRoot, 'src', 'preview', 'browser', 'runtime.tsx');
  if (!existsSync(file)) throw new DspecError(ErrorCode.Internal, `The preview runtime ${file} is missing.`, { suggestion: 'Reinstall dspec: the package ships src/preview/browser/.' });
  return file;
}

function storyFileOf(target: PreviewTarget): PreviewFile | undefined {
  if (target.kind !== 'component') return undefined;
  return target.files.find((file) => /^[^/]+\.stories\.(tsx|jsx|ts|js)$/.test(file.path));
}

/** `export const Primary: Story = …` names in source order, as Storybook's indexer reads them. */
export function storyExportOrder(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/^export\s+(?:const|let|var|function)\s+([A-Za-z_$][\w$]*)/gm)) names.push(match[1]!);
  return names;
}

function entrySource(target: PreviewTarget, runtime: string, storyOrder: string[]): string {
  const stories = storyFileOf(target);
  const main = target.kind === 'screen' ? './index' : target.files.some((file) => /^index\.(tsx?|jsx?)$/.test(file.path)) ? './index' : `./${target.name}`;
  return [
    `import { mount } from ${JSON.stringify(runtime)};`,
    `import * as main from ${JSON.stringify(main)};`,
    stories ? `import * as stories from ${JSON.stringify(`./${stories.path}`)};` : 'const stories = undefined;',
    `mount({ component: main[${JSON.stringify(target.name)}] ?? main.default, stories, storyOrder: ${JSON.stringify(storyOrder)} });`,
  ].join('\n');
}

function loaderOf(file: string): 'tsx' | 'ts' | 'jsx' | 'js' | 'css' | 'local-css' | 'json' {
  if (file.endsWith('.module.css')) return 'local-css';
  const extension = path.extname(file).slice(1);
  if (extension === 'tsx' || extension === 'ts' || extension === 'jsx' || extension === 'js' || extension === 'css' || extension === 'json') return extension;
  throw new DspecError(ErrorCode.InvalidInput, `The preview cannot load ${file}: only .tsx, .ts, .jsx, .js, .css and .json files are bundled.`);
}

/** Serves the target's files from memory; bare imports go to the prebuilt vendor files (see preview-vendor.ts). */
function virtualFiles(target: PreviewTarget, entry: string, packageRoot: string): Plugin {
  const files = new Map<string, string>(target.files.map((file) => [path.posix.join('/', file.path), file.contents]));
  files.set(ENTRY, entry);
  return {
    name: 'dspec-preview-files',
    setup(builder) {
      builder.onResolve({ filter: /^\/__dspec_preview_entry\.tsx$/ }, () => ({ path: ENTRY, namespace: NAMESPACE }));
      builder.onResolve({ filter: /^\.\.?(\/|$)/, namespace: NAMESPACE }, (args) => {
        const base = path.posix.join(path.posix.dirname(args.importer), args.path);
        for (const extension of RESOLVE_EXTENSIONS) {
          if (files.has(base + extension)) return { path: base + extension, namespace: NAMESPACE };
        }
        return { errors: [{ text: `${args.path} (imported by ${args.importer.slice(1)}) is not among the files` }] };
      });
      // Stories may import Storybook helpers; the preview needs none of them to render.
      builder.onResolve({ filter: /^@storybook\// }, (args) => ({ path: args.path, namespace: 'dspec-storybook-stub' }));
      builder.onLoad({ filter: /.*/, namespace: 'dspec-storybook-stub' }, () => ({
        loader: 'js',
        contents:
          'export const fn = (impl) => impl ?? (() => {}); export const action = () => () => {}; export const expect = () => {}; export const userEvent = {}; export const within = () => ({});',
      }));
      builder.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: files.get(args.path) ?? '', loader: loaderOf(args.path), resolveDir: packageRoot }));
    },
  };
}

async function build(target: PreviewTarget, packageRoot: string, hash: string): Promise<PreviewBundle> {
  const { build: esbuild } = await import('esbuild');
  const stories = storyFileOf(target);
  const storyOrder = stories ? storyExportOrder(stories.contents) : [];
  const entry = entrySource(target, runtimePath(packageRoot), storyOrder);
  // A checkout that has not been built resolves the same packages from its node_modules.
  const vendorDir = prebuiltVendorDir(packageRoot);
  try {
    const result = await esbuild({
      entryPoints: [ENTRY],
      plugins: [virtualFiles(target, entry, packageRoot), ...(vendorDir ? [prebuiltVendorPlugin(vendorDir)] : [])],
      bundle: true,
      write: false,
      outdir: '/preview-out',
      format: 'iife',
      platform: 'browser',
      target: ['chrome110', 'firefox110', 'safari16'],
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
      // Assets the CSS names (fonts, images) would be requests: they are left out, never linked.
      loader: { '.svg': 'dataurl', '.png': 'dataurl', '.jpg': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl' },
      ...(vendorDir ? {} : { nodePaths: [path.join(packageRoot, 'node_modules')] }),
      logLevel: 'silent',
    });
    const js = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
    const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
    return { js, css, storyOrder, hash };
  } catch (error) {
    const messages = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    if (!messages) throw error;
    const first = messages
      .slice(0, 3)
      .map((message) => `${message.location ? `${message.location.file.replace(/^dspec-preview:\//, '')}:${message.location.line}:${message.location.column} ` : ''}${message.text}`)
      .join('; ');
    throw new DspecError(ErrorCode.InvalidInput, `The preview of ${target.name} could not be bundled: ${first}`, { cause: error });
  }
}
