import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { loadCatalog } from '../catalog/catalog.js';
import { DspecError, ErrorCode } from '../errors.js';

export { PREVIEW_APP_URI } from './app-uri.js';

// Module-level on purpose: built from the package's own files, the same for every runtime.
let cached: Promise<string> | undefined;

/**
 * The app's HTML: a status line and a frame for the preview document, with the App bridge
 * (`@modelcontextprotocol/ext-apps`) and the app script bundled in by esbuild, once per process.
 * The frame gets the document as `srcdoc` (scripts allowed, nothing else): no network either way.
 */
export function previewAppHtml(): Promise<string> {
  cached ??= build();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** Where `npm run build` leaves the app script, so an installed package needs neither the bridge's sources nor a bundling step. */
export const PREBUILT_APP_SCRIPT = path.join('dist', 'preview', 'app.js');

/**
 * ext-apps 2.x builds its App on the v2 client's Protocol, whose package also exports a JSON Schema
 * validator for the Client's elicitation (`@cfworker/json-schema` in a browser, with an https://
 * base URL). The App never validates a schema, so the app script gets a stand-in that says so:
 * no unused validator (nor network-looking URL) in the document.
 */
const APP_SHIMS_STAND_IN: Plugin = {
  name: 'app-shims-stand-in',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/client\/_shims$/ }, () => ({ path: 'client-shims', namespace: 'dspec-app' }));
    build.onLoad({ filter: /^client-shims$/, namespace: 'dspec-app' }, () => ({
      loader: 'js',
      contents: "export const CORS_IS_POSSIBLE = true; export class DefaultJsonSchemaValidator { getValidator() { throw new Error('the dspec preview app validates no JSON Schema'); } }",
    }));
  },
};

/** The esbuild options of the app script: shared with the build, which prebuilds it. */
export const APP_SCRIPT_BUILD_OPTIONS = {
  plugins: [APP_SHIMS_STAND_IN],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'silent',
} as const;

async function build(): Promise<string> {
  const catalog = await loadCatalog();
  const root = path.dirname(catalog.root);
  const js = await readFile(path.join(root, PREBUILT_APP_SCRIPT), 'utf8').catch(() => bundleAppScript(root));
  return appDocument(js);
}

/** A checkout without a build: bundle the app script from its sources now. */
async function bundleAppScript(root: string): Promise<string> {
  const { build: esbuild } = await import('esbuild');
  const entry = path.join(root, 'src', 'preview', 'browser', 'app.ts');
  let js: string;
  try {
    const result = await esbuild({
      ...APP_SCRIPT_BUILD_OPTIONS,
      target: [...APP_SCRIPT_BUILD_OPTIONS.target],
      plugins: [...APP_SCRIPT_BUILD_OPTIONS.plugins],
      entryPoints: [entry],
      write: false,
      nodePaths: [path.join(root, 'node_modules')],
    });
    js = result.outputFiles[0]?.text ?? '';
  } catch (cause) {
    throw new DspecError(ErrorCode.Internal, `The preview app could not be bundled from ${entry}.`, { cause });
  }
  return js;
}

function appDocument(js: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>dspec preview</title>',
    '<style>html,body{margin:0;font:13px/1.4 system-ui,sans-serif}#status{padding:12px;color:#1f2328;background:#f6f8fa}html[data-theme=dark] #status{color:#f0f6fc;background:#161b22}iframe{display:block;width:100%;height:640px;border:0}</style>',
    '</head>',
    '<body>',
    '<p id="status" role="status">Waiting for the tool call…</p>',
    '<iframe id="preview" title="Component preview" sandbox="allow-scripts" hidden></iframe>',
    `<script>${js.replace(/<(\/script|!--)/gi, '\\x3C$1')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
