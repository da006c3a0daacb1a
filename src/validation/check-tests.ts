import type { NodePath } from '@babel/traverse';
import { traverse } from './babel-traverse.js';
import type { CallExpression, Node } from '@babel/types';
import { isTestFile, type Bundle } from '../shapes/bundle.js';
import type { ParsedBundle } from './check-syntax.js';
import { finding, type Finding } from '../shapes/finding.js';

/** `it`, `test`, and their modifiers (`it.only`, `test.each([...])`, `it.concurrent`). */
function testCaseName(callee: Node): string | undefined {
  if (callee.type === 'Identifier') return callee.name === 'it' || callee.name === 'test' ? callee.name : undefined;
  if (callee.type === 'MemberExpression') return testCaseName(callee.object);
  if (callee.type === 'CallExpression') return testCaseName(callee.callee);
  return undefined;
}

function isAssertion(node: CallExpression): boolean {
  let callee: Node = node.callee;
  while (callee.type === 'MemberExpression' || callee.type === 'CallExpression') callee = callee.type === 'MemberExpression' ? callee.object : callee.callee;
  return callee.type === 'Identifier' && /^(expect|assert|expectTypeOf)$/.test(callee.name);
}

/** Whether a JSX tree or createElement call mentions the component, e.g. `render(<Wrapper><Button/></Wrapper>)`. */
function mentionsComponent(node: Node | undefined, name: string): boolean {
  if (!node) return false;
  let found = false;
  traverse.cheap(node, (child) => {
    if (child.type === 'JSXIdentifier' && child.name === name) found = true;
    if (child.type === 'Identifier' && child.name === name) found = true;
  });
  return found;
}

function isRenderCall(node: CallExpression): boolean {
  const callee = node.callee;
  if (callee.type === 'Identifier') return /^(render|renderToString|renderToStaticMarkup|mount)$/.test(callee.name);
  return callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'render';
}

/** Layer 6: test files hold test cases, every case asserts, and the component is actually rendered. */
export function checkTests(bundle: Bundle, parsed: ParsedBundle): Finding[] {
  const findings: Finding[] = [];
  for (const file of bundle.files) {
    if (!isTestFile(file.path)) continue;
    const ast = parsed.code.get(file.path);
    if (!ast) continue;
    let cases = 0;
    let rendersComponent = false;
    traverse(ast, {
      CallExpression(path: NodePath<CallExpression>) {
        const { node } = path;
        if (isRenderCall(node) && mentionsComponent(node.arguments[0], bundle.name)) rendersComponent = true;
        if (!testCaseName(node.callee)) return;
        const body = [...node.arguments].reverse().find((argument) => argument.type === 'ArrowFunctionExpression' || argument.type === 'FunctionExpression');
        if (!body) return;
        cases++;
        let asserts = false;
        traverse.cheap(body, (child) => {
          if (child.type === 'CallExpression' && isAssertion(child)) asserts = true;
        });
        if (!asserts) {
          const title = node.arguments[0]?.type === 'StringLiteral' ? `"${node.arguments[0].value}"` : 'a test case';
          findings.push(
            finding({
              layer: 'tests',
              severity: 'error',
              code: 'test-no-assertion',
              message: `${title} makes no assertion`,
              file: file.path,
              line: node.loc?.start.line ?? 0,
              column: (node.loc?.start.column ?? 0) + 1,
              suggestion: 'Assert something observable, e.g. expect(screen.getByRole("button")).toBeDefined().',
            }),
          );
        }
      },
    });
    if (cases === 0) {
      findings.push(
        finding({
          layer: 'tests',
          severity: 'error',
          code: 'test-no-cases',
          message: `${file.path} contains no it(...) or test(...) case`,
          file: file.path,
          line: 1,
          column: 1,
          suggestion: 'Add at least one it("renders", () => { … }) case.',
        }),
      );
    }
    if (!rendersComponent) {
      findings.push(
        finding({
          layer: 'tests',
          severity: 'error',
          code: 'test-no-render',
          message: `${file.path} never renders ${bundle.name}`,
          file: file.path,
          line: 1,
          column: 1,
          suggestion: `Render it: render(<${bundle.name} />) from @testing-library/react.`,
        }),
      );
    }
  }
  return findings;
}
