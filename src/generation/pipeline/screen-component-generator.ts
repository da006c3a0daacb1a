import type { GenerateUnknown } from '../../screen/route-components.js';
import { routeComponentRequest, type RouteContext } from './route-component-request.js';

/**
 * The Tier 2 generator a screen export uses for component types the catalog does not have:
 * the same route, cache, budgets and ledger as `generate_component`, recorded as `export_screen`.
 * The context (the runtime and a logger) is read on first use, so building the generator costs nothing.
 */
export function createScreenComponentGenerator(context: () => Omit<RouteContext, 'signal' | 'cacheOnly' | 'operation'>): GenerateUnknown {
  return async (type, description, signal, options = {}) => {
    const output = await routeComponentRequest(
      { name: type, description, format: 'tsx', themeCss: options.themeCss },
      { ...context(), signal, cacheOnly: options.cacheOnly, operation: 'export_screen' },
    );
    return { name: output.name, files: output.files, dependencies: output.dependencies, devDependencies: output.devDependencies };
  };
}
