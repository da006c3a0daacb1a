import { findComponent, type Catalog } from '../catalog/catalog.js';
import { buildTier1Bundle } from '../catalog/tier1-bundle.js';
import { DspecError } from '../errors.js';
import { mapLimited } from '../infra/map-limited.js';
import { problemWithFileName } from '../shapes/bundle.js';
import { toPascalCase, walkElements } from './normalise-screen.js';
import type { Screen, ScreenElement } from './screen-model.js';
import type { ThemeCss } from '../theme/schemas.js';

/** What a Tier 2 generator returns for one component type: a flat bundle like a catalog one. */
export interface GeneratedComponent {
  name: string;
  files: Array<{ path: string; contents: string }>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface GenerateUnknownOptions {
  /** Only answer from the committed cache; a miss is an error (CLI `--cached`). */
  cacheOnly?: boolean;
  /** The export's theme: the generated component must use (and is checked against) its variables. */
  themeCss?: ThemeCss;
}

/**
 * Makes a component the catalog does not have (Tier 2). Injected: the screen export never
 * depends on the generation module, so without a provider such a type fails its export.
 */
export type GenerateUnknown = (type: string, description: string, signal?: AbortSignal, options?: GenerateUnknownOptions) => Promise<GeneratedComponent>;

/** One distinct component of the screen after routing. */
export interface RoutedComponent {
  /** Types as written in the screen that resolve to this component (`Dialog`, `Modal`). */
  types: string[];
  /** The exported component name and its folder under `components/`. */
  name: string;
  tier: 'tier1' | 'tier2';
  status: 'ok' | 'failed';
  errors: string[];
  files: Array<{ path: string; contents: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Names the component's index exports (`Button`, `ButtonProps`). */
  exports: string[];
}

export interface RouteOptions {
  generateUnknown?: GenerateUnknown;
  generateOptions?: GenerateUnknownOptions;
  signal?: AbortSignal;
  /** Tier 2 generations running at once. */
  concurrency?: number;
  onRouted?: (component: RoutedComponent) => void;
}

const PASCAL_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Routes each distinct component type of the screen once: a catalog name or alias → the Tier 1
 * bundle (`Dialog` and `Modal` are one Modal), anything else → the injected generator, at most
 * `concurrency` at a time. A failure is recorded on its component; the caller decides.
 */
export async function routeComponents(screen: Screen, catalog: Catalog, options: RouteOptions = {}): Promise<RoutedComponent[]> {
  const groups = new Map<string, { entryName?: string; types: Set<string>; uses: ScreenElement[] }>();
  for (const element of walkElements(screen)) {
    const entry = findComponent(catalog, element.type);
    const key = entry ? `tier1:${entry.meta.name}` : `tier2:${element.type.toLowerCase()}`;
    let group = groups.get(key);
    if (!group) {
      group = { entryName: entry?.meta.name, types: new Set(), uses: [] };
      groups.set(key, group);
    }
    group.types.add(element.type);
    group.uses.push(element);
  }

  const tier1: Array<Promise<RoutedComponent>> = [];
  const tier2: Array<() => Promise<RoutedComponent>> = [];
  for (const group of groups.values()) {
    const types = [...group.types].sort();
    if (group.entryName) {
      const entry = catalog.components.get(group.entryName)!;
      tier1.push(
        buildTier1Bundle(catalog, entry).then((bundle) => {
          const routed: RoutedComponent = {
            types,
            name: bundle.name,
            tier: 'tier1',
            status: 'ok',
            errors: [],
            files: bundle.files,
            dependencies: bundle.dependencies,
            devDependencies: bundle.devDependencies,
            exports: bundle.exports,
          };
          options.onRouted?.(routed);
          return routed;
        }),
      );
    } else {
      tier2.push(async () => {
        const routed = await generateComponent(types, group.uses, options);
        options.onRouted?.(routed);
        return routed;
      });
    }
  }
  const generated = await mapLimited(tier2, Math.max(1, options.concurrency ?? 3), (task) => task(), options.signal);
  return [...(await Promise.all(tier1)), ...generated].sort((a, b) => a.name.localeCompare(b.name));
}

async function generateComponent(types: string[], uses: ScreenElement[], options: RouteOptions): Promise<RoutedComponent> {
  const type = types[0]!;
  const failed = (message: string): RoutedComponent => ({
    types,
    name: toPascalCase(type),
    tier: 'tier2',
    status: 'failed',
    errors: [message],
    files: [],
    dependencies: {},
    devDependencies: {},
    exports: [],
  });
  if (!options.generateUnknown) {
    return failed(`"${type}" is not in the component catalog; generating it needs an LLM provider (set ANTHROPIC_API_KEY, or OPENAI_BASE_URL with DSPEC_PROVIDER=openai-compatible)`);
  }
  try {
    options.signal?.throwIfAborted();
    const result = await options.generateUnknown(type, describeUses(type, uses), options.signal, options.generateOptions);
    const problems = checkGenerated(result);
    if (problems.length) return failed(`the generated component is unusable: ${problems.join('; ')}`);
    const files = [...result.files];
    if (!files.some((file) => file.path === 'index.ts' || file.path === 'index.tsx')) {
      files.push({ path: 'index.ts', contents: `export { ${result.name} } from './${result.name}';\n` });
    }
    return {
      types,
      name: result.name,
      tier: 'tier2',
      status: 'ok',
      errors: [],
      files,
      dependencies: { ...result.dependencies },
      devDependencies: { ...(result.devDependencies ?? {}) },
      exports: [result.name],
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return failed(error instanceof DspecError ? error.message : `generation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkGenerated(result: GeneratedComponent): string[] {
  const problems: string[] = [];
  if (!PASCAL_NAME.test(result.name)) problems.push(`name "${String(result.name).slice(0, 80)}" is not a PascalCase identifier`);
  for (const file of result.files) {
    const problem = problemWithFileName(file.path);
    if (problem) problems.push(`${JSON.stringify(file.path.slice(0, 80))} ${problem.message}`);
  }
  if (!result.files.some((file) => file.path === `${result.name}.tsx`)) problems.push(`no main file ${result.name}.tsx`);
  return problems;
}

/** What the screen asks of an unknown type, as the generator's description. */
function describeUses(type: string, uses: ScreenElement[]): string {
  const propNames = new Set<string>();
  let hasChildren = false;
  for (const use of uses) {
    for (const name of Object.keys(use.props)) propNames.add(name);
    for (const handler of use.droppedHandlers) propNames.add(handler.prop.split(/[[.]/)[0]!);
    if (use.children.length || use.props['children'] !== undefined) hasChildren = true;
  }
  const example = uses[0] ? JSON.stringify(uses[0].props).slice(0, 600) : '{}';
  return [
    `A React component named ${toPascalCase(type)} ("${type}" in a screen definition), used ${uses.length} time(s).`,
    propNames.size ? `Props used: ${[...propNames].sort().join(', ')}.` : 'It is used without props.',
    hasChildren ? 'It renders children.' : 'It takes no children.',
    `Example props: ${example}`,
  ].join(' ');
}
