import { readFileSync } from 'node:fs';
import { parse } from '@babel/parser';
import type * as t from '@babel/types';
import { beforeAll, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { exportScreen, type ScreenExport } from '../../src/screen/export-screen.js';
import { describeWithShared, sharedPath } from '../helpers/shared-fixtures.js';
import { testGate } from '../helpers/test-gate.js';

/**
 * Every Tekton screen and blueprint of the shared fixtures exports, and each component a slot
 * names is rendered inside that slot: for blueprints, inside the element carrying
 * `data-slot="<slot>"` whose class sets `grid-area: <slot>`; for a Tekton `section.split`,
 * inside the wrapper of the split's primary (left/main) or secondary (right/sidebar) area.
 */

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

interface JsxInfo {
  name: string;
  attributes: Map<string, string>;
  children: JsxInfo[];
}

/** The JSX tree returned by the screen component: element names, literal/`styles.x` attributes, children. */
function screenTree(source: string): JsxInfo {
  const ast = parse(source, { sourceType: 'module', plugins: ['jsx', 'typescript'] });
  let root: t.JSXElement | undefined;
  for (const statement of ast.program.body) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'FunctionDeclaration') continue;
    const returned = statement.declaration.body.body.find((node): node is t.ReturnStatement => node.type === 'ReturnStatement');
    let argument = returned?.argument;
    while (argument?.type === 'ParenthesizedExpression') argument = argument.expression;
    if (argument?.type === 'JSXElement') root = argument;
  }
  if (!root) throw new Error('no JSX returned by the screen component');
  const convert = (element: t.JSXElement): JsxInfo => {
    const attributes = new Map<string, string>();
    for (const attribute of element.openingElement.attributes) {
      if (attribute.type !== 'JSXAttribute' || attribute.name.type !== 'JSXIdentifier') continue;
      const value = attribute.value;
      if (value?.type === 'StringLiteral') attributes.set(attribute.name.name, value.value);
      else if (value?.type === 'JSXExpressionContainer') {
        // className={styles.x} or className={[styles.a, styles.b].join(" ")}
        const classes: string[] = [];
        const collect = (node: t.Node) => {
          if (node.type === 'MemberExpression' && node.property.type === 'Identifier') {
            classes.push(node.property.name);
          } else if (node.type === 'ArrayExpression') {
            for (const item of node.elements) if (item) collect(item);
          } else if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
            collect(node.callee.object);
          }
        };
        collect(value.expression);
        attributes.set(attribute.name.name, classes.join(' '));
      }
    }
    const name = element.openingElement.name.type === 'JSXIdentifier' ? element.openingElement.name.name : '?';
    return { name, attributes, children: element.children.filter((child): child is t.JSXElement => child.type === 'JSXElement').map(convert) };
  };
  return convert(root);
}

function cssRuleOf(css: string, className: string): string {
  const match = new RegExp(`^\\.${className} \\{([^}]*)\\}`, 'm').exec(css);
  return match?.[1] ?? '';
}

async function exportFixture(folder: string, file: string): Promise<{ input: Record<string, unknown>; result: ScreenExport; tree: JsxInfo; css: string }> {
  const input = JSON.parse(readFileSync(sharedPath(folder, file), 'utf8')) as Record<string, unknown>;
  const result = await exportScreen({ screen: input, includeTests: false }, { gate: testGate(), catalog });
  expect(result.findings).toEqual([]);
  expect(result.success).toBe(true);
  const source = result.files.find((candidate) => candidate.path === `${result.screenName}.tsx`)!.contents;
  const css = result.files.find((candidate) => candidate.path === `${result.screenName}.module.css`)!.contents;
  return { input, result, tree: screenTree(source), css };
}

describeWithShared('the shared Tekton fixtures export with their slots honoured', () => {
  for (const file of ['account-sidebar-left.json', 'launch-landing.json']) {
    it(`blueprint ${file}`, async () => {
      const { input, tree, css, result } = await exportFixture('fixtures/tekton-blueprints', file);
      const components = input['components'] as Array<{ type: string; slot?: string }>;
      const regions = tree.children.filter((child) => child.attributes.has('data-slot'));
      const expected = new Map<string, string[]>();
      for (const component of components) expected.set(component.slot ?? 'main', [...(expected.get(component.slot ?? 'main') ?? []), component.type]);
      expect(new Map(regions.map((region) => [region.attributes.get('data-slot')!, region.children.map((child) => child.name)]))).toEqual(expected);
      for (const region of regions) {
        const slot = region.attributes.get('data-slot')!;
        // The region's class puts it in the grid area of the same name, and the layout has that area.
        expect(region.attributes.get('className')!.split(' ')).toContain(slot);
        expect(cssRuleOf(css, slot)).toContain(`grid-area: ${slot};`);
        expect(css).toMatch(new RegExp(`grid-template-areas:[^;]*\\b${slot}\\b`));
      }
      expect(result.warnings.filter((warning) => warning.includes('slot'))).toEqual([]);
    }, 300_000);
  }

  for (const file of ['dashboard-screen.json', 'detail-screen.json', 'settings-screen.json']) {
    it(`Tekton screen ${file}`, async () => {
      const { input, tree, css, result } = await exportFixture('fixtures/tekton-screens', file);
      const page = tree.children[0]!;
      const sections = input['sections'] as Array<{ id: string; pattern: string; components: Array<{ type: string; slot?: string }> }>;
      expect(page.children.map((section) => section.attributes.get('data-section'))).toEqual(sections.map((section) => section.id));
      sections.forEach((section, index) => {
        const rendered = page.children[index]!;
        if (section.pattern !== 'section.split') {
          // Other patterns place their components in order (metric-1, metric-2, …).
          expect(rendered.children.map((child) => child.name)).toEqual(section.components.map((component) => component.type));
          return;
        }
        section.components.forEach((component, position) => {
          const wrapper = rendered.children[position]!;
          const area = component.slot === 'left' || component.slot === 'main' ? 'primary' : 'secondary';
          expect(wrapper.attributes.get('className')).toBe(area);
          expect(wrapper.children.map((child) => child.name)).toEqual([component.type]);
          expect(cssRuleOf(css, area)).toContain(`grid-area: ${area};`);
        });
      });
      expect(result.warnings.filter((warning) => warning.includes('.slot'))).toEqual([]);
    }, 300_000);
  }
});
