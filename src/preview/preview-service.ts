import type { PreviewMode, PreviewViewport } from './browser/protocol.js';
import type { PreviewRenderer } from './headless-browser.js';
import { buildPreviewDocument, type PreviewDocument } from './preview-document.js';
import { resolvePreviewTarget, type PreviewContext, type PreviewSubject, type ResolvedPreview } from './preview-target.js';
import type { PreviewRender } from './render-preview.js';
import type { ResolvedScreens } from './resolved-screens.js';

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

/** What a preview needs: its runtime also keeps the screens it resolved (a screen preview reuses its export). */
export interface PreviewServiceContext extends PreviewContext {
  runtime: PreviewContext['runtime'] & { readonly resolvedScreens: ResolvedScreens };
}

function resolveCached(request: PreviewRequest, context: PreviewServiceContext): Promise<ResolvedPreview> {
  if (request.screen === undefined) return resolvePreviewTarget(request, context);
  return context.runtime.resolvedScreens.get(request.screen, request.theme, () => resolvePreviewTarget(request, context));
}

/** The self-contained HTML document (no browser needed). */
export async function buildPreview(request: PreviewRequest, context: PreviewServiceContext, toolbar = true): Promise<PreviewResult> {
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
export async function screenshotPreview(request: PreviewRequest, context: PreviewServiceContext, renderer: PreviewRenderer): Promise<PreviewResult & { render: PreviewRender }> {
  const built = await buildPreview(request, context);
  const render = await renderer.render(built.document, {
    modes: request.modes?.length ? [...new Set(request.modes)] : ['light', 'dark'],
    viewport: request.viewport ?? 1280,
    ...(request.story ? { story: request.story } : {}),
  });
  return { ...built, render };
}
