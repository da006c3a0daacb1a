import { existsSync } from 'node:fs';
import path from 'node:path';

/** The bundled bin that `npm test` builds first; tests that spawn the server use it as users do. */
export const BUILT_BIN = path.resolve(process.cwd(), 'dist/bin/dspec.js');

export function assertBuilt(): void {
  if (!existsSync(BUILT_BIN)) throw new Error(`${BUILT_BIN} is missing: run "npm run build" (npm test does it first)`);
}
