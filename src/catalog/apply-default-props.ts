import { parse } from '@babel/parser';
import type * as t from '@babel/types';
import { InputError, issuesFromZod, type ErrorIssue } from '../errors.js';
import { evaluateLiteral } from '../infra/evaluate-literal.js';
import type { ComponentMeta } from './component-meta.js';
import { partialPropsSchemaFor } from './props-schema.js';

/**
 * Sets the default values of a Tier 1 component's props in its source: the destructuring
 * defaults of the component's parameter (`{ variant = 'primary' }`) are located in the AST and
 * replaced, or added, by splicing literals at the nodes' offsets. Formatting and comments stay
 * as written. Every inserted literal is escaped, re-parsed and compared with the requested
 * value, so a string can only ever become a string.
 */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface Edit {
  start: number;
  end: number;
  text: string;
  prop: string;
}

const PARSER_PLUGINS = ['typescript', 'jsx'] as const;

function parseModule(source: string): t.File {
  try {
    return parse(source, { sourceType: 'module', plugins: [...PARSER_PLUGINS] });
  } catch (cause) {
    throw new InputError(`The component source does not parse: ${(cause as Error).message}`, { cause });
  }
}

function functionOf(node: t.Node | null | undefined): t.Function | undefined {
  if (!node) return undefined;
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') return node;
  // forwardRef(function X(props, ref) {…}), memo(…)
  if (node.type === 'CallExpression') return functionOf(node.arguments[0]);
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression') return functionOf(node.expression);
  return undefined;
}

/** The top-level function named `componentName`, exported or not. */
function findComponentFunction(program: t.Program, componentName: string): t.Function | undefined {
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (!declaration) continue;
    if (declaration.type === 'FunctionDeclaration' && declaration.id?.name === componentName) return declaration;
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.id.name === componentName) return functionOf(declarator.init);
      }
    }
  }
  return undefined;
}

function propsPattern(source: string, componentName: string): { file: t.File; pattern: t.ObjectPattern } {
  const file = parseModule(source);
  const component = findComponentFunction(file.program, componentName);
  if (!component) {
    throw new InputError(`No top-level function component named ${componentName} in the source.`);
  }
  const first = component.params[0];
  const pattern = first?.type === 'AssignmentPattern' ? first.left : first;
  if (pattern?.type !== 'ObjectPattern') {
    throw new InputError(`${componentName} does not destructure its props in its parameter, so its defaults cannot be set.`);
  }
  return { file, pattern };
}

function keyName(property: t.ObjectProperty): string | undefined {
  if (property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'StringLiteral') return property.key.value;
  return undefined;
}

/** The destructured props of the component, by name. */
function destructuredProps(pattern: t.ObjectPattern): Map<string, t.ObjectProperty> {
  const props = new Map<string, t.ObjectProperty>();
  for (const property of pattern.properties) {
    if (property.type !== 'ObjectProperty') continue;
    const name = keyName(property);
    if (name !== undefined) props.set(name, property);
  }
  return props;
}

// Callers catch it: a default that is not plain data (`useId()`) is simply not a literal default.
const notALiteral = (problem: string) => new Error(problem);

/** Literal default values of the component's destructured props (`{ size = 'md' }` → `{ size: 'md' }`). */
export function readDefaultProps(source: string, componentName: string): Record<string, JsonValue> {
  const { pattern } = propsPattern(source, componentName);
  const defaults: Record<string, JsonValue> = {};
  for (const [name, property] of destructuredProps(pattern)) {
    if (property.value.type !== 'AssignmentPattern') continue;
    try {
      defaults[name] = evaluateLiteral(property.value.right, notALiteral);
    } catch {
      // A computed default (`useId()`) is not a literal default.
    }
  }
  return defaults;
}

/** Names of the props the component destructures in its parameter, in source order. */
export function readDestructuredProps(source: string, componentName: string): string[] {
  return [...destructuredProps(propsPattern(source, componentName).pattern).keys()];
}

function assertJsonValue(value: unknown, where: string): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InputError(`${where}: ${value} is not a finite number.`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonValue(item, `${where}[${index}]`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__') throw new InputError(`${where}: the key "__proto__" is not allowed.`);
      assertJsonValue(item, `${where}.${key}`);
    }
    return;
  }
  throw new InputError(`${where}: only JSON values (text, numbers, booleans, null, arrays, plain objects) can be defaults.`);
}

/**
 * JSON text with every character that could end a string, a template or a script block
 * written as an escape, so the literal reads the same in a .tsx file and inlined in HTML.
 */
function toSourceLiteral(value: JsonValue): string {
  return JSON.stringify(value).replace(/[<>&`\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Returns `source` with the defaults of `componentName`'s props set to `props`.
 *
 * With `meta`, values are first validated against the component's props schema (unknown props
 * and wrong types are refused with every issue listed); handlers cannot be defaults. Props the
 * component does not destructure are refused by name.
 */
export function applyDefaultProps(source: string, componentName: string, props: Record<string, unknown>, meta?: ComponentMeta): string {
  const entries = Object.entries(props).filter(([, value]) => value !== undefined);
  if (meta) {
    const parsed = partialPropsSchemaFor(meta).safeParse(props);
    if (!parsed.success) {
      const issues: ErrorIssue[] = issuesFromZod(parsed.error.issues);
      const unknown = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
      throw new InputError(unknown.length ? `${componentName} has no prop${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}.` : `Invalid props for ${componentName}.`, {
        issues,
        suggestion: `Props of ${componentName}: ${Object.keys(meta.props).join(', ')}.`,
      });
    }
    const handlers = entries.filter(([name]) => meta.props[name]?.type === 'function').map(([name]) => name);
    if (handlers.length) {
      throw new InputError(`${handlers.join(', ')} ${handlers.length > 1 ? 'are event handlers' : 'is an event handler'}: handlers are wired where the component is used, not given as defaults.`);
    }
  }

  const { pattern } = propsPattern(source, componentName);
  const destructured = destructuredProps(pattern);
  const missing = entries.map(([name]) => name).filter((name) => !destructured.has(name));
  if (missing.length) {
    throw new InputError(`${componentName} has no destructured prop${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}, so no default can be set.`, {
      suggestion: `Props that take defaults: ${[...destructured.keys()].filter((name) => name !== 'ref').join(', ')}.`,
    });
  }

  const edits: Edit[] = [];
  for (const [name, value] of entries) {
    assertJsonValue(value, name);
    const property = destructured.get(name)!;
    const literal = toSourceLiteral(value);
    const target = property.value;
    if (target.type === 'AssignmentPattern') {
      edits.push({ start: target.right.start!, end: target.right.end!, text: literal, prop: name });
    } else if (target.type === 'Identifier') {
      edits.push({ start: target.end!, end: target.end!, text: ` = ${literal}`, prop: name });
    } else {
      throw new InputError(`${componentName} destructures "${name}" further, so it cannot take a default.`);
    }
  }

  let output = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  }

  // Prove the splice did what it meant: the result parses and each default reads back as given.
  const { pattern: checked } = propsPattern(output, componentName);
  const after = destructuredProps(checked);
  for (const [name, value] of entries) {
    const property = after.get(name);
    const node = property?.value.type === 'AssignmentPattern' ? property.value.right : undefined;
    let readBack: JsonValue | undefined;
    try {
      readBack = node ? evaluateLiteral(node, notALiteral) : undefined;
    } catch {
      readBack = undefined;
    }
    if (readBack === undefined || !deepEqual(readBack, value as JsonValue)) {
      throw new InputError(`Setting the default of "${name}" did not round-trip; the source was left unchanged.`);
    }
  }
  return output;
}
