import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSchema, registerValidateComponentTool } from '../../src/server/tools/validate-component.js';
import { card, CSS } from './support.js';
import { testServerDeps } from '../helpers/test-runtime.js';

const tinyTheme = JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8'));
const brokenTheme = JSON.parse(readFileSync('test/fixtures/themes/broken-reference.json', 'utf8'));
let client: Client;
let server: McpServer;

beforeAll(async () => {
  server = new McpServer({ name: 'test', version: '0.0.0' }, { capabilities: { tools: {} } });
  registerValidateComponentTool(server, testServerDeps());
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

const files = (tsx: string, css = CSS) => [
  { path: 'Card.tsx', contents: tsx },
  { path: 'Card.module.css', contents: css },
];

describe('validate_component over MCP', () => {
  it('is listed read-only with input and output schemas', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'validate_component');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tool?.outputSchema?.type).toBe('object');
  });

  it('answers a clean bundle with valid: true and structured content matching the output schema', async () => {
    const result = await client.callTool({ name: 'validate_component', arguments: { name: 'Card', files: files(card('<h2 className={styles.root}>{title}</h2>')) } });
    expect(result.isError).toBeFalsy();
    const structured = outputSchema.parse(result.structuredContent);
    expect(structured).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(structured.layersRun).toHaveLength(6);
  });

  it('reports findings with positions, and the human-readable list as text', async () => {
    const result = await client.callTool({
      name: 'validate_component',
      arguments: { name: 'Card', files: files(card('<h2 className={styles.root}>{title}</h2>'), '.root {\n  color: var(--semantic-foreground-primry);\n}\n'), theme: tinyTheme },
    });
    const structured = outputSchema.parse(result.structuredContent);
    expect(structured.valid).toBe(false);
    expect(structured.errors).toEqual([expect.objectContaining({ code: 'undefined-variable', file: 'Card.module.css', line: 2, message: expect.stringContaining('--semantic-foreground-primary') })]);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toContain('Card.module.css:2:10  error  undefined-variable');
  });

  it('answers malformed arguments and broken themes with isError', async () => {
    const missing = await client.callTool({ name: 'validate_component', arguments: { name: 'Card' } });
    expect(missing.isError).toBe(true);
    const broken = await client.callTool({ name: 'validate_component', arguments: { name: 'Card', files: files('x'), theme: brokenTheme } });
    expect(broken.isError).toBe(true);
  });

  it('reports bad file names as schema findings rather than failing the call', async () => {
    const result = await client.callTool({ name: 'validate_component', arguments: { name: 'Card', files: [{ path: '../Card.tsx', contents: '' }] } });
    const structured = outputSchema.parse(result.structuredContent);
    expect(structured.errors.map((f) => f.code)).toContain('file-name-invalid');
  });
});
