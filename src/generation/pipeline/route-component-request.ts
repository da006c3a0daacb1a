import { closestNames, findComponent, loadCatalog, CATALOG_VERSION } from '../../catalog/catalog.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';
import { defaultThemeCss } from '../../catalog/default-theme.js';
import { serveTier1Component } from '../../catalog/serve-tier1-component.js';
import { convertBundleToJsx } from '../../catalog/convert-to-jsx.js';
import { hashFiles } from '../../catalog/tier1-bundle.js';
import { InputError } from '../../errors.js';
import { parseJsonText } from '../../infra/json.js';
import type { Logger } from '../../infra/logger.js';
import { generateThemeCss } from '../../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCss } from '../../theme/schemas.js';
import { generateTier2Component, type GenerationProgress } from './generate-component.js';
import type { ComponentResponse } from './component-response.js';
import type { SampleFunction } from '../providers/mcp-sampling-provider.js';
import type { GenerationRuntime } from '../generation-context.js';

export interface ComponentRequest {
  name: string;
  props?: Record<string, unknown>;
  description?: string;
  theme?: Record<string, unknown> | string;
  /** A theme already turned into CSS (a screen export's); takes the place of `theme`. */
  themeCss?: ThemeCss;
  format: 'tsx' | 'jsx';
}

/** What routing needs besides the request: the runtime (configuration, cache, ledger, providers), and for Tier 2 the client's model and progress. */
export interface RouteContext {
  runtime: GenerationRuntime;
  /** The caller's logger (a tool's tees to the client); the runtime's otherwise. */
  logger: Logger;
  signal?: AbortSignal;
  /** The connected client's model, when it offers sampling. */
  sample?: SampleFunction;
  onProgress?: (progress: GenerationProgress) => void;
  /** CLI `--cached`: a cache miss is an error, never a call. */
  cacheOnly?: boolean;
  operation?: string;
}

/** Resolves the theme (if any), then routes the name: catalog → Tier 1; anything else needs generation. */
export async function routeComponentRequest(args: ComponentRequest, context: RouteContext): Promise<ComponentResponse> {
  const catalog = await loadCatalog();
  const entry = findComponent(catalog, args.name);
  const theme = args.theme === undefined ? undefined : typeof args.theme === 'string' ? parseJsonText(args.theme, 'theme') : args.theme;
  const themeCss =
    args.themeCss ??
    (theme === undefined ? undefined : generateThemeCss(theme, ThemeCssOptionsSchema.parse({}), { maxTokens: context.runtime.config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES }));
  if (!entry) return generateNewComponent(args, context, themeCss, closestNames(catalog, args.name, 3));
  const bundle = await serveTier1Component(catalog, entry, { props: args.props, themeCss, format: args.format, gate: () => context.runtime.gate() });
  const warnings = themeCss ? themeCss.warnings.map((warning) => `${warning.path}: ${warning.message}`) : [];
  return { ...bundle, themeCss: themeCss?.css, warnings };
}

/** Tier 2: a name the catalog does not have is generated, validated and cached (or served from the cache). */
async function generateNewComponent(args: ComponentRequest, context: RouteContext, themeCss: ReturnType<typeof generateThemeCss> | undefined, suggestions: string[]): Promise<ComponentResponse> {
  if (!args.description?.trim()) {
    throw new InputError(`"${args.name}" is not in the component catalog; to generate it, also pass a description of what it is and does.`, {
      suggestion: suggestions.length ? `Or use a catalog component: ${suggestions.join(', ')} (read dspec://catalog for all).` : 'Read dspec://catalog for the catalog components.',
      context: { suggestions },
    });
  }
  const [generation, gate] = await Promise.all([context.runtime.generation(), context.runtime.gate()]);
  // Without a theme, generated code uses the same contract variables as the catalog, checked against them.
  const generationTheme = themeCss ?? defaultThemeCss();
  const result = await generateTier2Component(
    {
      name: args.name,
      description: args.description,
      props: args.props,
      theme: generationTheme,
      operation: context.operation ?? 'generate_component',
      signal: context.signal,
      onProgress: context.onProgress,
      cacheOnly: context.cacheOnly || undefined,
    },
    {
      providers: generation.providers.forRequest({ sample: context.sample }),
      cache: generation.cache,
      costs: generation.costs,
      logger: context.logger,
      failedDir: generation.failedDir,
      config: context.runtime.config.generation,
      examples: generation.examples,
      breakers: generation.breakers,
      telemetry: generation.telemetry,
      claims: generation.claims,
      validate: gate.validate,
      catalogVersion: CATALOG_VERSION,
    },
  );
  let files = result.bundle.files.map((file) => ({ path: file.path, contents: file.contents }));
  let exports = result.bundle.exports ?? [args.name];
  if (args.format === 'jsx') ({ files, exports } = await convertBundleToJsx({ files, exports }));
  return {
    name: result.bundle.name,
    tier: 'tier2',
    files,
    dependencies: result.bundle.dependencies,
    devDependencies: {},
    exports,
    catalogVersion: CATALOG_VERSION,
    hash: hashFiles(files),
    themeCss: themeCss?.css,
    warnings: [
      ...result.warnings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.code} ${finding.message}`),
      ...result.notices,
      ...(themeCss ? themeCss.warnings.map((warning) => `${warning.path}: ${warning.message}`) : []),
    ],
    provenance: { ...result.provenance },
    cost: result.cost,
    cacheHit: result.cacheHit,
    attempts: result.attempts,
  };
}
