import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../infra/atomic-write.js';
import { parseJsonText } from '../../infra/json.js';
import type { PreviewMode, PreviewViewport } from '../../preview/browser/protocol.js';
import type { PreviewRender } from '../../preview/render-preview.js';
import { ExitCode } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand } from '../run-cli.js';

const VIEWPORTS = [375, 768, 1280] as const;

async function readJsonFile(cwd: string, file: string): Promise<unknown> {
  const text = await readFile(path.resolve(cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  return parseJsonText(text, file);
}

/** Findings as a plain table: one row per axe violation or failing text, aligned columns. */
export function findingsTable(render: PreviewRender): string {
  const rows: string[][] = [['kind', 'mode', 'rule / text', 'detail']];
  for (const violation of render.violations)
    rows.push(['axe ' + violation.impact, violation.mode, violation.id, `${violation.help} (${violation.targets.length} nodes: ${violation.targets.slice(0, 3).join(', ')})`]);
  for (const finding of render.contrast)
    rows.push(['contrast', finding.mode, JSON.stringify(finding.text), `${finding.foreground} on ${finding.background} = ${finding.ratio}:1, needs ${finding.required}:1 (${finding.target})`]);
  for (const error of render.errors) rows.push(['error', '-', error.source, error.message]);
  for (const url of render.blockedRequests) rows.push(['request', '-', 'blocked', url]);
  if (rows.length === 1) return 'no serious or critical axe violations, every text passes WCAG AA contrast\n';
  const widths = rows[0]!.map((_, column) => Math.min(48, Math.max(...rows.map((row) => row[column]!.length))));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}

export const previewCommand: CliCommand = {
  words: ['preview'],
  arguments: '<Name|screen.json>',
  summary: 'Screenshot a component or screen in headless Chrome/Chromium (PNG per mode) and print axe and contrast findings; --html writes the self-contained preview document instead.',
  options: {
    props: { type: 'string', value: 'JSON', description: 'props for a component preview' },
    theme: { type: 'string', value: 'theme.json', description: 'theme to render with (default: the catalog theme)' },
    viewport: { type: 'string', value: '375|768|1280', description: 'viewport width in CSS pixels' },
    mode: { type: 'string', multiple: true, value: 'light|dark', description: 'colour mode to screenshot (repeat for both)' },
    story: { type: 'string', value: 'NAME', description: 'the component story to render' },
    description: { type: 'string', value: 'TEXT', description: 'what a generated component is for' },
    out: { type: 'string', value: 'DIR', description: 'folder for the PNGs (or the HTML with --html)' },
    html: { type: 'boolean', description: 'write the self-contained preview document instead of screenshots' },
  },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals.length !== 1) throw new InputError(`expected one component name or screen file, got ${positionals.length}; usage: ${usageLine(this)}`);
    const subject = positionals[0]!;
    const props = typeof values.props === 'string' ? parseJsonText(values.props, '--props') : undefined;
    if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) throw new InputError('--props must be a JSON object');
    const viewport = Number(values.viewport ?? 1280);
    if (!VIEWPORTS.includes(viewport as PreviewViewport)) throw new InputError(`--viewport must be 375, 768 or 1280 (got "${String(values.viewport)}")`);
    const modes = ((values.mode as string[] | undefined) ?? ['light', 'dark']).flatMap((mode) => mode.split(','));
    for (const mode of modes) if (mode !== 'light' && mode !== 'dark') throw new InputError(`--mode must be light or dark (got "${mode}")`);
    const theme = typeof values.theme === 'string' ? await readJsonFile(io.cwd, values.theme) : undefined;
    const isScreen = /\.json$/i.test(subject);
    const request = {
      ...(isScreen ? { screen: await readJsonFile(io.cwd, subject) } : { name: subject }),
      ...(props ? { props: props as Record<string, unknown> } : {}),
      ...(theme !== undefined ? { theme } : {}),
      ...(typeof values.description === 'string' ? { description: values.description } : {}),
      ...(typeof values.story === 'string' ? { story: values.story } : {}),
      viewport: viewport as PreviewViewport,
      modes: [...new Set(modes)] as PreviewMode[],
    };
    const runtime = await openRuntime();
    const { logger } = runtime;
    const context = { runtime, logger };
    const outDir = path.resolve(io.cwd, typeof values.out === 'string' ? values.out : '.');
    const { buildPreview, screenshotPreview } = await import('../../preview/preview-service.js');

    if (values.html) {
      const { document } = await buildPreview(request, context);
      const file = path.join(outDir, `${document.name}.preview.html`);
      await writeFileAtomic(file, document.html);
      io.stderr(`wrote ${path.relative(io.cwd, file) || file} (${document.bytes} bytes, sha256 ${document.hash.slice(0, 12)})\n`);
      return ExitCode.Ok;
    }

    const { PreviewBrowser } = await import('../../preview/headless-browser.js');
    const browser = new PreviewBrowser({ env: runtime.env, logger });
    try {
      const { document, render, warnings } = await screenshotPreview(request, context, browser);
      for (const warning of warnings) io.stderr(`warning ${warning}\n`);
      const suffix = `${render.story && document.kind === 'component' ? `-${render.story}` : ''}-${viewport}`;
      for (const shot of render.shots) {
        const file = path.join(outDir, `${document.name}${suffix}-${shot.mode}.png`);
        await writeFileAtomic(file, shot.png);
        io.stderr(`wrote ${path.relative(io.cwd, file) || file} (${shot.width}×${shot.height})\n`);
      }
      io.stdout(findingsTable(render));
      return render.violations.length || render.errors.length ? ExitCode.Findings : ExitCode.Ok;
    } finally {
      await browser.close();
    }
  },
};
