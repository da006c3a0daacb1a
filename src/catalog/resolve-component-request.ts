import { DspecError, ErrorCode } from '../errors.js';
import { parseJsonText } from '../infra/json.js';
import { generateThemeCss } from '../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../theme/schemas.js';
import { closestNames, findComponent, loadCatalog } from './catalog.js';
import { CONTRACT_VARIABLES } from './contract.js';
import { serveTier1Component } from './serve-tier1-component.js';

export interface ComponentRequest {
  name: string;
  props?: Record<string, unknown>;
  description?: string;
  theme?: Record<string, unknown> | string;
  format: 'tsx' | 'jsx';
}

export interface ComponentResponse {
  name: string;
  tier: 'tier1' | 'tier2';
  files: Array<{ path: string; contents: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  exports: string[];
  catalogVersion: string;
  hash: string;
  themeCss?: string;
  warnings: string[];
}

/** Resolves the theme (if any), then routes the name: catalog → Tier 1; anything else needs generation. */
export async function resolveComponentRequest(args: ComponentRequest, limits: { maxTokens: number }): Promise<ComponentResponse> {
  const catalog = await loadCatalog();
  const entry = findComponent(catalog, args.name);
  const theme = args.theme === undefined ? undefined : typeof args.theme === 'string' ? parseJsonText(args.theme, 'theme') : args.theme;
  const themeCss =
    theme === undefined
      ? undefined
      : generateThemeCss(theme, ThemeCssOptionsSchema.parse({}), { maxTokens: limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
  if (!entry) {
    const suggestions = closestNames(catalog, args.name, 3);
    throw new DspecError(ErrorCode.ProviderUnavailable, `"${args.name}" is not in the component catalog, and generating new components needs an LLM provider.`, {
      suggestion: `${suggestions.length ? `Closest catalog names: ${suggestions.join(', ')}. ` : ''}To generate it, set ANTHROPIC_API_KEY (or DSPEC_PROVIDER=openai-compatible with OPENAI_BASE_URL) and pass a description.`,
      context: { suggestions },
    });
  }
  const bundle = await serveTier1Component(catalog, entry, { props: args.props, themeCss, format: args.format });
  const warnings = themeCss ? themeCss.warnings.map((warning) => `${warning.path}: ${warning.message}`) : [];
  return { ...bundle, themeCss: themeCss?.css, warnings };
}

