import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';
import { offlineArgs } from '../../src/preview/browser/runtime.js';
import { storyExportOrder } from '../../src/preview/bundle-preview.js';
import { findBrowser } from '../../src/preview/headless-browser.js';
import { buildPreview } from '../../src/preview/preview-service.js';
import { testRuntime } from '../helpers/test-runtime.js';

const APP_MIME = 'text/html;profile=mcp-app';
const runtime = testRuntime();
const context = () => ({ runtime, logger: runtime.logger });

/** Attributes and CSS that would make the browser fetch something from the network. */
const NETWORK_REFERENCE = /(?:\b(?:src|href|srcset|poster|action)\s*=\s*["']?\s*(?:https?:)?\/\/)|(?:url\(\s*["']?\s*(?:https?:)?\/\/)|(?:@import\s+["']?(?:https?:)?\/\/)/i;

describe('the preview document', () => {
  it('is one self-contained HTML file: React, the CSS module, the theme, a CSP without network, the stories in source order', async () => {
    const { document } = await buildPreview({ name: 'Button', props: { label: 'Pay now' } }, context());
    // Booleans, not toMatch: a failure must not print a quarter megabyte of bundle.
    expect(document.html.startsWith('<!doctype html>')).toBe(true);
    expect(NETWORK_REFERENCE.exec(document.html)?.[0]).toBeUndefined();
    expect(/<script[^>]+\bsrc=|<link[^>]+\bhref=/i.exec(document.html)?.[0]).toBeUndefined();
    expect(document.html.includes(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:`)).toBe(true);
    expect(/<style id="dspec-theme">[^<]*--dspec-color-brand/.test(document.html)).toBe(true);
    // The CSS module (class names renamed by esbuild's local-css loader) and React's runtime.
    expect(/<style id="dspec-components">[^<]*display:inline-flex/.test(document.html)).toBe(true);
    expect(document.html.includes('react.dev/errors')).toBe(true);
    expect(document.stories).toEqual(['Primary', 'Secondary', 'Outline', 'Ghost', 'Danger', 'Sizes', 'Disabled', 'Loading']);
    const config = JSON.parse(/<script type="application\/json" id="dspec-preview-config">(.*?)<\/script>/s.exec(document.html)![1]!);
    expect(config).toMatchObject({ kind: 'component', name: 'Button', props: { label: 'Pay now' }, mode: 'light', viewport: 1280, toolbar: true });
    expect(document.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a closing script tag inside props from ending the script element', async () => {
    const { document } = await buildPreview({ name: 'Text', props: { children: '</script><script>alert(1)</script>' } }, context());
    expect(document.html.match(/<\/script>/g)?.length).toBe(3);
  });

  it('keeps story args offline: remote and root-relative image URLs become a placeholder, links a fragment', () => {
    const args = offlineArgs({
      src: 'https://i.pravatar.cc/150',
      alt: 'Ada',
      href: 'https://example.com',
      items: [{ src: '/a.jpg', label: 'x' }],
      data: 'https://kept.example',
      poster: 'data:image/png;base64,AA',
    }) as Record<string, unknown>;
    expect(String(args.src)).toMatch(/^data:image\/svg\+xml,/);
    expect(args.href).toBe('#offline-link');
    expect(String((args.items as Array<{ src: string }>)[0]!.src)).toMatch(/^data:/);
    expect(args).toMatchObject({ alt: 'Ada', data: 'https://kept.example', poster: 'data:image/png;base64,AA' });
  });

  it('previews a theme with a refused token: the usable tokens are applied, the refused one is named in warnings and in the document', async () => {
    const theme = { color: { brand: { $type: 'color', $value: '#0055ff' }, text: { $type: 'color', $value: '{color.missing}' } } };
    const { document, warnings } = await buildPreview({ name: 'Button', theme }, context());
    expect(warnings.filter((warning) => warning.startsWith('theme color.text: ') && warning.includes('color.missing') && warning.endsWith('token left out of the preview'))).toHaveLength(1);
    const css = /<style id="dspec-theme">([\s\S]*?)<\/style>/.exec(document.html)?.[1] ?? '';
    expect(css.includes('--color-brand: #0055ff')).toBe(true);
    expect(css.includes('--color-text:')).toBe(false);
    const notice = /<div id="dspec-warnings" role="status">([\s\S]*?)<\/div>/.exec(document.html)?.[1] ?? '';
    expect(notice.includes('theme color.text: ')).toBe(true);
    // Screenshots hide the toolbar, and the notice with it (the tool lists the warnings beside the images).
    expect(document.html.includes('html[data-dspec-toolbar=off] #dspec-warnings{display:none}')).toBe(true);
    // Without a theme (the documented defaults) there is nothing to warn about, and no notice.
    const plain = await buildPreview({ name: 'Button' }, context());
    expect(plain.warnings).toEqual([]);
    expect(plain.document.html.includes('id="dspec-warnings"')).toBe(false);
  });

  it('still refuses a theme with no usable token at all', async () => {
    await expect(buildPreview({ name: 'Button', theme: { color: { text: { $type: 'color', $value: '{color.missing}' } } } }, context())).rejects.toThrow(/color\.missing/);
  });

  it('reads story export names in source order', () => {
    expect(storyExportOrder('const meta = {};\nexport default meta;\nexport const Zeta: Story = {};\nexport const Alpha: Story = {};\nexport function Custom() {}\n')).toEqual([
      'Zeta',
      'Alpha',
      'Custom',
    ]);
  });

  it('refuses an unknown component with the catalog hint, and a request naming both a component and a screen', async () => {
    await expect(buildPreview({ name: 'Nope' }, context())).rejects.toThrow(/not in the component catalog/);
    await expect(buildPreview({ name: 'Button', screen: {} }, context())).rejects.toThrow(/either a component name or a screen/);
  });

  it('finds the browser from DSPEC_CHROMIUM, then CHROME_PATH, then PATH, and reports a missing one', () => {
    expect(findBrowser({ DSPEC_CHROMIUM: process.execPath, CHROME_PATH: '/nonexistent' })).toEqual({ path: process.execPath, from: 'DSPEC_CHROMIUM' });
    expect(findBrowser({ CHROME_PATH: process.execPath })).toEqual({ path: process.execPath, from: 'CHROME_PATH' });
    expect(findBrowser({ DSPEC_CHROMIUM: '/nonexistent/chromium', PATH: '/usr/bin' })).toBeUndefined();
    expect(findBrowser({ PATH: '/nonexistent' }, 'linux')).toBeUndefined();
  });
});

describe('the MCP App and the preview tools over MCP', () => {
  let client: Client;
  let session: InMemorySession;

  beforeAll(async () => {
    // No browser on purpose: the App and its document need none, and the preview tool says how to install one.
    session = await connectInMemory({ clientName: 'test-client', env: { DSPEC_CHROMIUM: '/nonexistent/chromium' } });
    client = session.client;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('lists no ui:// resource that is not an MCP App, and serves ui://dspec/preview as one', async () => {
    const { resources } = await client.listResources();
    const ui = resources.filter((resource) => resource.uri.startsWith('ui://'));
    expect(ui.map((resource) => resource.uri)).toEqual(['ui://dspec/preview']);
    for (const resource of ui) expect(resource.mimeType).toBe(APP_MIME);
    const app = await client.readResource({ uri: 'ui://dspec/preview' });
    const content = app.contents[0] as { mimeType: string; text: string };
    expect(content.mimeType).toBe(APP_MIME);
    expect(content.text.startsWith('<!doctype html>')).toBe(true);
    expect(content.text.includes('preview_document')).toBe(true);
    expect(NETWORK_REFERENCE.exec(content.text)?.[0]).toBeUndefined();
  });

  it('links generate_component, export_screen and preview to the app; preview_document is for the app only', async () => {
    const { tools } = await client.listTools();
    for (const name of ['generate_component', 'export_screen', 'preview', 'preview_document']) {
      const tool = tools.find((candidate) => candidate.name === name)!;
      expect(tool._meta?.ui, name).toMatchObject({ resourceUri: 'ui://dspec/preview' });
      expect(tool._meta?.['ui/resourceUri'], name).toBe('ui://dspec/preview');
    }
    expect(tools.find((tool) => tool.name === 'preview_document')!._meta?.ui).toMatchObject({ visibility: ['app'] });
  });

  it('answers preview_document with the HTML document, without a browser', async () => {
    const result = await client.callTool({ name: 'preview_document', arguments: { name: 'Dialog', mode: 'dark' } });
    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as { name: string; html: string; stories: string[] };
    expect(output.name).toBe('Modal');
    expect(output.html.includes('"mode":"dark"')).toBe(true);
    expect(output.stories.length).toBeGreaterThan(0);
  });

  it('answers preview without a browser with isError naming how to install one', async () => {
    const result = await client.callTool({ name: 'preview', arguments: { name: 'Button' } });
    expect(result.isError).toBe(true);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toContain('DSPEC_CHROMIUM=/nonexistent/chromium');
    expect(text).toContain('apt-get install chromium');
    expect(text).toMatch(/macOS/);
    expect(text).toMatch(/Windows/);
  });
});
