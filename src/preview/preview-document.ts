import { createHash } from 'node:crypto';
import type { PreviewConfig, PreviewMode, PreviewViewport } from './browser/protocol.js';
import { bundlePreview, type PreviewTarget } from './bundle-preview.js';
import { escapeHtml } from '../infra/escape-html.js';

export type { PreviewMode, PreviewViewport } from './browser/protocol.js';
export const PREVIEW_VIEWPORTS = [375, 768, 1280] as const;
export const PREVIEW_MODES = ['light', 'dark'] as const;

export interface PreviewDocumentRequest {
  target: PreviewTarget;
  /** The theme's CSS custom properties (dark overrides under `.dark`). */
  themeCss: string;
  props?: Record<string, unknown>;
  mode?: PreviewMode;
  viewport?: PreviewViewport;
  story?: string;
  /** false: no toolbar (screenshots). Default true. */
  toolbar?: boolean;
  /** Shown under the toolbar (a theme's refused tokens…); not in screenshots, which list them beside the images. */
  warnings?: string[];
}

export interface PreviewDocument {
  html: string;
  /** SHA-256 of the HTML: equal documents have equal hashes. */
  hash: string;
  kind: PreviewTarget['kind'];
  name: string;
  /** The story exports of the component's CSF 3 file, in source order. */
  stories: string[];
  bytes: number;
}

/**
 * Content-Security-Policy of the document: inline script and style only, images and fonts only
 * as data: or blob: URLs, no connections. The preview cannot reach the network even when a
 * component tries; the headless driver also aborts and reports any request.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; media-src data: blob:";

/** Catches errors before the bundle's runtime is up (a module that throws while loading). */
const EARLY_ERRORS = `window.__dspecEarlyErrors=[];window.onerror=function(m,s,l,c,e){var x={message:e?(e.name+": "+e.message):String(m),source:"window"};window.__dspecEarlyErrors.push(x);var p=document.getElementById("dspec-errors");if(p){var i=document.createElement("pre");i.textContent="window: "+x.message;p.appendChild(i);p.hidden=false;}};`;

/** The toolbar and stage; the preview's own chrome uses fixed colours, never the theme's. */
const CHROME_CSS = `
html,body{margin:0;padding:0}
body{background:var(--dspec-color-canvas,#fff);color:var(--dspec-color-text,#1f2328);font-family:var(--dspec-font-sans,system-ui,sans-serif)}
#dspec-toolbar{position:sticky;top:0;z-index:2147483647;display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:6px 12px;background:#24292f;color:#fff;font:13px/1.4 system-ui,sans-serif}
#dspec-toolbar label{display:flex;gap:6px;align-items:center}
#dspec-toolbar select{font:inherit;color:#1f2328;background:#fff;border:1px solid #8c959f;border-radius:4px;padding:2px 4px}
#dspec-toolbar .dspec-title{font-weight:600;margin-right:auto}
html[data-dspec-toolbar=off] #dspec-toolbar{display:none}
#dspec-stage{box-sizing:border-box;margin:0 auto;padding:16px;max-width:none}
#dspec-warnings{margin:0;padding:6px 12px;background:#fff8c5;color:#3b2300;border-bottom:1px solid #d4a72c;font:12px/1.4 system-ui,sans-serif}
#dspec-warnings ul{margin:2px 0 0;padding-left:18px}
html[data-dspec-toolbar=off] #dspec-warnings{display:none}
#dspec-errors,.dspec-error{margin:16px;padding:12px;border:2px solid #a40e26;border-radius:6px;background:#ffebe9;color:#6e011a;font:13px/1.4 system-ui,sans-serif}
#dspec-errors pre,.dspec-error pre{white-space:pre-wrap;margin:4px 0 0;font:12px/1.4 ui-monospace,monospace}
`;

/**
 * Text inside a `<style>` or `<script>` element: its end tag (and, in scripts, `<!--`, which
 * changes how the HTML parser reads the rest) must not appear inside it. `\x3C` is `<` in JS
 * strings, regular expressions and templates; `\/` is `/` in CSS strings.
 */
function inRawElement(text: string, element: 'script' | 'style'): string {
  if (element === 'style') return text.replace(/<\/(style)/gi, '<\\/$1');
  return text.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

/** A component or screen, React, its CSS modules and the theme CSS → one self-contained HTML document. */
export async function buildPreviewDocument(request: PreviewDocumentRequest, packageRoot: string): Promise<PreviewDocument> {
  const bundle = await bundlePreview(request.target, packageRoot);
  const config: PreviewConfig = {
    kind: request.target.kind,
    name: request.target.name,
    ...(request.props && Object.keys(request.props).length ? { props: request.props } : {}),
    mode: request.mode ?? 'light',
    viewport: request.viewport ?? 1280,
    ...(request.story ? { story: request.story } : {}),
    toolbar: request.toolbar ?? true,
  };
  const html = [
    '<!doctype html>',
    `<html lang="en" class="${config.mode === 'dark' ? 'dark' : ''}" data-dspec-toolbar="${config.toolbar ? 'on' : 'off'}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${request.target.name} · dspec preview`)}</title>`,
    `<style id="dspec-theme">${inRawElement(request.themeCss, 'style')}</style>`,
    `<style id="dspec-components">${inRawElement(bundle.css, 'style')}</style>`,
    `<style id="dspec-chrome">${CHROME_CSS}</style>`,
    `<script>${EARLY_ERRORS}</script>`,
    '</head>',
    '<body>',
    '<form id="dspec-toolbar" aria-label="Preview settings" onsubmit="return false"></form>',
    ...(request.warnings?.length
      ? [`<div id="dspec-warnings" role="status"><strong>Preview warnings</strong><ul>${request.warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('')}</ul></div>`]
      : []),
    '<div id="dspec-errors" role="alert" hidden><strong>The preview reported an error.</strong></div>',
    '<div id="dspec-stage"><div id="dspec-root"></div></div>',
    `<script type="application/json" id="dspec-preview-config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`,
    `<script>${inRawElement(bundle.js, 'script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return {
    html,
    hash: createHash('sha256').update(html).digest('hex'),
    kind: request.target.kind,
    name: request.target.name,
    stories: bundle.storyOrder,
    bytes: Buffer.byteLength(html),
  };
}
