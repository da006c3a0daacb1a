import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findComponent, loadCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { propsSchemaFor } from '../../src/catalog/props-schema.js';

const SCREENS = path.resolve('../shared/fixtures/tekton-screens');
const available = existsSync(SCREENS);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`${SCREENS} is missing: under CI the shared fixtures are required.`);
}

interface ScreenNode {
  type: string;
  props: Record<string, unknown>;
  children?: Array<ScreenNode | string>;
}

function nodesOf(screen: { sections: Array<{ components: ScreenNode[] }> }): ScreenNode[] {
  const nodes: ScreenNode[] = [];
  const visit = (node: ScreenNode) => {
    nodes.push(node);
    for (const child of node.children ?? []) if (typeof child !== 'string') visit(child);
  };
  for (const section of screen.sections) section.components.forEach(visit);
  return nodes;
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

describe.skipIf(!available)('the props of the Tekton screen fixtures', () => {
  const files = available ? readdirSync(SCREENS).filter((file) => file.endsWith('-screen.json')) : [];

  it('are three screens', () => {
    expect(files).toHaveLength(3);
  });

  it.each(files)('%s: every component node validates against the props schema of its type', (file) => {
    const screen = JSON.parse(readFileSync(path.join(SCREENS, file), 'utf8'));
    const nodes = nodesOf(screen);
    expect(nodes.length).toBeGreaterThan(0);
    const failures = nodes.flatMap((node) => {
      const entry = findComponent(catalog, node.type);
      if (!entry) return [`${node.type}: not in the catalog`];
      const result = propsSchemaFor(entry.meta).safeParse(node.props);
      return result.success ? [] : result.error.issues.map((issue) => `${node.type}.${issue.path.join('.')}: ${issue.message}`);
    });
    expect(failures).toEqual([]);
  });

  it('together use 19 of the 20 components', () => {
    const types = new Set(files.flatMap((file) => nodesOf(JSON.parse(readFileSync(path.join(SCREENS, file), 'utf8'))).map((node) => node.type)));
    expect(types.size).toBe(19);
  });
});

if (!available) {
  describe('the props of the Tekton screen fixtures', () => {
    it.skip('../shared/fixtures/tekton-screens is not here: these checks run in the dspec workspace and under CI', () => {});
  });
}

describe('the derived props schemas', () => {
  it('refuse unknown props and wrong types, and accept handler names for event props', () => {
    const button = propsSchemaFor(catalog.components.get('Button')!.meta);
    expect(button.safeParse({ variant: 'primary', onClick: 'handleClick' }).success).toBe(true);
    expect(button.safeParse({ variant: 'primary', colour: 'red' }).success).toBe(false);
    expect(button.safeParse({ variant: 'giant' }).success).toBe(false);
    expect(button.safeParse({ onClick: 'alert(1)' }).success).toBe(false);
  });

  it('check required props and the fields of array items', () => {
    const tabs = propsSchemaFor(catalog.components.get('Tabs')!.meta);
    expect(tabs.safeParse({}).success).toBe(false);
    expect(tabs.safeParse({ tabs: [{ id: 'a', label: 'A' }] }).success).toBe(true);
    expect(tabs.safeParse({ tabs: [{ id: 'a' }] }).success).toBe(false);
    expect(tabs.safeParse({ tabs: [{ id: 'a', label: 'A', icon: 'x' }] }).success).toBe(false);
    const table = propsSchemaFor(catalog.components.get('Table')!.meta);
    expect(table.safeParse({ columns: [{ id: 'a', label: 'A' }], data: [{ a: 1, b: null }] }).success).toBe(true);
    expect(table.safeParse({ columns: [{ id: 'a', label: 'A' }], data: [{ a: { nested: true } }] }).success).toBe(false);
  });
});
