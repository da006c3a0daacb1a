import { ResourceTemplate } from '@modelcontextprotocol/server';
import type { McpServer, ReadResourceTemplateCallback } from '@modelcontextprotocol/server';
import { DspecError, ErrorCode } from '../../errors.js';
import { BUILD_FIXED } from '../cache-hints.js';
import type { ServerDeps } from '../context.js';

/** The catalog loads on the first read, not at server start. */
const catalogModule = () => import('../../catalog/catalog.js');

export const CATALOG_URI = 'dspec://catalog';
export const COMPONENT_URI_TEMPLATE = 'dspec://components/{name}';

export function componentUri(name: string): string {
  return `dspec://components/${name}`;
}

/** The catalog index and each component's source and metadata, readable without a tool call. */
export function registerCatalogResources(server: McpServer, deps: ServerDeps): void {
  const readIndex = async (uri: URL) => {
    const { loadCatalog } = await catalogModule();
    const catalog = await loadCatalog();
    const components = [...catalog.components.values()].map(({ meta }) => ({
      name: meta.name,
      aliases: meta.aliases,
      description: meta.description,
      category: meta.category,
      variants: meta.variants,
      sizes: meta.sizes,
      props: Object.keys(meta.props),
      uri: componentUri(meta.name),
    }));
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ version: catalog.version, components }, null, 2) }] };
  };

  const readComponent: ReadResourceTemplateCallback = async (uri, variables) => {
    const requested = Array.isArray(variables.name) ? variables.name[0] : variables.name;
    const [{ loadCatalog, findComponent }, { buildTier1Bundle }] = await Promise.all([catalogModule(), import('../../catalog/tier1-bundle.js')]);
    const catalog = await loadCatalog();
    const entry = findComponent(catalog, decodeURIComponent(String(requested ?? '')));
    if (!entry) throw new DspecError(ErrorCode.NotFound, `no catalog component "${String(requested).slice(0, 64)}"; read ${CATALOG_URI} for the list`);
    const bundle = await buildTier1Bundle(catalog, entry);
    deps.logger.debug({ component: entry.meta.name }, 'catalog component read');
    return {
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ meta: entry.meta, files: bundle.files, hash: bundle.hash }, null, 2) }],
    };
  };

  const completeName = async (value: string) => {
    const { loadCatalog } = await catalogModule();
    const catalog = await loadCatalog();
    const prefix = value.toLowerCase();
    return [...catalog.lookup.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => catalog.lookup.get(key)!)
      .filter((canonical, index, all) => all.indexOf(canonical) === index)
      .slice(0, 100);
  };

  server.registerResource(
    'catalog',
    CATALOG_URI,
    { title: 'Component catalog', description: 'The Tier 1 components: names, aliases, descriptions, props and variants.', mimeType: 'application/json', cacheHint: BUILD_FIXED },
    readIndex,
  );

  server.registerResource(
    'component',
    new ResourceTemplate(COMPONENT_URI_TEMPLATE, {
      list: async () => {
        const { loadCatalog } = await catalogModule();
        const catalog = await loadCatalog();
        return {
          resources: [...catalog.components.values()].map(({ meta }) => ({
            uri: componentUri(meta.name),
            name: meta.name,
            description: meta.description,
            mimeType: 'application/json',
          })),
        };
      },
      complete: { name: completeName },
    }),
    { title: 'Catalog component', description: 'Source files and metadata of one Tier 1 component.', mimeType: 'application/json', cacheHint: BUILD_FIXED },
    readComponent,
  );
}
