// The preview document's own code: runs in the browser (the host's sandboxed iframe or the
// headless browser), never in the server. It mounts the component or screen, offers the
// toolbar (mode, viewport, story), catches render errors, and measures text contrast.
import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ContrastFinding, PreviewApi, PreviewConfig, PreviewError, PreviewMode, PreviewViewport } from './protocol.js';

type Args = Record<string, unknown>;
type Decorator = (story: ComponentType, context: { args: Args }) => ReactNode;
interface StoryAnnotations {
  args?: Args;
  render?: (args: Args, context: { args: Args }) => ReactNode;
  decorators?: Decorator[];
  name?: string;
}
type StoryExport = StoryAnnotations | ((args: Args) => ReactNode);

export interface MountInput {
  component: ComponentType<Args> | undefined;
  /** The CSF 3 module, when the bundle has one. */
  stories?: Record<string, unknown>;
  /** Story export names in source order (a module namespace lists them alphabetically). */
  storyOrder?: string[];
}

const VIEWPORTS: PreviewViewport[] = [375, 768, 1280];
/** View names that no story export can take (story names are identifiers): "Default" is a common story. */
const PROPS_VIEW = '(props)';
const DEFAULT_VIEW = '(component)';
/** Keys whose string value the browser would fetch or navigate to. */
const URL_KEYS = new Set(['src', 'srcSet', 'srcset', 'poster', 'href']);
/** An absolute URL (any scheme) or a root-relative path; data:, blob: and fragments stay local. */
const NON_LOCAL_URL = /^(?!data:|blob:|#)(?:[a-z][a-z0-9+.-]*:|\/)/i;
const PLACEHOLDER_IMAGE =
  'data:image/svg+xml,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90" viewBox="0 0 160 90"><rect width="160" height="90" fill="#8c959f"/></svg>');

declare global {
  interface Window {
    dspecPreview?: PreviewApi;
    __dspecEarlyErrors?: PreviewError[];
  }
}

/**
 * The preview is offline: a remote or root-relative URL in args or props would be a request
 * (or a navigation away). Images get a neutral placeholder, links a local fragment.
 */
export function offlineArgs(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (!URL_KEYS.has(key) || !NON_LOCAL_URL.test(value.trim())) return value;
    return key === 'href' ? '#offline-link' : PLACEHOLDER_IMAGE;
  }
  if (Array.isArray(value)) return value.map((item) => offlineArgs(item));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([entryKey, entry]) => [entryKey, offlineArgs(entry, entryKey)]));
  }
  return value;
}

function readConfig(): PreviewConfig {
  const element = document.getElementById('dspec-preview-config');
  return JSON.parse(element?.textContent ?? '{}') as PreviewConfig;
}

function toError(value: unknown, source: PreviewError['source']): PreviewError {
  if (value instanceof Error) return { message: `${value.name}: ${value.message}`, source, ...(value.stack ? { stack: value.stack.split('\n').slice(0, 8).join('\n') } : {}) };
  return { message: String(value), source };
}

class ErrorBoundary extends Component<{ children: ReactNode; onError: (error: PreviewError) => void }, { error?: PreviewError }> {
  override state: { error?: PreviewError } = {};
  static getDerivedStateFromError(error: unknown) {
    return { error: toError(error, 'render') };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    const reported = toError(error, 'render');
    if (info.componentStack) reported.stack = `${reported.stack ?? ''}\n${info.componentStack.split('\n').slice(0, 6).join('\n')}`.trim();
    this.props.onError(reported);
  }
  override render() {
    if (this.state.error) {
      return (
        <div role="alert" data-dspec-error="render" className="dspec-error">
          <strong>The component threw while rendering.</strong>
          <pre>{this.state.error.message}</pre>
        </div>
      );
    }
    return this.props.children;
  }
}

function storyNames(input: MountInput): string[] {
  const stories = input.stories;
  if (!stories) return [];
  const order = input.storyOrder?.length ? input.storyOrder : Object.keys(stories);
  return order.filter((name) => name !== 'default' && name !== '__namedExportsOrder' && name in stories && (typeof stories[name] === 'object' || typeof stories[name] === 'function'));
}

function renderStory(input: MountInput, view: string, props: Args | undefined): ReactNode {
  const Target = input.component;
  if (!Target) throw new Error('the bundle exports no component to render');
  if (view === PROPS_VIEW || view === DEFAULT_VIEW || !input.stories) return <Target {...(offlineArgs(props ?? {}) as Args)} />;
  const meta = (input.stories.default ?? {}) as StoryAnnotations & { component?: ComponentType<Args> };
  const story = input.stories[view] as StoryExport | undefined;
  if (typeof story === 'function') return story(offlineArgs({ ...meta.args }) as Args);
  const args = offlineArgs({ ...meta.args, ...story?.args }) as Args;
  const context = { args };
  const render = story?.render ?? meta.render;
  const Shown = meta.component ?? Target;
  let Story: ComponentType = () => <>{render ? render(args, context) : <Shown {...args} />}</>;
  for (const decorator of [...(story?.decorators ?? []), ...(meta.decorators ?? [])]) {
    const Inner: ComponentType = Story;
    Story = (): ReactNode => <>{decorator(Inner, context)}</>;
  }
  return <Story />;
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        // Components transition their colours: end every finite transition so computed styles are
        // final (an infinite one, such as an indeterminate progress bar, cannot finish).
        for (const animation of document.getAnimations()) {
          if (animation.effect?.getComputedTiming().endTime === Infinity) continue;
          try {
            animation.finish();
          } catch {
            // Finished or cancelled meanwhile.
          }
        }
        resolve();
      }),
    ),
  );
}

export function mount(input: MountInput): void {
  const config = readConfig();
  const errors: PreviewError[] = window.__dspecEarlyErrors ?? [];
  const stories = storyNames(input);
  const views = config.kind === 'screen' ? [] : [...(config.props ? [PROPS_VIEW] : []), ...stories];
  if (config.kind === 'component' && !views.length) views.push(DEFAULT_VIEW);
  const state = {
    mode: config.mode,
    viewport: config.viewport,
    story: config.kind === 'screen' ? undefined : config.story && views.includes(config.story) ? config.story : views[0],
    toolbar: config.toolbar,
  };

  const stage = document.getElementById('dspec-stage')!;
  const rootElement = document.getElementById('dspec-root')!;
  const root = createRoot(rootElement);
  const report = (error: PreviewError) => {
    errors.push(error);
    const panel = document.getElementById('dspec-errors');
    if (panel) {
      const item = document.createElement('pre');
      item.textContent = `${error.source}: ${error.message}`;
      panel.append(item);
      panel.hidden = false;
    }
  };
  // The inline early handler caught what happened before this script; from now on this one reports.
  window.__dspecEarlyErrors = undefined;
  window.onerror = (_message, _source, _line, _column, error) => {
    report(toError(error ?? _message, 'window'));
  };
  window.onunhandledrejection = (event) => report(toError(event.reason, 'promise'));

  const toolbar = buildToolbar(config, views, state, (update) => void api.set(update));

  const apply = () => {
    document.documentElement.classList.toggle('dark', state.mode === 'dark');
    document.documentElement.style.colorScheme = state.mode;
    document.documentElement.dataset.dspecToolbar = state.toolbar ? 'on' : 'off';
    stage.style.width = `${state.viewport}px`;
    toolbar.sync();
    let content: ReactNode;
    try {
      content = renderStory(input, state.story ?? DEFAULT_VIEW, config.props);
    } catch (error) {
      content = <Thrower error={error} />;
    }
    root.render(
      <ErrorBoundary key={`${state.story ?? ''}`} onError={report}>
        {content}
      </ErrorBoundary>,
    );
  };

  const api: PreviewApi = {
    stories: views,
    errors,
    state: () => ({ ...state }),
    async set(update) {
      if (update.mode) state.mode = update.mode;
      if (update.viewport && VIEWPORTS.includes(update.viewport)) state.viewport = update.viewport;
      if (update.story !== undefined && views.includes(update.story)) state.story = update.story;
      if (update.toolbar !== undefined) state.toolbar = update.toolbar;
      apply();
      await nextPaint();
    },
    measureContrast: () => measureContrast(rootElement),
  };
  window.dspecPreview = api;
  apply();
}

/** Rethrows inside React so the boundary shows a story's own setup error like a render error. */
function Thrower({ error }: { error: unknown }): ReactNode {
  throw error;
}

interface Toolbar {
  sync(): void;
}

function buildToolbar(
  config: PreviewConfig,
  views: string[],
  state: { mode: PreviewMode; viewport: PreviewViewport; story?: string },
  onChange: (update: Partial<{ mode: PreviewMode; viewport: PreviewViewport; story: string }>) => void,
): Toolbar {
  const bar = document.getElementById('dspec-toolbar')!;
  const select = (label: string, options: Array<[string, string]>, change: (value: string) => void) => {
    const wrapper = document.createElement('label');
    wrapper.textContent = label;
    const element = document.createElement('select');
    for (const [value, text] of options) element.append(new Option(text, value));
    element.addEventListener('change', () => change(element.value));
    wrapper.append(element);
    bar.append(wrapper);
    return element;
  };
  const title = document.createElement('span');
  title.className = 'dspec-title';
  title.textContent = config.name;
  bar.append(title);
  const mode = select(
    'Mode',
    [
      ['light', 'Light'],
      ['dark', 'Dark'],
    ],
    (value) => onChange({ mode: value as PreviewMode }),
  );
  const viewport = select(
    'Width',
    [
      ['375', 'Mobile 375'],
      ['768', 'Tablet 768'],
      ['1280', 'Desktop 1280'],
    ],
    (value) => onChange({ viewport: Number(value) as PreviewViewport }),
  );
  const label = (view: string) => (view === PROPS_VIEW ? 'Props' : view === DEFAULT_VIEW ? 'Component' : view);
  const story =
    views.length > 1
      ? select(
          'Story',
          views.map((name) => [name, label(name)]),
          (value) => onChange({ story: value }),
        )
      : undefined;
  return {
    sync() {
      mode.value = state.mode;
      viewport.value = String(state.viewport);
      if (story && state.story) story.value = state.story;
    },
  };
}

// ── contrast ──────────────────────────────────────────────────────────────

type Rgba = [number, number, number, number];

let probe: CanvasRenderingContext2D | undefined;
/** Any CSS colour (oklch, color-mix…) as painted sRGB bytes and alpha. */
function toRgba(color: string): Rgba {
  if (!probe) {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    probe = canvas.getContext('2d', { willReadFrequently: true })!;
  }
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0, a = 0] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const alpha = top[3] + bottom[3] * (1 - top[3]);
  if (alpha === 0) return [0, 0, 0, 0];
  const mix = (index: 0 | 1 | 2) => (top[index] * top[3] + bottom[index] * bottom[3] * (1 - top[3])) / alpha;
  return [mix(0), mix(1), mix(2), alpha];
}

function luminance([r, g, b]: Rgba): number {
  const linear = (channel: number) => {
    const value = channel / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function hex([r, g, b]: Rgba): string {
  return `#${[r, g, b].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** The painted background behind an element: its and its ancestors' background colours, composited on white. */
function backgroundOf(element: Element): Rgba {
  const layers: Rgba[] = [];
  for (let current: Element | null = element; current; current = current.parentElement) {
    const layer = toRgba(getComputedStyle(current).backgroundColor);
    if (layer[3] > 0) layers.push(layer);
    if (layer[3] >= 1) break;
  }
  return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

function cssPath(element: Element, root: Element): string {
  const parts: string[] = [];
  for (let current: Element | null = element; current && current !== root && parts.length < 4; current = current.parentElement) {
    const parent: Element | null = current.parentElement;
    const index = parent ? [...parent.children].filter((sibling) => sibling.tagName === current.tagName).indexOf(current) : -1;
    parts.unshift(`${current.tagName.toLowerCase()}${index > 0 ? `:nth-of-type(${index + 1})` : ''}`);
  }
  return parts.join(' > ');
}

function isInactive(element: Element): boolean {
  return Boolean(element.closest('[disabled], [aria-disabled="true"], [inert]'));
}

export function measureContrast(root: Element): ContrastFinding[] {
  const findings: ContrastFinding[] = [];
  for (const element of root.querySelectorAll('*')) {
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    if (!text || isInactive(element)) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
    let opacity = 1;
    for (let current: Element | null = element; current; current = current.parentElement) opacity *= Number(getComputedStyle(current).opacity);
    if (opacity === 0) continue;
    const background = backgroundOf(element);
    const base = toRgba(style.color);
    const foreground = over([base[0], base[1], base[2], base[3] * opacity], background);
    const [lighter, darker] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number];
    const ratio = Math.round(((lighter + 0.05) / (darker + 0.05)) * 100) / 100;
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const required = large ? 3 : 4.5;
    if (ratio < required) {
      findings.push({ target: cssPath(element, root), text: text.slice(0, 60), foreground: hex(foreground), background: hex(background), ratio, required });
    }
  }
  return findings;
}
