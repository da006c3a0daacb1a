// Shapes shared by the preview document (browser) and the Node side that drives it. Types only.

export type PreviewMode = 'light' | 'dark';
export type PreviewViewport = 375 | 768 | 1280;

/** The document's settings, in a JSON script tag so one JS bundle serves every props/theme choice. */
export interface PreviewConfig {
  kind: 'component' | 'screen';
  /** The component or screen name. */
  name: string;
  /** Props of the "Props" view (component) or none. */
  props?: Record<string, unknown>;
  mode: PreviewMode;
  viewport: PreviewViewport;
  /** A story export name, or "Props" for the component with `props`. */
  story?: string;
  /** false hides the toolbar (screenshots). */
  toolbar: boolean;
}

export interface PreviewError {
  message: string;
  /** Where it was caught: a React error boundary, window.onerror or an unhandled rejection. */
  source: 'render' | 'window' | 'promise';
  stack?: string;
}

export interface ContrastFinding {
  /** A short CSS path to the element. */
  target: string;
  text: string;
  foreground: string;
  background: string;
  ratio: number;
  required: number;
}

/** What `window.dspecPreview` offers: the toolbar's actions, callable from a test or a headless driver. */
export interface PreviewApi {
  readonly stories: string[];
  readonly errors: PreviewError[];
  state(): { mode: PreviewMode; viewport: PreviewViewport; story?: string; toolbar: boolean };
  /** Applies the settings and resolves after the next paint, with transitions finished. */
  set(update: Partial<Pick<PreviewConfig, 'mode' | 'viewport' | 'story' | 'toolbar'>>): Promise<void>;
  /** Every text node of the preview whose contrast against its painted background fails WCAG AA. */
  measureContrast(): ContrastFinding[];
}
