import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DspecError, ErrorCode } from '../../errors.js';
import type { ServerDeps } from '../context.js';

/** The catalog loads on the first read, not at server start. */
const catalogModule = () => import('../../catalog/catalog.js');

export const CATALOG_URI = 'ui://catalog';
export const COMPONENT_URI_TEMPLATE = 'ui://components/{name}';

/** The catalog index and each component's source and metadata, readable without a tool call. */
export function registerCatalogResources(server: McpServer, deps: ServerDeps): void {
  server.registerResource(
    'catalog',
    CATALOG_URI,
    { title: 'Component catalog', description: 'The Tier 1 components: names, aliases, descriptions, props and variants.', mimeType: 'application/json' },
    async (uri) => {
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
        uri: `ui://components/${meta.name}`,
      }));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ version: catalog.version, components }, null, 2) }] };
    },
  );

  server.registerResource(
    'component',
    new ResourceTemplate(COMPONENT_URI_TEMPLATE, {
      list: async () => {
        const { loadCatalog } = await catalogModule();
        const catalog = await loadCatalog();
        return {
          resources: [...catalog.components.values()].map(({ meta }) => ({
            uri: `ui://components/${meta.name}`,
            name: meta.name,
            description: meta.description,
            mimeType: 'application/json',
          })),
        };
      },
      complete: {
        name: async (value) => {
          const { loadCatalog } = await catalogModule();
          const catalog = await loadCatalog();
          const prefix = value.toLowerCase();
          return [...catalog.lookup.keys()]
            .filter((key) => key.startsWith(prefix))
            .map((key) => catalog.lookup.get(key)!)
            .filter((canonical, index, all) => all.indexOf(canonical) === index)
            .slice(0, 100);
        },
      },
    }),
    { title: 'Catalog component', description: 'Source files and metadata of one Tier 1 component.', mimeType: 'application/json' },
    async (uri, variables) => {
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
    },
  );
}
