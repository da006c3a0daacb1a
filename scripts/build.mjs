// Build. `tsc` type-checks and emits the modules to dist/ (the repo's benches and tests import
// some of them). esbuild then bundles the two published entries, the bin and the library, into
// self-contained files plus lazily loaded chunks: the installed package needs no node_modules
// for its JavaScript, only for the few externals below. Last, the typings the type layer checks
// against are packed into dist/typings.json and the licences of everything shipped into
// dist/THIRD_PARTY_LICENSES.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { build, transform } from 'esbuild';
import { routeComputedImports } from './route-computed-imports.mjs';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * Never bundled, so they must be real `dependencies`: packages that ship a native binary
 * (esbuild, whose binary the preview bundler runs). Every other package, whatever is added
 * later, is bundled; the check after the build enforces both ways. (playwright-core, which
 * finds its own files from its folder, is bundled into a folder of its own: see VENDOR_PLAYWRIGHT.)
 */
const EXTERNAL = ['esbuild', 'fsevents'];
rmSync('dist', { recursive: true, force: true });
// tsc runs beside esbuild (neither reads the other's output); the typings pack waits for it.
const typeCheck = new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  child.on('error', reject);
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc failed (exit ${code})`))));
});

/**
 * The SDK v2 server statically imports its JSON Schema validator (`@modelcontextprotocol/server/_shims`,
 * an inlined ajv that it builds at import, to validate elicitation answers, which dspec never
 * requests): most of the SDK's start-up cost. The bundle swaps it for a stand-in that requires a
 * separately bundled copy of the SDK's own shim (dist/vendor/*.cjs, its CommonJS build) on first
 * use; the SDK calls it synchronously.
 */
const VENDOR = {
  'mcp-json-schema-validator': "module.exports = require('@modelcontextprotocol/server/_shims');",
  yaml: "module.exports = require('yaml');",
  pino: "module.exports = require('pino');",
};
/**
 * playwright-core finds its package.json, browsers.json and a few assets from its own folder
 * (`path.join(__dirname, '..')`), so it is bundled as CommonJS into a folder laid out like the
 * package (dist/vendor/playwright-core/lib/index.cjs beside the files it reads), not into a chunk.
 */
const VENDOR_PLAYWRIGHT = {
  entry: 'playwright-core/lib/index',
  copy: ['package.json', 'browsers.json', 'lib/webp_codec.wasm', 'lib/server/chromium/appIcon.png'],
};
// The file holding a stand-in may be dist/index.js, dist/bin/dspec.js or a chunk: find dist/ from its own URL.
const loadVendor = `
  import { createRequire } from 'node:module';
  import { fileURLToPath } from 'node:url';
  const here = import.meta.url;
  const distUrl = new URL(here.slice(0, here.lastIndexOf('/dist/') + 6));
  const loadVendor = (name) => createRequire(here)(fileURLToPath(new URL('vendor/' + name + '.cjs', distUrl)));`;
/** The main bundle's `typescript` module (namespace:path, as esbuild's metafile names it). */
const TYPESCRIPT_STAND_IN = 'load-on-first-use:typescript-from-type-check-host';
/** axe-core's browser build, copied into dist/ by prebuildPreviewVendor; the lint chunk loads it too. */
const PREVIEW_AXE_SCRIPT = 'preview/vendor/axe.min.js';
const loadOnFirstUse = {
  name: 'load-on-first-use',
  setup(builder) {
    builder.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: 'mcp-json-schema-validator-on-first-use', namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /^mcp-json-schema-validator-on-first-use$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        export { default as process } from 'node:process';
        export class DefaultJsonSchemaValidator {
          constructor(...args) { this._args = args; this._inner = undefined; }
          getValidator(schema) {
            this._inner ??= new (loadVendor('mcp-json-schema-validator').DefaultJsonSchemaValidator)(...this._args);
            return this._inner.getValidator(schema);
          }
        }`,
    }));
    // yaml reads the prompt files' front matter, which start-up takes from dist/prompt-index.json instead.
    builder.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml-on-first-use', namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /^yaml-on-first-use$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        export function LineCounter() { return new (loadVendor('yaml').LineCounter)(); }
        export function parseDocument(...args) { return loadVendor('yaml').parseDocument(...args); }`,
    }));
    // pino takes ~10 ms to evaluate, and a server at level warn may never log a line: the logger
    // (src/infra/logger.ts) makes its pino instance on the first line it writes, from the vendored copy.
    builder.onResolve({ filter: /^pino$/ }, () => ({ path: 'pino-on-first-use', namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /^pino-on-first-use$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        let loaded;
        const load = () => (loaded ??= loadVendor('pino'));
        export default function pino(...args) { return load()(...args); }
        pino.destination = (...args) => load().destination(...args);
        Object.defineProperty(pino, 'stdSerializers', { get: () => load().stdSerializers });`,
    }));
    // node:crypto takes ~3 ms to load, and a start uses none of it (its hashes and random ids serve
    // tool calls): dspec's own modules get it on first use. A name not listed fails the build.
    const ourSource = path.join(root, 'src') + path.sep;
    builder.onResolve({ filter: /^node:crypto$/ }, (args) => (args.importer.startsWith(ourSource) ? { path: 'crypto-on-first-use', namespace: 'load-on-first-use' } : undefined));
    builder.onLoad({ filter: /^crypto-on-first-use$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `let crypto;
        const load = () => (crypto ??= require('node:crypto'));
        export const createHash = (...args) => load().createHash(...args);
        export const randomBytes = (...args) => load().randomBytes(...args);
        export const randomUUID = (...args) => load().randomUUID(...args);
        export const timingSafeEqual = (...args) => load().timingSafeEqual(...args);`,
    }));
    // zod exports its 50 translated error-message sets as `z.locales`; dspec speaks English only
    // (zod sets `en` itself), so the namespace keeps only `en`: 250 kB less to parse at start.
    builder.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ loader: 'js', contents: "export { default as en } from './en.js';" }));
    // The same for the CommonJS copy of zod that eslint-plugin-react-hooks requires: 320 kB less to install.
    builder.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.cjs$/ }, () => ({
      loader: 'js',
      contents: "Object.defineProperty(exports, '__esModule', { value: true }); exports.en = require('./en.cjs').default;",
    }));
    // jsx-a11y's autocomplete-valid rule runs axe-core in Node. The package already ships axe-core's
    // browser build for the preview (dist/preview/vendor/axe.min.js, the same code): load that one,
    // when the rule first needs it, instead of a second 680 kB copy in the lint chunk. It is run as
    // CommonJS by hand: under dist/'s "type": "module" require() would load it as ESM, where its
    // wrapper's `this` (its stand-in for a missing window) is undefined.
    builder.onResolve({ filter: /^axe-core$/ }, (args) => (/[\\/]eslint-plugin-jsx-a11y[\\/]/.test(args.importer) ? { path: 'axe-core-on-first-use', namespace: 'load-on-first-use' } : undefined));
    builder.onLoad({ filter: /^axe-core-on-first-use$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        import { readFileSync } from 'node:fs';
        import { compileFunction } from 'node:vm';
        let axe;
        const loadAxe = () => {
          if (axe) return axe;
          const file = fileURLToPath(new URL('${PREVIEW_AXE_SCRIPT}', distUrl));
          const module = { exports: {} };
          compileFunction(readFileSync(file, 'utf8'), ['module', 'exports', 'require'], { filename: file }).call(module.exports, module, module.exports, createRequire(file));
          return (axe = module.exports);
        };
        export function runVirtualRule(...args) { return loadAxe().runVirtualRule(...args); }`,
    }));
    // TypeScript (3.6 MB) is already inlined in dist/vendor/type-check-host.cjs, which the snapshot
    // needs self-contained: the type layer and the JSX converter take it from there, not from a
    // second copy in a chunk. Only the default export: both import('typescript') and use .default.
    builder.onResolve({ filter: /^typescript$/ }, () => ({ path: TYPESCRIPT_STAND_IN.split(':')[1], namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /^typescript-from-type-check-host$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        const typescript = loadVendor('type-check-host').typescript;
        if (!typescript) throw new Error('dist/vendor/type-check-host.cjs exported no typescript: the package is incomplete, rebuild it');
        export default typescript;`,
    }));
    // Only ever imported dynamically (the preview's browser): its chunk loads the vendored copy.
    builder.onResolve({ filter: /^playwright-core$/ }, () => ({ path: 'playwright-core', namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /^playwright-core$/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `${loadVendor}
        const playwright = loadVendor('${VENDOR_PLAYWRIGHT.entry}');
        export const chromium = playwright.chromium;
        export default playwright;`,
    }));
  },
};

/**
 * Two packages the lint layer's plugins require at load time but only use in rules dspec never
 * enables (check-accessibility.ts turns on jsx-a11y's recommended rules and two react-hooks
 * rules): language-tags with its 950 kB subtag registry (jsx-a11y/lang) and hermes-parser, 770 kB
 * of WebAssembly (the React Compiler rules, for Flow files). Each is replaced by a stand-in
 * that throws, naming the rule, if a config ever enables one of those rules.
 */
const UNUSED_BY_ENABLED_RULES = {
  'language-tags': { importer: 'eslint-plugin-jsx-a11y', uses: 'the jsx-a11y/lang rule', members: ['check'] },
  'hermes-parser': { importer: 'eslint-plugin-react-hooks', uses: "the React Compiler's react-hooks rules", members: ['parse'] },
};
const leaveOutUnusedByEnabledRules = {
  name: 'leave-out-unused-by-enabled-rules',
  setup(builder) {
    builder.onResolve({ filter: new RegExp(`^(${Object.keys(UNUSED_BY_ENABLED_RULES).join('|')})$`) }, (args) => {
      const { importer } = UNUSED_BY_ENABLED_RULES[args.path];
      return args.importer.includes(`${path.sep}node_modules${path.sep}${importer}${path.sep}`) ? { path: args.path, namespace: 'unused-by-enabled-rules' } : undefined;
    });
    builder.onLoad({ filter: /.*/, namespace: 'unused-by-enabled-rules' }, (args) => {
      const { uses, members } = UNUSED_BY_ENABLED_RULES[args.path];
      const message = JSON.stringify(`${args.path} is not in dspec's bundle: it serves only ${uses}, which dspec does not enable`);
      return { loader: 'js', contents: members.map((member) => `exports.${member} = () => { throw new Error(${message}); };`).join('\n') };
    });
  },
};

/**
 * pino requires its transport module at load time (pino.js, lib/tools.js), and with it
 * thread-stream, its worker-thread machinery: ~13 kB, several ms of every cold start. dspec never
 * configures a transport (src/infra/logger.ts writes to fd 2 synchronously), so the module is a
 * stand-in that throws if a transport is ever asked for.
 */
const pinoWithoutTransports = {
  name: 'pino-without-transports',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/(lib\/)?transport$/ }, (args) =>
      /[\\/]node_modules[\\/]pino[\\/](lib[\\/])?[\w-]+\.js$/.test(args.importer) ? { path: 'pino-transport', namespace: 'pino-without-transports' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'pino-without-transports' }, () => ({
      loader: 'js',
      contents: `module.exports = () => { throw new Error("pino transports are not in dspec's bundle: its logger writes to stderr synchronously (src/infra/logger.ts)"); };`,
    }));
  },
};

/**
 * ESM packages that load JSON or CJS through `createRequire(import.meta.url)` hide those files
 * from the bundler, which would leave them to be read from a node_modules that is not there.
 * Rewriting `name(...)` back to `require(...)` lets esbuild bundle them.
 */
const CREATE_REQUIRE = /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:[\w$]+\.)?createRequire\(\s*import\.meta\.url\s*\)\s*;?/g;
const inlineCreateRequire = {
  name: 'inline-create-require',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('createRequire(import.meta.url)')) return undefined;
      let contents = source;
      for (const [declaration, name] of source.matchAll(CREATE_REQUIRE)) {
        contents = contents.replace(declaration, '').replace(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?=\\s*[(.])`, 'g'), 'require');
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Optional imports of packages that are not installed (eslint's `jiti` for TypeScript config
 * files, Babel's presets): left as they are, failing only on the paths that would use them,
 * exactly as they would in a node_modules without them.
 */
const notInstalled = new Set();
const leaveMissingOptional = {
  name: 'leave-missing-optional',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.probing || EXTERNAL.includes(packageNameOf(args.path)) || builtinModules.includes(args.path.replace(/^node:/, ''))) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { probing: true } });
      if (resolved.errors.length === 0) return undefined;
      notInstalled.add(packageNameOf(args.path));
      return { path: args.path, external: true };
    });
  },
};

/**
 * `await import('eslint')` of a CommonJS package gives, under Node, a namespace with `default`
 * (module.exports) and the named exports Node detects. esbuild's split chunk for it exports only
 * `default`, so `const { Linter } = await import('eslint')` would get undefined. Dynamic imports
 * of CommonJS therefore go through a module that re-exports module.exports' keys by name, read
 * by loading the package once here.
 */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(
    ' ',
  ),
);
const dynamicCommonJs = {
  name: 'dynamic-import-of-commonjs',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.probing) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { probing: true } });
      if (resolved.errors.length || resolved.external || !isCommonJs(resolved.path)) return undefined;
      return { path: args.path, namespace: 'commonjs-namespace', pluginData: { file: resolved.path, resolveDir: args.resolveDir } };
    });
    builder.onLoad({ filter: /.*/, namespace: 'commonjs-namespace' }, (args) => {
      const exported = createRequire(args.pluginData.file)(args.pluginData.file);
      const names = Object.keys(exported ?? {}).filter((name) => IDENTIFIER.test(name) && !RESERVED.has(name));
      const specifier = JSON.stringify(args.path);
      return {
        resolveDir: args.pluginData.resolveDir,
        loader: 'js',
        contents: `const m = require(${specifier});\nexport default m;\n${names.length ? `export const { ${names.join(', ')} } = m;` : ''}`,
      };
    });
  },
};

function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  // ESM written for bundlers under a package.json without "type" (the AWS SDK's dist-es/ files).
  if (/^(?:import|export)[\s{*]/m.test(readFileSync(file, 'utf8'))) return false;
  for (let directory = path.dirname(file); directory !== path.dirname(directory); directory = path.dirname(directory)) {
    const manifestFile = path.join(directory, 'package.json');
    if (existsSync(manifestFile)) {
      const type = JSON.parse(readFileSync(manifestFile, 'utf8')).type;
      // Nested package.json files that only set "type" count too (dual packages use them).
      return type !== 'module';
    }
  }
  return true;
}

const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Full minification halves the installed size. Names are not kept: esbuild's keepNames wraps
  // every function in a naming call, which cost ~18 ms of a 350 ms start (zod creates closures
  // per schema). Nothing relies on class names: dspec's errors name themselves.
  minify: true,
  keepNames: false,
  legalComments: 'none',
  metafile: true,
  // Print a size analysis of the bundle with DSPEC_BUILD_ANALYZE=1.
  logLevel: 'error',
  external: EXTERNAL,
  // Packages that ship development and production builds (eslint-plugin-react-hooks: 2 × 2 MB)
  // keep only the production one; the installed server runs as production anyway.
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * The tools' JSON Schemas, as the SDK's tools/list converts them, bundled in place of
 * src/server/built-tool-json-schemas.ts so a started server converts none. The bundle holds a
 * placeholder; once tsc has emitted dist/, `toolJsonSchemasOf()` (tsc's output, over the same
 * sources) fills it in before the bundle is written.
 * test/server/tools-list-from-build-matches-sdk.test.ts proves the answer equal to the SDK's own.
 */
const TOOL_JSON_SCHEMAS_PLACEHOLDER = '"__DSPEC_BUILT_TOOL_JSON_SCHEMAS__"';
const builtToolJsonSchemas = {
  name: 'built-tool-json-schemas',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/]server[\\/]built-tool-json-schemas\.ts$/ }, () => ({
      loader: 'js',
      contents: `export const BUILT_TOOL_JSON_SCHEMAS = JSON.parse(${TOOL_JSON_SCHEMAS_PLACEHOLDER});`,
    }));
  },
};
async function fillInToolJsonSchemas(outputFiles) {
  const { toolJsonSchemasOf } = await import('../dist/server/tool-json-schemas.js');
  const literal = JSON.stringify(JSON.stringify(await toolJsonSchemasOf()));
  let filled = 0;
  const files = outputFiles.map((file) => {
    if (!file.path.endsWith('.cjs') || !file.text.includes(TOOL_JSON_SCHEMAS_PLACEHOLDER)) return { path: file.path, contents: file.contents };
    filled++;
    return { path: file.path, contents: file.text.replace(TOOL_JSON_SCHEMAS_PLACEHOLDER, () => literal) };
  });
  if (filled !== 1) throw new Error(`build: expected the tools' JSON Schema placeholder in one bundle file, found it in ${filled}`);
  return files;
}

/**
 * The package's entry files: each is a few lines that load its entry chunk through
 * dist/load-chunks.cjs (src/startup/load-chunks.ts, with V8's code cache). The bin is CommonJS
 * (dist/bin/package.json says so), so a start parses no ES module at all; the library stays an
 * ES module for `import … from 'dspec'`; the preview's render host is forked by the server.
 */
const ENTRY_FILES = {
  bin: { file: 'dist/bin/dspec.js', chunk: 'entry-dspec', source: 'src/bin/dspec.ts' },
  library: { file: 'dist/index.js', chunk: 'entry-index', source: 'src/index.ts' },
  renderHost: { file: 'dist/preview/render-host.js', chunk: 'entry-render-host', source: 'src/preview/render-host.ts' },
};

/**
 * esbuild splits code only into ES modules, and Node 20 caches no ES module's compilation, so each
 * chunk becomes a CommonJS script: esbuild's own transform turns import and export into require
 * and exports, after a dynamic import of another chunk has become a require of it (load-chunks
 * then runs every chunk once per process), and one of a named package or built-in a require too.
 * A computed import() (a config file, a plugin) calls the loader's (scripts/route-computed-imports.mjs).
 * @param {ReadonlyArray<{ path: string, contents: string | Uint8Array }>} files the main build's output
 * @param {import('esbuild').Metafile} metafile
 */
async function toChunkScripts(files, metafile) {
  return Promise.all(
    files.map(async (file) => {
      const output = path.relative(root, file.path).split(path.sep).join('/');
      if (!output.endsWith('.cjs')) throw new Error(`build: unexpected output ${output}: every chunk is a .cjs script`);
      let code = typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
      for (const imported of metafile.outputs[output].imports) {
        if (imported.kind !== 'dynamic-import') continue;
        if (imported.external) {
          // esbuild, a built-in, an optional package: Node's require gives what import() would (a namespace with `default`).
          const call = `import(${JSON.stringify(imported.path)})`;
          code = code.replaceAll(call, `Promise.resolve().then(()=>{const m=require(${JSON.stringify(imported.path)});return m&&m.__esModule?m:{...m,default:m}})`);
          continue;
        }
        const relative = path.posix.relative(path.posix.dirname(output), imported.path);
        const specifier = JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`);
        const call = `import(${specifier})`;
        // (esbuild resolves a dynamic import of a chunk the file also imports statically without any import() call.)
        code = code.replaceAll(call, `Promise.resolve().then(()=>require(${specifier}))`);
      }
      const result = await transform(code, { format: 'cjs', loader: 'js', platform: 'node', target: 'node20', minify: true, legalComments: 'none', logLevel: 'silent' });
      if (result.warnings.length) throw new Error(`build: turning ${output} into a script: ${result.warnings.map((warning) => warning.text).join('; ')}`);
      if (/\bimport\(\s*["']\.{1,2}\/[^"']*\.cjs["']\s*\)/.test(result.code)) throw new Error(`build: ${output} still imports a chunk with import(), which would load a second copy of it`);
      // The entry keeps src/bin/dspec.ts's hashbang; inside the loader's function wrapper it would be a syntax error.
      return { path: file.path, contents: routeComputedImports(result.code.replace(/^#!.*\n/, '')) };
    }),
  );
}

/**
 * dist/load-chunks.cjs, then the entry files that call it. The build id (a hash of every chunk)
 * keeps each build's cached code apart.
 * @param {ReadonlyArray<{ path: string, contents: string }>} chunks
 * @param {import('esbuild').Metafile} metafile
 */
async function writeEntryFiles(chunks, metafile) {
  const hash = createHash('sha256');
  for (const chunk of [...chunks].sort((a, b) => a.path.localeCompare(b.path))) hash.update(path.basename(chunk.path)).update(chunk.contents);
  const buildId = hash.digest('hex').slice(0, 16);
  await build({ ...shared, format: 'cjs', entryPoints: ['src/startup/load-chunks.ts'], outfile: 'dist/load-chunks.cjs' });
  const { bin, library, renderHost } = ENTRY_FILES;
  writeFileSync('dist/bin/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
  writeFileSync(bin.file, `#!/usr/bin/env node\n'use strict';\nrequire('../load-chunks.cjs').loadChunk(require('node:path').join(__dirname, '../chunks/${bin.chunk}.cjs'), '${buildId}');\n`);
  chmodSync(bin.file, 0o755);
  const esmEntry = (file, chunk, bound) => {
    const up = path.posix.relative(path.posix.dirname(file), 'dist') || '.';
    return [
      "import { createRequire } from 'node:module';",
      "import { fileURLToPath } from 'node:url';",
      `${bound ? 'const entry = ' : ''}createRequire(import.meta.url)('${up}/load-chunks.cjs').loadChunk(fileURLToPath(new URL('${up}/chunks/${chunk}.cjs', import.meta.url)), '${buildId}');`,
    ];
  };
  const exported = metafile.outputs[`dist/chunks/${library.chunk}.cjs`].exports;
  const named = exported.filter((name) => name !== 'default');
  writeFileSync(
    library.file,
    [...esmEntry(library.file, library.chunk, true), `export const { ${named.join(', ')} } = entry;`, ...(exported.includes('default') ? ['export default entry.default;'] : []), ''].join('\n'),
  );
  writeFileSync(renderHost.file, [...esmEntry(renderHost.file, renderHost.chunk, false), ''].join('\n'));
}

const main = await build({
  ...shared,
  plugins: [loadOnFirstUse, leaveOutUnusedByEnabledRules, pinoWithoutTransports, builtToolJsonSchemas, dynamicCommonJs, inlineCreateRequire, leaveMissingOptional],
  // The preview's browser driver runs as a child process of the server (src/preview/render-host.ts).
  // Each entry is reached through a small file of its own (see ENTRY_FILES), which loads it with load-chunks.cjs.
  entryPoints: Object.fromEntries(Object.values(ENTRY_FILES).map(({ chunk, source }) => [`chunks/${chunk}`, source])),
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The chunks become CommonJS scripts (toChunkScripts), whose wrapper (src/startup/load-chunks.ts)
  // gives them these names: bundled CommonJS reads __filename and __dirname, our code import.meta.url.
  define: { ...shared.define, __filename: '__dspec_filename', __dirname: '__dspec_dirname', 'import.meta.url': '__dspec_import_meta_url' },
  write: false,
});

const vendor = await build({
  ...shared,
  format: 'cjs',
  stdin: undefined,
  entryPoints: Object.keys(VENDOR).map((name) => ({ in: `vendor-entry:${name}`, out: name })),
  outdir: 'dist/vendor',
  outExtension: { '.js': '.cjs' },
  plugins: [
    pinoWithoutTransports,
    {
      name: 'vendor-entries',
      setup(builder) {
        builder.onResolve({ filter: /^vendor-entry:/ }, (args) => ({ path: args.path.slice('vendor-entry:'.length), namespace: 'vendor-entry' }));
        builder.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({ contents: VENDOR[args.path], loader: 'js', resolveDir: root }));
      },
    },
  ],
});

const playwrightDir = path.join('dist', 'vendor', 'playwright-core');
const playwright = await build({
  ...shared,
  format: 'cjs',
  entryPoints: { [VENDOR_PLAYWRIGHT.entry.split('/').slice(1).join('/')]: 'node_modules/playwright-core/index.js' },
  outdir: playwrightDir,
  outExtension: { '.js': '.cjs' },
  plugins: [leaveMissingOptional],
  // Playwright sends some of its functions to the browser as source text: they must be
  // self-contained there, so no keepNames helper calls inside them (renamed locals are fine).
  keepNames: false,
  // Its optional helpers (downloads, the trace viewer, the CLI) are loaded by computed paths and never on the preview's path.
  logLevel: 'silent',
});
for (const file of VENDOR_PLAYWRIGHT.copy) {
  mkdirSync(path.dirname(path.join(playwrightDir, file)), { recursive: true });
  writeFileSync(path.join(playwrightDir, file), readFileSync(path.join('node_modules', 'playwright-core', file)));
}

/**
 * The CLI's type-check host (src/validation/type-check-snapshot.ts) as one script with
 * TypeScript inside, because `node --build-snapshot` runs a single script that may require only
 * Node's built-ins. `import.meta.url` becomes the file's own URL, so it finds the typings as
 * the chunks do. It is also the package's only TypeScript: required by the main bundle (the
 * load-on-first-use plugin), it runs nothing and exports `typescript`.
 */
const TYPE_CHECK_HOST_EXPORTS = '__dspecTypeCheckHost';
const typeCheckHost = await build({
  ...shared,
  // Not 'cjs': the snapshot builder gives the script `require` but no `module` to export through.
  format: 'iife',
  globalName: TYPE_CHECK_HOST_EXPORTS,
  banner: { js: "const __dspec_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  // Serve (or warm up for the snapshot) only as a snapshot build or the main script; a plain
  // require() must have no side effects: no stdin read, no snapshot hooks, no listeners.
  footer: {
    js: [
      `if (require('node:v8').startupSnapshot.isBuildingSnapshot() || typeof module === 'undefined' || require.main === module) ${TYPE_CHECK_HOST_EXPORTS}.runTypeCheckHost();`,
      `else module.exports = { typescript: ${TYPE_CHECK_HOST_EXPORTS}.typescript };`,
    ].join('\n'),
  },
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__dspec_import_meta_url' },
  entryPoints: { 'type-check-host': 'src/validation/type-check-host.ts' },
  outdir: 'dist/vendor',
  outExtension: { '.js': '.cjs' },
  plugins: [leaveMissingOptional],
});

if (notInstalled.size) console.log(`build: optional imports left unresolved (not installed): ${[...notInstalled].sort().join(', ')}`);
if (process.env.DSPEC_BUILD_ANALYZE) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(main.metafile));
}
checkExternals([main, vendor, playwright, typeCheckHost]);
await typeCheck;
const chunks = await toChunkScripts(await fillInToolJsonSchemas(main.outputFiles), main.metafile);
for (const file of chunks) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
}
await writeEntryFiles(chunks, main.metafile);
// The PostgreSQL migrations are read at run time (src/cost/pg/migrations.ts finds them from tsc's output or a chunk).
cpSync('src/cost/pg/migrations', 'dist/cost/pg/migrations', { recursive: true });
await prebuildPreviewApp();
const previewVendor = await prebuildPreviewVendor();
writeBundleContents(main);
await writePromptIndex();
const typingsPackages = await packTypings();
writeLicences([main, vendor, playwright, typeCheckHost, previewVendor.result], [...typingsPackages, ...previewVendor.packageDirs]);

/** Every external the bundle imports must be a dependency, and every dependency must be external. */
function checkExternals(results) {
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const imported = new Set();
  for (const result of results) {
    for (const output of Object.values(result.metafile.outputs)) {
      for (const entry of output.imports) {
        if (!entry.external || builtins.has(entry.path) || entry.path.startsWith('.') || entry.path.startsWith('/')) continue;
        if (!notInstalled.has(packageNameOf(entry.path))) imported.add(packageNameOf(entry.path));
      }
    }
  }
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const missing = [...imported].filter((name) => !dependencies.has(name));
  if (missing.length) throw new Error(`The bundle imports ${missing.join(', ')} at run time, so package.json must list them in "dependencies".`);
  const bundled = [...dependencies].filter((name) => !EXTERNAL.includes(name));
  if (bundled.length) throw new Error(`${bundled.join(', ')} ${bundled.length > 1 ? 'are' : 'is'} bundled: move to "devDependencies" (only externals are runtime dependencies).`);
}

/**
 * dist/bundle-contents.json (not published): which packages each emitted file holds, for size
 * work and for the test that proves no heavy package loads before `initialize` is answered.
 */
function writeBundleContents(result) {
  const contents = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    const names = new Set();
    for (const input of Object.keys(meta.inputs)) {
      const at = input.lastIndexOf('node_modules/');
      if (at >= 0) names.add(packageNameOf(input.slice(at + 'node_modules/'.length)));
      // The TypeScript stand-in requires the type-check host's copy as soon as it runs: a file
      // holding it loads TypeScript as surely as one holding TypeScript itself.
      if (input === TYPESCRIPT_STAND_IN) names.add('typescript');
    }
    contents[path.relative('dist', output).split(path.sep).join('/')] = [...names].sort();
  }
  writeFileSync('dist/bundle-contents.json', `${JSON.stringify(contents, null, 1)}\n`);
}

/** dist/prompt-index.json: the prompt summaries the server registers at start, so start-up parses no YAML. */
async function writePromptIndex() {
  const { PromptRegistry } = await import('../dist/generation/prompts/prompt-registry.js');
  const { createPromptIndex, promptIndexFile } = await import('../dist/generation/prompts/prompt-index.js');
  const promptsDir = path.join(root, 'prompts');
  const summaries = PromptRegistry.fromDirectory(promptsDir).list();
  writeFileSync(promptIndexFile(promptsDir), `${JSON.stringify(createPromptIndex(promptsDir, summaries), null, 1)}\n`);
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The type layer reads package typings and TypeScript's lib files from disk. To ship exactly
 * what it reads, run one check with a recording file source over a component that imports every
 * allowed package, then pack each touched package's declaration files (any subpath a component
 * may import) and the lib files read. Returns the packages packed, for the licence file.
 */
async function packTypings() {
  const { TypeChecker } = await import('../dist/validation/type-checker.js');
  const { DiskTypings, TYPINGS_PACK_NAME } = await import('../dist/validation/typings-source.js');
  const { ALLOWED_PACKAGES } = await import('../dist/validation/import-allowlist.js');
  const read = new Set();
  const disk = new DiskTypings();
  const recording = {
    fileExists: (file) => disk.fileExists(file),
    readFile: (file) => {
      const text = disk.readFile(file);
      if (text !== undefined) read.add(file);
      return text;
    },
    directoryExists: (directory) => disk.directoryExists(directory),
    getDirectories: (directory) => disk.getDirectories(directory),
    realpath: (file) => disk.realpath(file),
  };
  const checker = new TypeChecker({ projectRoot: root, typings: recording });
  const imports = [...ALLOWED_PACKAGES, 'react/jsx-runtime', 'react-dom/client'].map((name, index) => `import * as m${index} from '${name}';`);
  const component = `${imports.join('\n')}\nexport function Sample() { return <div>{[${ALLOWED_PACKAGES.map((_, index) => `m${index}`).join(', ')}].length}</div>; }\n`;
  const findings = await checker.check({ name: 'Sample', files: [{ path: 'Sample.tsx', contents: component }], dependencies: {} });
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length) throw new Error(`Tracing the typings failed:\n${errors.map((finding) => `  ${finding.code} ${finding.message}`).join('\n')}`);

  const typescriptLib = path.dirname(path.join(root, 'node_modules/typescript/lib/lib.d.ts'));
  const files = {};
  const packages = new Set();
  const add = (file) => (files[path.relative(root, file).split(path.sep).join('/')] = readFileSync(file, 'utf8'));
  for (const file of read) {
    if (file.startsWith(typescriptLib + path.sep)) {
      add(file);
      continue;
    }
    const packageDir = packageDirOf(file);
    if (packageDir && packageDir !== path.dirname(typescriptLib)) packages.add(packageDir);
  }
  for (const packageDir of packages) {
    for (const file of walk(packageDir)) if (/(\.d\.[cm]?ts|[\\/]package\.json)$/.test(file)) add(file);
  }
  add(path.join(typescriptLib, 'lib.d.ts'));
  const pack = { version: 1, defaultLib: 'node_modules/typescript/lib/lib.d.ts', files };
  // Brotli: TypeScript's lib files and csstype are most of it and compress ~6:1.
  writeFileSync(path.join('dist', TYPINGS_PACK_NAME), brotliCompressSync(JSON.stringify(pack), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } }));
  return [path.join(root, 'node_modules/typescript'), ...packages];
}

function packageDirOf(file) {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = file.slice(at + marker.length).split(path.sep);
  return file.slice(0, at + marker.length) + (rest[0].startsWith('@') ? path.join(rest[0], rest[1]) : rest[0]);
}

function* walk(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(full);
    } else yield full;
  }
}

/** THIRD_PARTY_LICENSES: name, version, licence and licence text of every package shipped in dist/. */
function writeLicences(results, extraPackageDirs) {
  const packageDirs = new Set(extraPackageDirs);
  for (const result of results) {
    for (const input of Object.keys(result.metafile.inputs)) {
      const packageDir = packageDirOf(path.resolve(root, input.replace(/^[\w-]+:/, '')));
      if (packageDir) packageDirs.add(packageDir);
    }
  }
  const entries = [];
  for (const packageDir of packageDirs) {
    const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? pkg.licenses?.map((l) => l.type).join(' OR ') ?? 'UNKNOWN');
    const file = readdirSync(packageDir).find((name) => /^(licen[cs]e|copying)(\.|$|-)/i.test(name) && statSync(path.join(packageDir, name)).isFile());
    let text = file ? readFileSync(path.join(packageDir, file), 'utf8').trim() : `(no licence file in the package; package.json says ${licence})`;
    // NOTICE files (Apache-2.0 asks for them) and the notices of code a package itself bundles (playwright-core's lib/*.LICENSE).
    const notices = readdirSync(packageDir)
      .filter((name) => /^(notice|third-?party-?notices)(\.|$)/i.test(name))
      .map((name) => path.join(packageDir, name));
    if (existsSync(path.join(packageDir, 'lib')))
      notices.push(
        ...readdirSync(path.join(packageDir, 'lib'))
          .filter((name) => name.endsWith('.LICENSE'))
          .map((name) => path.join(packageDir, 'lib', name)),
      );
    for (const notice of notices) text += `\n\n--- ${path.relative(packageDir, notice)} ---\n${readFileSync(notice, 'utf8').trim()}`;
    entries.push({ id: `${pkg.name}@${pkg.version}`, licence, text });
  }
  entries.sort((a, b) => a.id.localeCompare(b.id));
  // Packages whose licence text is word for word the same (many copies of one author's MIT
  // licence, the versions of one package) share one copy of it: a third of the file.
  const byText = new Map();
  for (const entry of entries) byText.set(entry.text, [...(byText.get(entry.text) ?? []), entry]);
  const header = `dspec ${manifest.version} bundles the following third-party packages (generated by scripts/build.mjs).\n`;
  const rule = '='.repeat(72);
  const body = [...byText].map(([text, sharing]) => `${rule}\n${sharing.map((entry) => `${entry.id} — ${entry.licence}`).join('\n')}\n${rule}\n${text}\n`).join('\n');
  writeFileSync('dist/THIRD_PARTY_LICENSES', `${header}\n${body}`);
}

/**
 * The MCP App's script (the ext-apps `App` bridge and the app code) is bundled here, once, so an
 * installed package carries one file instead of the bridge's sources and its peer dependencies.
 */
async function prebuildPreviewApp() {
  const { APP_SCRIPT_BUILD_OPTIONS, PREBUILT_APP_SCRIPT } = await import('../dist/preview/app-html.js');
  await build({
    ...APP_SCRIPT_BUILD_OPTIONS,
    target: [...APP_SCRIPT_BUILD_OPTIONS.target],
    plugins: [...APP_SCRIPT_BUILD_OPTIONS.plugins],
    entryPoints: ['src/preview/browser/app.ts'],
    outfile: PREBUILT_APP_SCRIPT,
    logLevel: 'warning',
  });
}

/**
 * What a preview imports (React, React DOM, the Radix primitives: every package a component may
 * import, with their browser subpaths), prebuilt as browser ESM into dist/preview/vendor/, one
 * file per import specifier and shared chunks between them (one React for all). The preview
 * bundler (src/preview/bundle-preview.ts) resolves bare imports to these files and bundles them
 * again with the component, so the installed package reads nothing from a node_modules; axe-core's
 * browser script is copied beside them. CommonJS packages (React) get their export names listed,
 * read by loading the browser file here, since an ESM entry of CommonJS would only have `default`.
 */
async function prebuildPreviewVendor() {
  const { PREBUILT_VENDOR_DIR, AXE_SCRIPT_FILE, VENDOR_PACKAGES, vendorFileName, vendorSpecifiers } = await import('../dist/preview/preview-vendor.js');
  const { APP_SCRIPT_BUILD_OPTIONS } = await import('../dist/preview/app-html.js');
  const requireHere = createRequire(path.join(root, 'package.json'));
  const specifiers = VENDOR_PACKAGES.flatMap((name) => vendorSpecifiers(name, JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).exports));
  const entries = new Map(specifiers.map((specifier) => [`vendor-entry:${specifier}`, specifier]));
  const result = await build({
    ...APP_SCRIPT_BUILD_OPTIONS,
    target: [...APP_SCRIPT_BUILD_OPTIONS.target],
    format: 'esm',
    splitting: true,
    // Whitespace and syntax only: the preview bundler minifies again, and renaming here would gain nothing.
    minify: false,
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    entryPoints: specifiers.map((specifier) => ({ in: `vendor-entry:${specifier}`, out: vendorFileName(specifier).replace(/\.js$/, '') })),
    chunkNames: 'chunk-[hash]',
    outdir: PREBUILT_VENDOR_DIR,
    logLevel: 'warning',
    plugins: [
      {
        name: 'preview-vendor-entries',
        setup(builder) {
          builder.onResolve({ filter: /^vendor-entry:/ }, (args) => ({ path: entries.get(args.path), namespace: 'preview-vendor-entry' }));
          builder.onLoad({ filter: /.*/, namespace: 'preview-vendor-entry' }, async (args) => {
            const resolved = await builder.resolve(args.path, { kind: 'import-statement', resolveDir: root });
            if (resolved.errors.length) throw new Error(`The preview vendor entry ${args.path} does not resolve: ${resolved.errors[0].text}`);
            const specifier = JSON.stringify(args.path);
            if (!isCommonJs(resolved.path)) return { loader: 'js', resolveDir: root, contents: `export * from ${specifier};` };
            // Listed by a child process loading the production build the bundle holds: React
            // picks its build by NODE_ENV, and react-dom's server entry leaves handles open.
            const script = 'process.stdout.write(JSON.stringify(Object.keys(require(process.argv[1]) ?? {})), () => process.exit(0))';
            const exported = JSON.parse(execFileSync(process.execPath, ['-e', script, resolved.path], { env: { ...process.env, NODE_ENV: 'production' }, encoding: 'utf8' }));
            const names = exported.filter((name) => IDENTIFIER.test(name) && !RESERVED.has(name));
            return { loader: 'js', resolveDir: root, contents: `import m from ${specifier};\nexport default m;\n${names.length ? `export const { ${names.join(', ')} } = m;` : ''}` };
          });
        },
      },
    ],
  });
  const axe = requireHere.resolve('axe-core/axe.min.js');
  writeFileSync(path.join(PREBUILT_VENDOR_DIR, AXE_SCRIPT_FILE), readFileSync(axe));
  // The lint chunk loads this file too (see PREVIEW_AXE_SCRIPT).
  if (path.join(PREBUILT_VENDOR_DIR, AXE_SCRIPT_FILE) !== path.join('dist', PREVIEW_AXE_SCRIPT))
    throw new Error(`The lint chunk loads dist/${PREVIEW_AXE_SCRIPT}, but the preview's axe-core is at ${path.join(PREBUILT_VENDOR_DIR, AXE_SCRIPT_FILE)}`);
  return { result, packageDirs: [packageDirOf(axe)] };
}
