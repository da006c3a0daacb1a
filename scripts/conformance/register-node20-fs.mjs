// `node --import ./register-node20-fs.mjs <conformance bin>`: lets @modelcontextprotocol/conformance
// (built for Node 22: it imports `globSync` from "fs") load on Node 20 without patching its files.
// On a Node that has fs.globSync this registers nothing.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

if (!('globSync' in fs)) {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@modelcontextprotocol/conformance/package.json'));
  register('./node20-fs-hooks.mjs', import.meta.url, {
    data: {
      shimUrl: new URL('./fs-with-glob.mjs', import.meta.url).href,
      packageUrlPrefix: pathToFileURL(packageDir).href + '/',
    },
  });
}
