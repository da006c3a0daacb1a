import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, CONFIG_FILE_NAME, configSchema, loadConfig } from '../../src/infra/config.js';

// loadConfig answers the common start (nothing set, or only logLevel/home) without a Zod parse.
// These tests pin that its answer is still exactly the schema's, and that anything else still
// meets the schema (and its errors).

const directory = mkdtempSync(path.join(tmpdir(), 'dspec-config-defaults-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function loadFromFile(contents: Record<string, unknown>): { config?: unknown; error?: string } {
  writeFileSync(path.join(directory, CONFIG_FILE_NAME), JSON.stringify(contents));
  try {
    return { config: loadConfig({ cwd: directory, env: {} }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function expectedFromSchema(input: Record<string, unknown>): { config?: unknown; error?: string } {
  const result = configSchema().safeParse(input);
  return result.success ? { config: result.data } : { error: 'Invalid configuration' };
}

/** Every combination of a few values per top-level key, including values the fast path must refuse. */
function generatedInputs(): Array<Record<string, unknown>> {
  const logLevels = [undefined, ...configSchema().shape.logLevel.unwrap().options, 'loud', 3];
  const homes = [undefined, '.dspec', '/var/state', '', 7];
  const sections = [undefined, {}, { port: 4000 }, { maxTokens: -1 }, []];
  const inputs: Array<Record<string, unknown>> = [];
  for (const logLevel of logLevels)
    for (const home of homes) for (const sectionKey of ['http', 'limits', 'generation', 'cost', 'unknownKey']) for (const section of sections) inputs.push({ logLevel, home, [sectionKey]: section });
  inputs.push({ http: {}, limits: {}, generation: {}, cost: {} }, { toString: {} }, { generation: { anthropic: {} } });
  return inputs;
}

describe('config defaults without a schema parse', () => {
  it('CONFIG_DEFAULTS is what the schema gives for an empty config', () => {
    expect(CONFIG_DEFAULTS).toEqual(configSchema().parse({}));
  });

  it('loadConfig answers every generated input exactly as the schema does', () => {
    const inputs = generatedInputs();
    expect(inputs.length).toBeGreaterThan(1000);
    for (const input of inputs) {
      const withoutUndefined = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
      expect({ input: withoutUndefined, ...loadFromFile(withoutUndefined) }).toEqual({ input: withoutUndefined, ...expectedFromSchema(withoutUndefined) });
    }
  });

  it('hands out a fresh object each time, so one caller cannot change another one’s defaults', () => {
    rmSync(path.join(directory, CONFIG_FILE_NAME), { force: true });
    const first = loadConfig({ cwd: directory, env: {} });
    first.http.allowedHosts.push('example.test');
    expect(loadConfig({ cwd: directory, env: { DSPEC_LOG_LEVEL: 'warn' }, flags: { http: {} } })).toEqual({ ...configSchema().parse({}), logLevel: 'warn' });
    expect(CONFIG_DEFAULTS.http.allowedHosts).toEqual([]);
  });
});
