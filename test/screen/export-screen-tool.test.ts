import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/server';
import { CallToolResultSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryExportStore } from '../../src/screen/export-store.js';
import { outputSchema, registerExportScreenTool, type ExportScreenToolOptions } from '../../src/server/tools/export-screen.js';
import { testServerDeps } from '../helpers/test-runtime.js';
import { teamPageBlueprint } from '../helpers/team-page-blueprint.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function connect(cwd: string, options: ExportScreenToolOptions = {}, roots?: string[]) {
  const server = new McpServer({ name: 'test', version: '1.0.0' }, { capabilities: { tools: {}, resources: {} } });
  registerExportScreenTool(server, testServerDeps({ cwd }), options);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  // A client with roots declares the capability and answers roots/list, as the SDK's Client requires.
  const client = new Client({ name: 'test', version: '1.0.0' }, roots ? { capabilities: { roots: { listChanged: false } } } : undefined);
  if (roots) client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map((root) => ({ uri: pathToFileURL(root).href, name: path.basename(root) })) }));
  await client.connect(clientTransport);
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

const tempRoot = () => realpathSync(mkdtempSync(path.join(tmpdir(), 'dspec-export-tool-')));

describe('export_screen over MCP', { timeout: 180_000 }, () => {
  it('answers inline with structured content, the files and their contents', async () => {
    const client = await connect(tempRoot());
    const result = await client.callTool({ name: 'export_screen', arguments: { screen: JSON.stringify(teamPageBlueprint), includeTests: false } });
    expect(result.isError).toBeFalsy();
    const output = outputSchema.parse(result.structuredContent);
    expect(output).toMatchObject({ success: true, screenName: 'TeamPage', delivery: 'inline' });
    expect(output.files.map((file) => file.path)).toContain('TeamPage.tsx');
    expect(output.files.every((file) => typeof file.contents === 'string' && file.bytes === Buffer.byteLength(file.contents))).toBe(true);
    expect(output.warnings).toContainEqual(expect.stringContaining('handler "handleInvite"'));
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toContain('// ── TeamPage.tsx ──');
  });

  it('sends progress notifications when the client asks for them', async () => {
    const client = await connect(tempRoot());
    const progress: Array<{ progress: number; total?: number }> = [];
    const result = await client.request(
      { method: 'tools/call', params: { name: 'export_screen', arguments: { screen: teamPageBlueprint }, _meta: { progressToken: 'export-1' } } },
      CallToolResultSchema,
      {
        onprogress: (event) => progress.push(event),
      },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.map((event) => event.progress)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.every((event) => event.total === 5)).toBe(true);
  });

  it('writes into outDir inside the working directory, refuses to overwrite, and previews with dryRun', async () => {
    const root = tempRoot();
    const client = await connect(root);
    const first = outputSchema.parse((await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir: 'src/team' } })).structuredContent);
    expect(first).toMatchObject({ success: true, delivery: 'written', written: { outDir: 'src/team', overwritten: [], unchanged: [] } });
    expect(first.files.every((file) => file.contents === undefined)).toBe(true);
    expect(readFileSync(path.join(root, 'src/team/TeamPage.tsx'), 'utf8')).toContain('export function TeamPage()');

    const changed = { ...teamPageBlueprint, components: [...teamPageBlueprint.components, { type: 'Badge', children: ['new'] }] };
    const refused = await client.callTool({ name: 'export_screen', arguments: { screen: changed, outDir: 'src/team' } });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(/already exist with other contents: .*TeamPage.tsx.*nothing was written/);

    const preview = outputSchema.parse((await client.callTool({ name: 'export_screen', arguments: { screen: changed, outDir: 'src/team', dryRun: true } })).structuredContent);
    expect(preview.dryRun).toBe(true);
    expect(preview.written?.overwritten).toEqual(expect.arrayContaining(['TeamPage.tsx', 'index.ts']));
    expect(preview.written?.created).toEqual(expect.arrayContaining(['components/Badge/Badge.tsx']));
    expect(preview.written?.unchanged).toEqual(expect.arrayContaining(['theme.css']));
    expect(readFileSync(path.join(root, 'src/team/TeamPage.tsx'), 'utf8')).not.toContain('Badge');
  });

  it('refuses outDir outside the working directory', async () => {
    const client = await connect(tempRoot());
    for (const outDir of ['../escape', '/tmp/escape']) {
      const result = await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir } });
      expect(result.isError).toBe(true);
      expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/outside the working directory|is absolute/);
    }
  });

  it('offers exports over the inline limit as export:// resources', async () => {
    const client = await connect(tempRoot(), { store: new MemoryExportStore(), inlineLimitBytes: 1000 });
    const output = outputSchema.parse((await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint } })).structuredContent);
    expect(output.delivery).toBe('resources');
    const screenFile = output.files.find((file) => file.path === 'TeamPage.tsx')!;
    expect(screenFile.contents).toBeUndefined();
    expect(screenFile.uri).toBe(`export://${output.exportId}/TeamPage.tsx`);
    const read = await client.readResource({ uri: screenFile.uri! });
    expect((read.contents[0] as { text: string }).text).toContain('export function TeamPage()');
    const nested = output.files.find((file) => file.path === 'components/Button/Button.tsx')!;
    expect(((await client.readResource({ uri: nested.uri! })).contents[0] as { text: string }).text).toContain('export function Button');
    await expect(client.readResource({ uri: `export://${output.exportId}/missing.tsx` })).rejects.toThrow(/no file/);
  });

  it('answers success: false with per-component errors when a type needs a provider', async () => {
    const client = await connect(tempRoot());
    const result = await client.callTool({ name: 'export_screen', arguments: { screen: { ...teamPageBlueprint, components: [{ type: 'OrgChart', props: {} }] } } });
    const output = outputSchema.parse(result.structuredContent);
    expect(output).toMatchObject({ success: false, delivery: 'none', files: [] });
    expect(output.components[0]).toMatchObject({ type: 'OrgChart', tier: 'tier2', status: 'failed' });
  });

  it('answers an invalid screen with an isError result naming the path', async () => {
    const client = await connect(tempRoot());
    const result = await client.callTool({ name: 'export_screen', arguments: { screen: { ...teamPageBlueprint, components: [{ type: 'Button', props: { variant: 'huge' } }] } } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('components[0].props.variant');
  });

  it("writes inside the client's roots when the client declares them, and nowhere else", async () => {
    const cwd = tempRoot();
    const project = tempRoot();
    const other = tempRoot();
    const client = await connect(cwd, {}, [project, other]);
    const relative = outputSchema.parse((await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir: 'src/team', includeTests: false } })).structuredContent);
    expect(relative.delivery).toBe('written');
    // A relative outDir is taken from the first root, not from the server's working directory.
    expect(readFileSync(path.join(project, 'src/team/TeamPage.tsx'), 'utf8')).toContain('export function TeamPage()');
    const absolute = await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir: path.join(other, 'ui'), includeTests: false } });
    expect(absolute.isError).toBeFalsy();
    expect(readFileSync(path.join(other, 'ui/TeamPage.tsx'), 'utf8')).toContain('TeamPage');
    for (const outDir of [path.join(cwd, 'ui'), '../escape']) {
      const refused = await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir, includeTests: false } });
      expect(refused.isError, outDir).toBe(true);
      expect((refused.content as Array<{ text: string }>)[0]!.text).toContain("outside the client's roots");
    }
  });

  it('falls back to the working directory when the client lists no roots', async () => {
    const cwd = tempRoot();
    const client = await connect(cwd, {}, []);
    const output = outputSchema.parse((await client.callTool({ name: 'export_screen', arguments: { screen: teamPageBlueprint, outDir: 'out', includeTests: false } })).structuredContent);
    expect(output.written?.outDir).toBe('out');
    expect(readFileSync(path.join(cwd, 'out/TeamPage.tsx'), 'utf8')).toContain('TeamPage');
  });
});
