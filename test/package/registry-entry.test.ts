import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The fields these tests read; the registry schema below checks server.json as a whole. */
interface ServerJson {
  $schema: string;
  name: string;
  version: string;
  packages: Array<{ version: string; environmentVariables: Array<{ name: string; description: string; isSecret?: boolean }> }>;
}
interface PackageJson {
  name: string;
  version: string;
  mcpName: string;
}
interface Manifest {
  version: string;
  server: { mcp_config: { env: Record<string, string> } };
}

const read = <Shape>(file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Shape;
const serverJson = read<ServerJson>('server.json');
const pkg = read<PackageJson>('package.json');
const manifest = read<Manifest>('manifest.json');
const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'vendor', 'server.schema.2025-12-11.json'), 'utf8')) as { $id: string };

// ajv-formats is CommonJS: Node's ESM hands its exports object to a default import (the plugin is
// its `default`), while vitest's interop may hand over the plugin itself.
const addFormats: FormatsPlugin = typeof addFormatsModule === 'function' ? addFormatsModule : addFormatsModule.default;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function sourceText(directory: string): string {
  return readdirSync(directory)
    .map((name) => path.join(directory, name))
    .map((file) => (statSync(file).isDirectory() ? sourceText(file) : file.endsWith('.ts') ? readFileSync(file, 'utf8') : ''))
    .join('\n');
}

describe('server.json, the MCP Registry entry', () => {
  it('is valid against the registry schema it names', () => {
    expect(serverJson.$schema).toBe(schema.$id);
    const validate = validator();
    expect(validate(serverJson), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is checked for real: the schema rejects a version range and a bad name', () => {
    const validate = validator();
    const ranged = structuredClone(serverJson);
    ranged.packages[0]!.version = 'latest';
    expect(validate(ranged)).toBe(false);
    expect(validate({ ...serverJson, name: 'no-namespace' })).toBe(false);
  });

  it('matches package.json: name, version and the npm package', () => {
    expect(serverJson.name).toBe(pkg.mcpName);
    expect(serverJson.version).toBe(pkg.version);
    expect(serverJson.packages).toHaveLength(1);
    expect(serverJson.packages[0]).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(manifest.version).toBe(pkg.version);
  });

  it('declares environment variables the server reads, with descriptions, and keys as secrets', () => {
    const source = sourceText(path.join(ROOT, 'src'));
    for (const variable of serverJson.packages[0]!.environmentVariables) {
      expect(source, `${variable.name} is not read anywhere in src/`).toContain(variable.name);
      expect(variable.description.length).toBeGreaterThan(10);
      expect(variable.isSecret ?? false).toBe(/_KEY$|TOKEN/.test(variable.name));
    }
    // The .mcpb's settings feed the same variables.
    const declared = new Set(serverJson.packages[0]!.environmentVariables.map((variable) => variable.name));
    for (const name of Object.keys(manifest.server.mcp_config.env)) expect(declared.has(name), name).toBe(true);
  });
});
