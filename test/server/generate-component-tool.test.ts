import { readFileSync } from 'node:fs';
import { parse } from '@babel/parser';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDefaultProps } from '../../src/catalog/apply-default-props.js';
import { connectInMemory, type InMemorySession } from '../helpers/in-memory-session.js';
import { createServer } from '../../src/server/create-server.js';
import { outputSchema } from '../../src/server/tools/generate-component.js';
import { testServerDeps } from '../helpers/test-runtime.js';

const tinyTheme = JSON.parse(readFileSync('test/fixtures/themes/tiny-tekton.json', 'utf8'));

describe('generate_component (Tier 1) and the catalog resources', () => {
  let client: Client;
  let session: InMemorySession;

  beforeAll(async () => {
    session = await connectInMemory({ clientName: 'test' });
    client = session.client;
  });
  afterAll(async () => {
    await session?.close();
  });

  const call = (args: Record<string, unknown>) => client.callTool({ name: 'generate_component', arguments: args });
  const text = (result: Awaited<ReturnType<typeof call>>) => (result.content as Array<{ text: string }>)[0]!.text;

  it('returns the vetted catalog files as they are, with dependencies, version and hash', async () => {
    const result = await call({ name: 'Button' });
    expect(result.isError).toBeFalsy();
    const output = outputSchema.parse(result.structuredContent);
    expect(output.tier).toBe('tier1');
    expect(output.files.map((file) => file.path).sort()).toEqual(['Button.module.css', 'Button.stories.tsx', 'Button.test.tsx', 'Button.tsx', 'index.ts']);
    expect(output.files.find((file) => file.path === 'Button.tsx')!.contents).toBe(readFileSync('ui-reference/Button/Button.tsx', 'utf8'));
    expect(output.dependencies.react).toMatch(/^\^19/);
    expect(output.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(text(result)).toContain('// ── Button.tsx ──');
  });

  it('resolves aliases case-insensitively (Dialog → Modal, select → Dropdown)', async () => {
    expect(outputSchema.parse((await call({ name: 'Dialog' })).structuredContent).name).toBe('Modal');
    expect(outputSchema.parse((await call({ name: 'select' })).structuredContent).name).toBe('Dropdown');
  });

  it('turns props into defaults through the AST and re-validates the result', async () => {
    const plain = outputSchema.parse((await call({ name: 'Button' })).structuredContent);
    const result = await call({ name: 'Button', props: { variant: 'secondary', size: 'lg' } });
    expect(result.isError).toBeFalsy();
    const output = outputSchema.parse(result.structuredContent);
    const source = output.files.find((file) => file.path === 'Button.tsx')!.contents;
    expect(source).toMatch(/variant = "secondary"/);
    expect(source).toMatch(/size = "lg"/);
    expect(output.hash).not.toBe(plain.hash);
    expect(() => parse(source, { sourceType: 'module', plugins: ['typescript', 'jsx'] })).not.toThrow();
  });

  it('refuses props the component does not have, and values of the wrong type, naming them', async () => {
    const unknown = await call({ name: 'Button', props: { colour: 'red' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('colour');
    const wrongType = await call({ name: 'Button', props: { variant: 'huge' } });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toContain('variant');
  });

  it('keeps string props from injecting code', async () => {
    const hostile = '"; alert(1); const x = "</script>`${process.exit()}`';
    const result = await call({ name: 'Button', props: { label: hostile } });
    expect(result.isError).toBeFalsy();
    const source = outputSchema.parse(result.structuredContent).files.find((file) => file.path === 'Button.tsx')!.contents;
    const statementTypes = (code: string) => parse(code, { sourceType: 'module', plugins: ['typescript', 'jsx'] }).program.body.map((node) => node.type);
    expect(statementTypes(source)).toEqual(statementTypes(readFileSync('ui-reference/Button/Button.tsx', 'utf8')));
    expect(readDefaultProps(source, 'Button').label).toBe(hostile);
    expect(source).not.toContain('</script>');
  });

  it.each([['../../etc/passwd'], ['/etc/passwd'], ['Button\u0000'], ['C:\\Windows'], ['Bu\u200btton'], ['']])('refuses the hostile name %j with a clear error', async (name) => {
    const result = await call({ name });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/not a component name|name/i);
  });

  it('answers an unknown component without a description with the closest catalog names and what generation needs', async () => {
    const result = await call({ name: 'Buton' });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Button');
    expect(text(result)).toMatch(/pass a description/);
  });

  it('strips the types for format "jsx"', async () => {
    const output = outputSchema.parse((await call({ name: 'Switch', format: 'jsx' })).structuredContent);
    const main = output.files.find((file) => file.path === 'Switch.jsx')!;
    expect(main.contents).not.toMatch(/interface SwitchProps|: React\./);
    expect(() => parse(main.contents, { sourceType: 'module', plugins: ['jsx'] })).not.toThrow();
    expect(output.files.some((file) => file.path.endsWith('.tsx'))).toBe(false);
  });

  it('binds the component variables in the theme CSS it returns with a theme', async () => {
    const output = outputSchema.parse((await call({ name: 'Button', theme: tinyTheme })).structuredContent);
    expect(output.themeCss).toContain('--button-primary-background: var(--dspec-color-brand)');
    expect(output.themeCss).toContain('--dspec-color-brand: var(--semantic-background-brand-default)');
  });

  it('serves the catalog index and each component as resources, with name completion', async () => {
    const index = await client.readResource({ uri: 'dspec://catalog' });
    const catalog = JSON.parse((index.contents[0] as { text: string }).text);
    expect(catalog.components).toHaveLength(20);
    expect(catalog.components[0].uri).toMatch(/^dspec:\/\/components\//);
    const button = await client.readResource({ uri: 'dspec://components/Button' });
    const body = JSON.parse((button.contents[0] as { text: string }).text);
    expect(body.meta.name).toBe('Button');
    expect(body.files.map((file: { path: string }) => file.path)).toContain('Button.tsx');
    const listed = await client.listResources();
    expect(listed.resources.map((resource) => resource.uri)).toContain('dspec://components/Tabs');
    const completion = await client.complete({ ref: { type: 'ref/resource', uri: 'dspec://components/{name}' }, argument: { name: 'name', value: 'Ta' } });
    expect(completion.completion.values).toEqual(expect.arrayContaining(['Table', 'Tabs']));
    await expect(client.readResource({ uri: 'dspec://components/..%2F..%2Fetc%2Fpasswd' })).rejects.toThrow();
  });
});

describe('the generation prompts as MCP prompts', () => {
  it('lists each versioned prompt and renders it with its arguments, refusing a missing required one', async () => {
    const deps = testServerDeps();
    const { server, cleanup } = createServer(deps);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = new Client({ name: 'prompts', version: '1.0.0' });
    await client.connect(clientTransport);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain('component-generation');
    const rendered = await client.getPrompt({ name: 'component-generation', arguments: { name: 'StatCard', description: 'A key figure card.', outputSchema: '{}' } });
    const text = (rendered.messages[0]!.content as { text: string }).text;
    expect(text).toContain('StatCard');
    expect(text).toContain('A key figure card.');
    await expect(client.getPrompt({ name: 'component-generation', arguments: { description: 'x' } })).rejects.toThrow();
    await client.close();
    await cleanup();
  });
});
