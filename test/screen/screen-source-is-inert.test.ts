import { parse } from '@babel/parser';
import type * as t from '@babel/types';
import { describe, expect, it } from 'vitest';
import { exportScreen } from '../../src/screen/export-screen.js';
import { traverse } from '../../src/validation/babel-traverse.js';
import { testGate } from '../helpers/test-gate.js';

/**
 * Text and prop values of a screen become literals of the generated source, never code. The
 * generated screen is parsed and its AST inspected: the only calls are the layout's
 * `[...].join(" ")`, the only identifiers are imports, `styles` and `join`, and every hostile
 * string arrives intact as a string.
 */

const HOSTILE = [
  '</script><script>alert(1)</script>',
  '{alert(1)}',
  '${x}',
  '`${globalThis.alert(1)}`',
  '"); alert(1); ("',
  "'; alert(1); '",
  '<img src=x onerror=alert(1)>',
  '*/ alert(1) /*',
  '\\u0061lert(1)',
  'line\nbreak\u2028separator',
  '  padded  ',
  '&amp; &lt;',
];

function screenWith(texts: string[]) {
  return {
    id: 'hostile-screen',
    name: 'Hostile',
    shell: 'shell.web.dashboard',
    page: 'page.dashboard',
    sections: [
      {
        id: 'texts',
        pattern: 'section.stack',
        components: [
          ...texts.map((text) => ({ type: 'Text', props: {}, children: [text] })),
          { type: 'Card', props: {}, children: ['before', { type: 'Badge', props: { label: texts[0] } }, texts[1]!] },
          ...texts.map((text) => ({ type: 'Button', props: { label: text, variant: 'secondary' } })),
          { type: 'Table', props: { columns: [{ id: '__proto__', label: '`${x}`' }], data: [JSON.parse(`{"__proto__": "{alert(1)}", "x": "\\"'\`"}`)], caption: texts[2] } },
          { type: 'Modal', props: { title: texts[3], onClose: 'handleClose' } },
        ],
      },
    ],
  };
}

function stringsOf(ast: t.File): Set<string> {
  const strings = new Set<string>();
  traverse.cheap(ast, (node) => {
    if (node.type === 'StringLiteral') strings.add(node.value);
    if (node.type === 'JSXText' && node.value.trim()) strings.add(node.value);
  });
  return strings;
}

describe('the generated screen cannot carry code from the screen definition', () => {
  it('renders hostile text and prop values as literals, and the export still passes the gate', async () => {
    const result = await exportScreen({ screen: screenWith(HOSTILE) }, { gate: testGate() });
    expect(result.findings).toEqual([]);
    expect(result.success).toBe(true);
    const source = result.files.find((file) => file.path === 'HostileScreen.tsx')!.contents;
    const ast = parse(source, { sourceType: 'module', plugins: ['jsx', 'typescript'] });

    const identifiers = new Set<string>();
    const calls: string[] = [];
    traverse.cheap(ast, (node) => {
      if (node.type === 'Identifier') identifiers.add(node.name);
      if (node.type === 'CallExpression') calls.push(node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier' ? node.callee.property.name : node.callee.type);
      expect(
        ['TemplateLiteral', 'TaggedTemplateExpression', 'ArrowFunctionExpression', 'FunctionExpression', 'NewExpression', 'JSXSpreadAttribute'],
        `a ${node.type} in the screen source`,
      ).not.toContain(node.type);
    });
    expect(calls.every((callee) => callee === 'join')).toBe(true);
    const allowed = new Set(['styles', 'join', 'shell', 'page', 'pageWide', 'stack', 'HostileScreen', 'Text', 'Card', 'Badge', 'Button', 'Table', 'Modal', 'columns', 'data', 'id', 'label', 'x']);
    expect([...identifiers].filter((name) => !allowed.has(name))).toEqual([]);

    const strings = stringsOf(ast);
    for (const text of HOSTILE) expect(strings, JSON.stringify(text)).toContain(text);
    expect(source).not.toContain('handleClose');
  });

  it('keeps a __proto__ key of a table row as an own property (a computed key, not the prototype)', async () => {
    const result = await exportScreen({ screen: screenWith(['a', 'b', 'c', 'd']) }, { gate: testGate() });
    const source = result.files.find((file) => file.path === 'HostileScreen.tsx')!.contents;
    expect(source).toContain('["__proto__"]: "{alert(1)}"');
    expect(source).not.toMatch(/[^"[]__proto__:/);
  });

  it('omits handler names and reports each one as a warning with its path', async () => {
    const result = await exportScreen({ screen: screenWith(['a', 'b', 'c', 'd']) }, { gate: testGate() });
    expect(result.warnings).toContainEqual(expect.stringMatching(/^sections\[0\]\.components\[\d+\]\.props\.onClose: handler "handleClose" is a name, not code/));
    expect(result.files.find((file) => file.path === 'README.md')!.contents).toContain('Handlers to wire');
  });
});
