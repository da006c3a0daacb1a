import type { ServerDeps } from '../context.js';
export async function serveHttp(_deps: ServerDeps): Promise<void> {
  throw new Error('not implemented');
}
