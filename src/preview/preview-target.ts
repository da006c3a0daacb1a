import path from 'node:path';
import { findComponent, loadCatalog } from '../catalog/catalog.js';
import { CONTRACT_VARIABLES } from '../catalog/contract.js';
import { defaultThemeCss } from '../catalog/default-theme.js';
import { buildTier1Bundle } from '../catalog/tier1-bundle.js';
import { DspecError, ErrorCode, InputError } from '../errors.js';
import type { Config } from '../infra/config.js';
import type { GenerationRuntime } from '../generation/generation-context.js';
import { parseJsonText } from '../infra/json.js';
import type { Logger } from '../infra/logger.js';
import { convertTheme } from '../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../theme/schemas.js';
import type { PreviewFile, PreviewTarget } from './bundle-preview.js';

/** What to preview: a component by name (catalog, or generated earlier and cached) or a screen. */
export interface PreviewSubject {
  name?: string;
  screen?: unknown;
  /** Tier 2: the description generate_component was given (part of its cache key). */
  description?: string;
  theme?: unknown;
}

export interface PreviewContext {
  runtime: GenerationRuntime;
  logger: Logger;
  signal?: AbortSignal;
}

export interface ResolvedPreview {
  target: PreviewTarget;
  themeCss: string;
  /** The folder holding dspec's package.json, ui-reference/ and node_modules (where bare imports resolve). */
  packageRoot: string;
  warnings: string[];
}

/** Files a preview bundles: sources and styles, never tests, stories of sub-components or docs. */
function isPreviewSource(file: PreviewFile): boolean {
  return /\.(tsx|ts|jsx|js|css)$/.test(file.path) && !/\.(test|spec)\.[jt]sx?$/.test(file.path) && !/\.d\.ts$/.test(file.path);
}

/**
 * Partial conversion: a preview shows what a theme can give. Tokens the converter refuses (a
 * broken reference, say) are left out and named as warnings; the components fall back to the
 * documented defaults for them. Input that is no theme at all still fails.
 */
function themeOf(theme: unknown, config: Config): { css: string; warnings: string[] } {
  if (theme === undefined) return { css: defaultThemeCss().css, warnings: [] };
  const parsed = typeof theme === 'string' ? parseJsonText(theme, 'theme') : theme;
  const css = convertTheme(parsed, ThemeCssOptionsSchema.parse({}), { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
  const omitted = css.errorCount - css.errors.length;
  return {
    css: css.css,
    warnings: [
      ...css.errors.map((error) => `theme ${error.path}: ${error.message}${error.suggestion ? ` (${error.suggestion})` : ''}; token left out of the preview`),
      ...(omitted > 0 ? [`theme: ${omitted} more refused tokens left out of the preview`] : []),
      ...css.warnings.map((warning) => `theme ${warning.path}: ${warning.message}`),
    ],
  };
}

/**
 * Resolves a subject to the files to bundle and the theme CSS. Generated components and screen
 * types the catalog lacks come from the cache only: a preview shows what generate_component or
 * export_screen made, and never calls (or pays for) a model.
 */
export async function resolvePreviewTarget(subject: PreviewSubject, context: PreviewContext): Promise<ResolvedPreview> {
  const catalog = await loadCatalog();
  const packageRoot = path.dirname(catalog.root);
  if ((subject.name === undefined) === (subject.screen === undefined)) throw new InputError('Give either a component name or a screen to preview, not both.');

  if (subject.screen !== undefined) {
    const screen = typeof subject.screen === 'string' ? parseJsonText(subject.screen, 'screen') : subject.screen;
    const theme = typeof subject.theme === 'string' ? parseJsonText(subject.theme, 'theme') : subject.theme;
    const [{ exportScreen }, { createScreenComponentGenerator }] = await Promise.all([import('../screen/export-screen.js'), import('../generation/pipeline/screen-component-generator.js')]);
    const result = await exportScreen(
      { screen, theme, includeTests: false },
      {
        gate: await context.runtime.gate(),
        catalog,
        cacheOnly: true,
        signal: context.signal,
        maxThemeTokens: context.runtime.config.limits.maxTokens,
        generateUnknown: createScreenComponentGenerator(() => ({ runtime: context.runtime, logger: context.logger })),
      },
    );
    if (!result.success) {
      const failed = result.components.filter((component) => component.status === 'failed');
      throw new DspecError(
        ErrorCode.ValidationFailed,
        `The screen ${result.screenName} could not be exported for a preview: ${failed.map((component) => `${component.type} (${(component.errors ?? []).join('; ').slice(0, 200)})`).join(', ') || result.findings.length + ' findings'}.`,
        { suggestion: 'Run export_screen first: components the catalog lacks are previewed from the cache only.' },
      );
    }
    const themeFile = result.files.find((file) => file.path === 'theme.css');
    return {
      target: { kind: 'screen', name: result.screenName, files: result.files.filter((file) => file.path !== 'theme.css' && isPreviewSource(file)) },
      themeCss: themeFile?.contents ?? defaultThemeCss().css,
      packageRoot,
      warnings: result.warnings,
    };
  }

  const name = subject.name!;
  const theme = themeOf(subject.theme, context.runtime.config);
  const entry = findComponent(catalog, name);
  if (entry) {
    const bundle = await buildTier1Bundle(catalog, entry);
    return { target: { kind: 'component', name: bundle.name, files: bundle.files.filter(isPreviewSource) }, themeCss: theme.css, packageRoot, warnings: theme.warnings };
  }
  const { routeComponentRequest } = await import('../generation/pipeline/route-component-request.js');
  const output = await routeComponentRequest(
    { name, description: subject.description, format: 'tsx' },
    { runtime: context.runtime, logger: context.logger, signal: context.signal, cacheOnly: true, operation: 'preview' },
  );
  return { target: { kind: 'component', name: output.name, files: output.files.filter(isPreviewSource) }, themeCss: theme.css, packageRoot, warnings: [...theme.warnings, ...output.warnings] };
}
