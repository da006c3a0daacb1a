import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DspecError, InputError } from '../../src/errors.js';
import { readDefaultProps, readDestructuredProps } from '../../src/catalog/apply-default-props.js';
import { CATALOG_VERSION, closestNames, findComponent, loadCatalog, readComponentFiles, requireComponent, TIER1_COMPONENT_COUNT, type Catalog } from '../../src/catalog/catalog.js';
import { ComponentMetaSchema } from '../../src/catalog/component-meta.js';
import { CONTRACT_VARIABLE_NAMES } from '../../src/catalog/contract.js';

const UI_REFERENCE = path.resolve('ui-reference');
const CORE = [
  'Button',
  'Input',
  'Card',
  'Text',
  'Heading',
  'Image',
  'Link',
  'List',
  'Form',
  'Modal',
  'Tabs',
  'Table',
  'Badge',
  'Avatar',
  'Dropdown',
  'Checkbox',
  'Radio',
  'Switch',
  'Slider',
  'Progress',
];

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function read(name: string, file: string): string {
  return readFileSync(path.join(UI_REFERENCE, name, file), 'utf8');
}

/** Custom properties a component reads, from its stylesheet and its TSX. */
function variablesUsedBy(name: string): string[] {
  const text = `${read(name, `${name}.module.css`)}\n${read(name, `${name}.tsx`)}`;
  return [...new Set([...text.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)].map((match) => match[1]!))].sort();
}

describe('the Tier 1 catalog index', () => {
  it('loads the 20 core components from the package root, each with valid metadata', () => {
    expect(catalog.version).toBe(CATALOG_VERSION);
    expect(catalog.root).toBe(UI_REFERENCE);
    expect([...catalog.components.keys()].sort()).toEqual([...CORE].sort());
    expect(catalog.components.size).toBe(TIER1_COMPONENT_COUNT);
    for (const entry of catalog.components.values()) expect(ComponentMetaSchema.safeParse(entry.meta).success).toBe(true);
  });

  it('is read once and cached', async () => {
    expect(await loadCatalog()).toBe(catalog);
    expect(await loadCatalog(UI_REFERENCE)).toBe(catalog);
  });

  it.each(CORE)('%s ships its component, styles, test, stories, barrel and metadata', (name) => {
    const entry = catalog.components.get(name)!;
    for (const file of [`${name}.tsx`, `${name}.module.css`, `${name}.test.tsx`, `${name}.stories.tsx`, 'index.ts', 'meta.json']) {
      expect(entry.files).toContain(`${name}/${file}`);
    }
    expect(read(name, 'index.ts')).toBe(`export { ${name} } from './${name}';\nexport type { ${name}Props } from './${name}';\n`);
  });

  it('reads the files of a component as bundle files', async () => {
    const files = await readComponentFiles(catalog, catalog.components.get('Badge')!);
    expect(files.map((file) => file.path)).toContain('Badge/Badge.tsx');
    expect(files.find((file) => file.path === 'Badge/Badge.tsx')?.contents).toContain('export function Badge');
  });
});

describe('finding a component', () => {
  it.each([
    ['button', 'Button'],
    ['BUTTON', 'Button'],
    ['Dialog', 'Modal'],
    ['Select', 'Dropdown'],
    ['Menu', 'Dropdown'],
    ['Toggle', 'Switch'],
    ['Textfield', 'Input'],
    ['TextInput', 'Input'],
    ['Typography', 'Text'],
    ['Paragraph', 'Text'],
    ['Title', 'Heading'],
    ['Tag', 'Badge'],
    ['Chip', 'Badge'],
    ['Anchor', 'Link'],
    ['ProgressBar', 'Progress'],
    ['RadioGroup', 'Radio'],
    ['Range', 'Slider'],
    ['Img', 'Image'],
    ['Picture', 'Image'],
  ])('finds %s as %s', (name, expected) => {
    expect(findComponent(catalog, name)?.meta.name).toBe(expected);
  });

  it('gives each name and alias to exactly one component', () => {
    const names = [...catalog.components.values()].flatMap((entry) => [entry.meta.name, ...entry.meta.aliases].map((name) => name.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });

  it('answers undefined for an unknown name, and suggests the closest names', () => {
    expect(findComponent(catalog, 'Carousel')).toBeUndefined();
    expect(closestNames(catalog, 'Buton', 3)).toEqual(['Button']);
    expect(closestNames(catalog, 'Dialgo', 3)).toContain('Modal');
    expect(closestNames(catalog, 'Zzzzzzzzzzzz', 3)).toEqual([]);
    let error: unknown;
    try {
      requireComponent(catalog, 'Chekbox');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DspecError);
    expect((error as DspecError).code).toBe('NOT_FOUND');
    expect((error as DspecError).suggestion).toContain('"Checkbox"');
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'Button/../Modal', 'C:\\Windows', 'Button\0', '..', '', 'Bu\u200Btton', '\uFF22utton', 'Button\u0301', 'Button ', '1Button', 'B'.repeat(65)])(
    'refuses the hostile name %j without touching the file system',
    (name) => {
      expect(() => findComponent(catalog, name)).toThrow(InputError);
      expect(() => requireComponent(catalog, name)).toThrow(InputError);
    },
  );
});

describe('component metadata matches the code', () => {
  it.each(CORE)('%s lists exactly the custom properties its CSS and TSX read, all from the contract', (name) => {
    const meta = catalog.components.get(name)!.meta;
    const used = variablesUsedBy(name);
    expect([...meta.cssVariables].sort()).toEqual(used);
    expect(used.filter((variable) => !CONTRACT_VARIABLE_NAMES.has(variable))).toEqual([]);
  });

  it.each(CORE)('%s declares the defaults its code applies', (name) => {
    const meta = catalog.components.get(name)!.meta;
    const codeDefaults = readDefaultProps(read(name, `${name}.tsx`), name);
    const metaDefaults = Object.fromEntries(Object.entries(meta.props).flatMap(([prop, spec]) => ('default' in spec && spec.default !== undefined ? [[prop, spec.default]] : [])));
    expect(metaDefaults).toEqual(codeDefaults);
  });

  it.each(CORE)('%s imports only react, react-dom, @radix-ui/* and relative files, and declares them', (name) => {
    const meta = catalog.components.get(name)!.meta;
    const source = `${read(name, `${name}.tsx`)}\n${read(name, 'index.ts')}`;
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1]!);
    const packages = specifiers.filter((specifier) => !specifier.startsWith('./'));
    expect(packages.filter((specifier) => !/^(react|react-dom|@radix-ui\/[a-z-]+)$/.test(specifier))).toEqual([]);
    for (const dependency of packages) expect(meta.dependencies).toHaveProperty([dependency]);
    expect(specifiers.filter((specifier) => specifier.startsWith('./')).every((specifier) => !specifier.includes('..'))).toBe(true);
  });

  it.each(CORE)('%s declares what its test and stories import', (name) => {
    const meta = catalog.components.get(name)!.meta;
    const source = `${read(name, `${name}.test.tsx`)}\n${read(name, `${name}.stories.tsx`)}`;
    const packages = [...source.matchAll(/\bfrom\s+'([^'.][^']*)'/g)].map((match) => match[1]!);
    for (const dependency of packages) expect({ ...meta.dependencies, ...meta.devDependencies }).toHaveProperty([dependency]);
  });

  it.each(CORE)('%s has no colour literals in its styles, component or stories', (name) => {
    const files = [`${name}.module.css`, `${name}.tsx`, `${name}.stories.tsx`].map((file) => read(name, file));
    const named = /(?<![\w-])(white|black|red|green|blue|gray|grey|silver|yellow|orange|purple|pink|navy|teal|maroon|olive|aqua|fuchsia|lime)(?![\w-])/i;
    for (const text of files) {
      expect(text).not.toMatch(/#[0-9a-fA-F]{3,8}\b/);
      expect(text).not.toMatch(/\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/);
    }
    const declarations = [...files[0]!.matchAll(/:\s*([^;{}]+);/g)].map((match) => match[1]!);
    expect(declarations.filter((value) => named.test(value))).toEqual([]);
  });

  it.each(CORE)('%s uses the React 19 ref prop and sets displayName', (name) => {
    const source = read(name, `${name}.tsx`);
    expect(readDestructuredProps(source, name)).toContain('ref');
    expect(source).toContain(`${name}.displayName = '${name}';`);
  });
});
