import { canonicalJson } from '../cache/canonical-json.js';
import { LRUCache } from 'lru-cache';
import type { PreviewMode, PreviewViewport } from './browser/protocol.js';
import type { PreviewRenderer } from './headless-browser.js';
import { buildPreviewDocument, type PreviewDocument } from './preview-document.js';
import { resolvePreviewTarget, type PreviewContext, type PreviewSubject, type ResolvedPreview } from './preview-target.js';
import type { PreviewRender } from './render-preview.js';

/** What the `preview` tool, the MCP App and `dspec preview` ask for. */
export interface PreviewRequest extends PreviewSubject {
  props?: Record<string, unknown>;
  viewport?: PreviewViewport;
  modes?: PreviewMode[];
  story?: string;
}

export interface PreviewResult {
  document: PreviewDocument;
  warnings: string[];
}

/**
 * Exporting a screen runs the whole validation gate; a preview of the same screen and theme
 * reuses the export (Tier 1 is deterministic, Tier 2 comes from the cache either way).
 */
const resolvedScreens = new LRUCache<string, Promise<ResolvedPreview>>({ max: 16 });

function resolveCached(request: PreviewRequest, context: PreviewContext): Promise<ResolvedPreview> {
  if (request.screen === undefined) return resolvePreviewTarget(request, context);
  const key = canonicalJson({ screen: request.screen, theme: request.theme ?? null });
  let pending = resolvedScreens.get(key);
  if (!pending) {
    pending = resolvePreviewTarget(request, context);
    resolvedScreens.set(key, pending);
    pending.catch(() => resolvedScreens.delete(key));
  }
  return pending;
}

/** The self-contained HTML document (no browser needed). */
export async function buildPreview(request: PreviewRequest, context: PreviewContext, toolbar = true): Promise<PreviewResult> {
  const resolved = await resolveCached(request, context);
  const document = await buildPreviewDocument(
    {
      target: resolved.target,
      themeCss: resolved.themeCss,
      ...(request.props ? { props: request.props } : {}),
      mode: request.modes?.[0] ?? 'light',
      viewport: request.viewport ?? 1280,
      ...(request.story ? { story: request.story } : {}),
      toolbar,
      warnings: resolved.warnings,
    },
    resolved.packageRoot,
  );
  return { document, warnings: resolved.warnings };
}

/** The document rendered in the headless browser: PNGs per mode, axe findings, contrast. */
export async function screenshotPreview(request: PreviewRequest, context: PreviewContext, renderer: PreviewRenderer): Promise<PreviewResult & { render: PreviewRender }> {
  const built = await buildPreview(request, context);
  const render = await renderer.render(built.document, {
    modes: request.modes?.length ? [...new Set(request.modes)] : ['light', 'dark'],
    viewport: request.viewport ?? 1280,
    ...(request.story ? { story: request.story } : {}),
  });
  return { ...built, render };
}
