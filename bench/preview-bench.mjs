// Preview benchmark: the self-contained preview document (esbuild, in process) for a catalog
// component and the dashboard screen, PNG screenshots in the system Chromium (first, with the
// browser start, and warm) through the browser driver child the server uses, the server's RSS
// with a warm browser beside the driver's and the browser's own (from dspec://status), and
// the peer path: a Vite build of the same component's story, loaded and shot in the same Chromium.
// Needs a build (`npm run build`) and a Chrome/Chromium (DSPEC_CHROMIUM, CHROME_PATH or PATH).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listenOnLoopback } from './loopback-server.mjs';
import { median, percentile, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const screenPath = path.join(root, '../shared/fixtures/tekton-screens/dashboard-screen.json');
const themePath = path.join(root, 'test/fixtures/screens/dual-mode-theme.json');

export const TARGETS = { componentDocumentMs: 300, screenDocumentMs: 600, pngWarmMs: 1500, pngFirstMs: 5000, serverRssMb: 150 };

const load = (file) => import(pathToFileURL(path.join(distDir, file)).href);

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function samples(runs, fn) {
  const out = [];
  for (let i = 0; i < runs; i++) out.push((await timed(fn)).ms);
  return out;
}

/** The peer path: Vite builds a page rendering Button's Primary story; Chromium loads it from a file URL and takes the PNG. */
async function vitePeer(chromiumPath, launchArgs) {
  const appDir = path.join(root, 'test-output', 'bench-vite-button');
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(path.join(appDir, 'src'), { recursive: true });
  writeFileSync(
    path.join(appDir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Button</title></head><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n',
  );
  writeFileSync(
    path.join(appDir, 'src/main.tsx'),
    `import { createRoot } from 'react-dom/client';\nimport { Button } from '${path.join(root, 'ui-reference/Button/Button')}';\nimport meta, { Primary } from '${path.join(root, 'ui-reference/Button/Button.stories')}';\ncreateRoot(document.getElementById('root')!).render(<Button {...meta.args} {...Primary.args} />);\n`,
  );
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const viteBuild = () => build({ root: appDir, base: './', logLevel: 'silent', plugins: [react()], build: { outDir: 'dist', emptyOutDir: true, modulePreload: false } });
  const first = await timed(viteBuild);
  const warm = await samples(3, viteBuild);
  const { chromium } = await import('playwright-core');
  // Module scripts do not load from file:// URLs: the built page is served on loopback, as `vite preview` would.
  const { createServer } = await import('node:http');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const relative = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(appDir, 'dist', relative);
    if (!file.startsWith(path.join(appDir, 'dist') + path.sep) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  const port = await listenOnLoopback(server);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const shoot = async () => {
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('button');
      return page.screenshot({ type: 'png' });
    };
    await shoot();
    const png = await samples(5, shoot);
    return { viteBuildFirstMs: Math.round(first.ms), viteBuildWarmMedianMs: round(median(warm)), loadAndPngWarmMedianMs: round(median(png)), buildPlusPngWarmMs: round(median(warm) + median(png)) };
  } finally {
    await browser.close();
    server.close();
    rmSync(appDir, { recursive: true, force: true });
  }
}

/**
 * This process's environment for a child, without unset names: StdioClientTransport takes strings only.
 * @returns {Record<string, string>}
 */
function inheritedEnvironment() {
  return Object.fromEntries(Object.entries(process.env).filter(/** @returns {entry is [string, string]} */ (entry) => entry[1] !== undefined));
}

/** The built server over stdio after two previews of Button (warm browser): its RSS, and its driver's and browser's from dspec://status. */
async function serverMemory(theme) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(root, 'dist/bin/dspec.js')], stderr: 'ignore', env: inheritedEnvironment() });
  const client = new Client({ name: 'preview-bench', version: '1.0.0' });
  await client.connect(transport);
  try {
    for (let i = 0; i < 2; i++) await client.callTool({ name: 'preview', arguments: { name: 'Button', theme } }, undefined, { timeout: 120_000 });
    const [statusContent] = (await client.readResource({ uri: 'dspec://status' })).contents;
    if (!statusContent || !('text' in statusContent)) throw new Error('dspec://status answered without a text content to read the preview browser from');
    const status = JSON.parse(statusContent.text).previewBrowser;
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'))?.[1]);
    return {
      serverRssMb: round(kb / 1024),
      // playwright-core runs in a child of the server (src/preview/render-host.ts): reported apart, as the browser is.
      driverRssMb: status.driver?.rssBytes ? round(status.driver.rssBytes / 2 ** 20) : null,
      browserProcesses: status.processes.length,
      browserRssMb: status.rssBytes ? round(status.rssBytes / 2 ** 20) : null,
    };
  } finally {
    await client.close();
  }
}

export async function runPreviewBench({ runs = 10, print = true } = {}) {
  const [
    { buildPreview, screenshotPreview },
    { resolvePreviewTarget },
    { buildPreviewDocument },
    { findBrowser, launchArgs },
    { PreviewRenderHost, renderHostEntry },
    { loadConfig },
    { createLogger },
    { loadCatalog },
  ] = await Promise.all([
    load('preview/preview-service.js'),
    load('preview/preview-target.js'),
    load('preview/preview-document.js'),
    load('preview/headless-browser.js'),
    load('preview/render-host-client.js'),
    load('infra/config.js'),
    load('infra/logger.js'),
    load('catalog/catalog.js'),
  ]);
  const config = loadConfig({ cwd: root, env: {} });
  const context = { config, cwd: root, logger: createLogger({ level: 'silent' }) };
  const theme = JSON.parse(readFileSync(themePath, 'utf8'));
  const results = { runs };

  // Document, component: the first one pays for esbuild's service and the cold file system.
  results.componentDocumentFirstMs = Math.round((await timed(() => buildPreview({ name: 'Button', theme }, context))).ms);
  const repeated = await samples(runs, () => buildPreview({ name: 'Button', theme, props: { label: `Pay ${Math.random()}` } }, context));
  results.componentDocumentWarmMedianMs = round(median(repeated));
  // Each catalog component once: its bundle is not cached, esbuild is warm.
  const catalog = await loadCatalog();
  const fresh = [];
  for (const name of [...catalog.components.keys()].filter((name) => name !== 'Button')) fresh.push((await timed(() => buildPreview({ name, theme }, context))).ms);
  results.componentDocumentNewBundleMedianMs = round(median(fresh));
  results.componentDocumentNewBundleP95Ms = round(percentile(fresh, 95));
  results.documentBytes = (await buildPreview({ name: 'Button', theme }, context)).document.bytes;

  if (existsSync(screenPath)) {
    const screen = JSON.parse(readFileSync(screenPath, 'utf8'));
    await buildPreview({ screen, theme }, context);
    results.screenDocumentWarmMedianMs = round(median(await samples(runs, () => buildPreview({ screen, theme, props: { n: Math.random() } }, context))));
    // The same with the export redone (normalise, route, assemble, validate) every time.
    const withExport = await samples(Math.min(runs, 5), async () => {
      const resolved = await resolvePreviewTarget({ screen, theme }, context);
      return buildPreviewDocument({ target: resolved.target, themeCss: resolved.themeCss }, resolved.packageRoot);
    });
    results.screenDocumentWithExportMedianMs = round(median(withExport));
  }

  const location = findBrowser(process.env);
  if (!location) {
    results.browser = 'none found: PNG figures skipped (apt-get install chromium)';
  } else {
    results.browser = location.path;
    // As the server does it: the browser driven from a child process (fork and playwright-core's load are in the first PNG).
    const browser = new PreviewRenderHost(renderHostEntry(), { env: process.env });
    try {
      const first = await timed(() => screenshotPreview({ name: 'Button', theme, modes: ['light'] }, context, browser));
      results.pngFirstMs = Math.round(first.ms);
      results.pngWarmMedianMs = round(median(await samples(runs, () => screenshotPreview({ name: 'Button', theme, modes: ['light'] }, context, browser))));
      results.pngWarmBothModesMedianMs = round(median(await samples(Math.min(runs, 5), () => screenshotPreview({ name: 'Button', theme }, context, browser))));
    } finally {
      await browser.close();
    }
    Object.assign(results, await serverMemory(theme));
    try {
      results.peer = { path: 'vite build of Button Primary + load and PNG in the same Chromium', ...(await vitePeer(location.path, launchArgs(process.getuid?.() === 0))) };
    } catch (error) {
      results.peer = { error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** @type {Array<[key: string, target: number]>} */
  const checks = [
    ['componentDocumentWarmMedianMs', TARGETS.componentDocumentMs],
    ['componentDocumentNewBundleMedianMs', TARGETS.componentDocumentMs],
    ['screenDocumentWarmMedianMs', TARGETS.screenDocumentMs],
    ['pngWarmMedianMs', TARGETS.pngWarmMs],
    ['pngFirstMs', TARGETS.pngFirstMs],
    ['serverRssMb', TARGETS.serverRssMb],
  ];
  results.missed = checks.filter(([key, target]) => typeof results[key] === 'number' && results[key] > target).map(([key]) => key);
  results.pass = results.missed.length === 0;
  if (print) {
    const rows = [
      ['component document, first (ms)', results.componentDocumentFirstMs, ''],
      [`component document, warm, bundle cached, median of ${runs} (ms)`, results.componentDocumentWarmMedianMs, `≤ ${TARGETS.componentDocumentMs}`],
      ['component document, warm, new bundle, median of 19 components (ms)', results.componentDocumentNewBundleMedianMs, `≤ ${TARGETS.componentDocumentMs}`],
      ['  p95 (ms)', results.componentDocumentNewBundleP95Ms, ''],
      ['document size (bytes)', results.documentBytes, ''],
      ['dashboard document, warm (export reused), median (ms)', results.screenDocumentWarmMedianMs, `≤ ${TARGETS.screenDocumentMs}`],
      ['dashboard document with the export redone, median (ms)', results.screenDocumentWithExportMedianMs, ''],
      ['PNG, first, browser start included (ms)', results.pngFirstMs, `≤ ${TARGETS.pngFirstMs}`],
      [`PNG, warm browser, one mode, median of ${runs} (ms)`, results.pngWarmMedianMs, `≤ ${TARGETS.pngWarmMs}`],
      ['PNG, warm browser, light + dark, median (ms)', results.pngWarmBothModesMedianMs, ''],
      ['server RSS with a warm browser (MB)', results.serverRssMb, `≤ ${TARGETS.serverRssMb}`],
      ['browser driver child (playwright-core) RSS (MB)', results.driverRssMb, ''],
      ['browser processes / their RSS (MB)', `${results.browserProcesses ?? '-'} / ${results.browserRssMb ?? '-'}`, ''],
      ['peer: vite build, first / warm median (ms)', results.peer?.error ?? `${results.peer?.viteBuildFirstMs ?? '-'} / ${results.peer?.viteBuildWarmMedianMs ?? '-'}`, ''],
      ['peer: load + PNG of the built page, warm median (ms)', results.peer?.loadAndPngWarmMedianMs ?? '-', ''],
      ['peer: build + PNG, warm (ms)', results.peer?.buildPlusPngWarmMs ?? '-', ''],
    ];
    const width = Math.max(...rows.map((row) => row[0].length));
    console.log(`\npreview (Button with a dual-mode theme; dashboard screen)${results.pass ? '' : ` — TARGET MISSED: ${results.missed.join(', ')}`}`);
    for (const [label, value, target] of rows) console.log(`  ${label.padEnd(width)}  ${String(value ?? '-').padStart(12)}  ${target}`);
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runPreviewBench({ runs: Number(process.argv[2] ?? 10) });
  if (!result.pass) process.exitCode = 1;
}
