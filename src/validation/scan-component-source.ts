import type { NodePath } from '@babel/traverse';
import { traverse } from './babel-traverse.js';
import type { File, Node, ObjectExpression, ObjectProperty, StringLiteral, TemplateLiteral } from '@babel/types';
import { isColourBearingProperty, CSS_COLOUR_FUNCTIONS, CSS_NAMED_COLOURS, isHexColour } from './css-named-colours.js';
import { findColourLiteralsInCssText, findColourLiteralsInValue, findVarReferences, type ColourHit } from './css-value-scan.js';

/** A finding-to-be inside one source file, positioned by offset into that file. */
export interface SourceHit {
  offset: number;
  message: string;
  text: string;
}

export interface ImportUse {
  specifier: string;
  offset: number;
  typeOnly: boolean;
}

/** Everything the design-system rules need from one TSX/TS file, gathered in one traversal. */
export interface ComponentSourceScan {
  colourLiterals: SourceHit[];
  varReferences: Array<{ name: string; offset: number; hasFallback: boolean }>;
  /** Custom properties the file sets itself (`style={{ '--gap': … }}`). */
  definedVariables: Set<string>;
  imports: ImportUse[];
  /** Names exported by `export const|function|class X` or `export { X }`. */
  namedExports: Set<string>;
  hasDefaultExport: boolean;
}

/** Tagged templates that hold CSS: css``, styled.div``, styled(X)``, createGlobalStyle``, keyframes``. */
function isCssTag(tag: Node): boolean {
  if (tag.type === 'Identifier') return /^(css|createGlobalStyle|injectGlobal|keyframes|global|styled|tw)$/.test(tag.name);
  if (tag.type === 'MemberExpression') return isCssTag(tag.object);
  if (tag.type === 'CallExpression') return isCssTag(tag.callee);
  return false;
}

/** Names that mark a value or object as styling: `styles`, `buttonStyle`, `cardCss`, `sx`. */
const STYLE_NAME = /(^|[a-z_])(style|styles|css|sx)$|^(style|styles|css|sx)[A-Z_]/i;
/** JSX attributes whose string value is a colour (SVG presentation attributes and their legacy kin). */
const COLOUR_ATTRIBUTES = new Set(['fill', 'stroke', 'color', 'stopColor', 'floodColor', 'lightingColor', 'bgcolor', 'bgColor', 'background']);
/** Tailwind-like arbitrary values: `bg-[#fff]`, `text-[rgb(0,0,0)]`, `[color:red]`, `[--brand:#fff]`. */
const ARBITRARY_VALUE = /(?:^|[\s"'`:!])(?:[a-z][a-z0-9-]*-\[([^\]\s]+)\]|\[([a-z-]+):([^\]\s]+)\])/gi;

function propertyKeyName(property: ObjectProperty): string | undefined {
  const key = property.key;
  if (key.type === 'Identifier' && !property.computed) return key.name;
  if (key.type === 'StringLiteral') return key.value;
  return undefined;
}

/** String pieces of a value expression: literals through conditionals, `||`, `+` and templates, never into calls or functions. */
function stringPieces(node: Node | null | undefined): Array<StringLiteral | TemplateLiteral> {
  if (!node) return [];
  switch (node.type) {
    case 'StringLiteral':
    case 'TemplateLiteral':
      return [node];
    case 'ConditionalExpression':
      return [...stringPieces(node.consequent), ...stringPieces(node.alternate)];
    case 'LogicalExpression':
    case 'BinaryExpression':
      return [...stringPieces(node.left), ...stringPieces(node.right)];
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return stringPieces(node.expression);
    default:
      return [];
  }
}

function textOf(piece: StringLiteral | TemplateLiteral): Array<{ text: string; offset: number }> {
  if (piece.type === 'StringLiteral') return [{ text: piece.value, offset: (piece.start ?? 0) + 1 }];
  return piece.quasis.map((quasi) => ({ text: quasi.value.cooked ?? quasi.value.raw, offset: quasi.start ?? 0 }));
}

function describe(hit: ColourHit): string {
  if (hit.kind === 'hex') return `hex colour ${hit.text}`;
  if (hit.kind === 'function') return `colour function ${hit.text}`;
  return `named colour "${hit.text}"`;
}

function arbitraryValueColour(value: string): ColourHit['kind'] | undefined {
  const text = value.replaceAll('_', ' ');
  if (/^#[0-9a-f]+$/i.test(text) && isHexColour(text.slice(1))) return 'hex';
  const fn = /^([a-z-]+)\(/i.exec(text);
  if (fn && CSS_COLOUR_FUNCTIONS.has(fn[1]!.toLowerCase())) return 'function';
  if (CSS_NAMED_COLOURS.has(text.toLowerCase())) return 'named';
  return undefined;
}

/** An object literal is a style object when it feeds `style`, is typed CSSProperties, or is named like styling. */
function isStyleObject(path: NodePath<ObjectExpression>): boolean {
  let current: NodePath = path;
  // Climb through nesting (`{ root: { color } }`) and wrappers (`as const`, `satisfies`).
  for (let depth = 0; depth < 6; depth++) {
    const parent = current.parentPath;
    if (!parent) return false;
    const node = parent.node;
    if (node.type === 'JSXExpressionContainer') {
      const attribute = parent.parentPath?.node;
      return attribute?.type === 'JSXAttribute' && attribute.name.type === 'JSXIdentifier' && /^(style|sx|css)$/.test(attribute.name.name);
    }
    if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression') {
      if (/CSSProperties|CSS\b/.test(typeAnnotationText(node.typeAnnotation))) return true;
    } else if (node.type === 'VariableDeclarator') {
      if (node.id.type === 'Identifier') {
        if (STYLE_NAME.test(node.id.name)) return true;
        if (node.id.typeAnnotation?.type === 'TSTypeAnnotation' && /CSSProperties/.test(typeAnnotationText(node.id.typeAnnotation.typeAnnotation))) {
          return true;
        }
      }
      return false;
    } else if (node.type === 'ObjectProperty') {
      const name = propertyKeyName(node);
      if (name && STYLE_NAME.test(name)) return true;
    } else if (node.type === 'ReturnStatement' || node.type === 'ArrowFunctionExpression') {
      return false;
    }
    current = parent;
  }
  return false;
}

function typeAnnotationText(node: Node): string {
  if (node.type === 'TSTypeReference') {
    const name = node.typeName;
    return name.type === 'Identifier' ? name.name : name.type === 'TSQualifiedName' ? `${name.left.type === 'Identifier' ? name.left.name : ''}.${name.right.name}` : '';
  }
  if (node.type === 'TSIndexedAccessType' || node.type === 'TSTypeOperator') return 'other';
  return '';
}

export function scanComponentSource(ast: File): ComponentSourceScan {
  const scan: ComponentSourceScan = {
    colourLiterals: [],
    varReferences: [],
    definedVariables: new Set(),
    imports: [],
    namedExports: new Set(),
    hasDefaultExport: false,
  };
  const reportValue = (text: string, offset: number, property: string | undefined, context: string) => {
    for (const hit of findColourLiteralsInValue(text, property)) {
      scan.colourLiterals.push({ offset: offset + hit.offset, text: hit.text, message: `${describe(hit)} in ${context}` });
    }
  };
  const reportCssText = (text: string, offset: number, context: string) => {
    for (const hit of findColourLiteralsInCssText(text)) {
      scan.colourLiterals.push({ offset: offset + hit.offset, text: hit.text, message: `${describe(hit)} in ${context}` });
    }
  };
  const addImport = (source: Node | null | undefined, typeOnly = false) => {
    if (source?.type === 'StringLiteral') scan.imports.push({ specifier: source.value, offset: source.start ?? 0, typeOnly });
  };

  traverse(ast, {
    ImportDeclaration(path) {
      addImport(path.node.source, path.node.importKind === 'type');
    },
    ExportAllDeclaration(path) {
      addImport(path.node.source, path.node.exportKind === 'type');
    },
    ExportDefaultDeclaration() {
      scan.hasDefaultExport = true;
    },
    ExportNamedDeclaration(path) {
      const { node } = path;
      addImport(node.source, node.exportKind === 'type');
      const declaration = node.declaration;
      if (declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration') {
        if (declaration.id) scan.namedExports.add(declaration.id.name);
      } else if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) if (declarator.id.type === 'Identifier') scan.namedExports.add(declarator.id.name);
      }
      if (!node.source) {
        for (const specifier of node.specifiers) {
          if (specifier.type !== 'ExportSpecifier') continue;
          const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
          if (exported === 'default') scan.hasDefaultExport = true;
          else scan.namedExports.add(exported);
        }
      }
    },
    CallExpression(path) {
      const { node } = path;
      if (node.callee.type === 'Import' || (node.callee.type === 'Identifier' && node.callee.name === 'require')) addImport(node.arguments[0]);
    },
    TSImportEqualsDeclaration(path) {
      const reference = path.node.moduleReference;
      if (reference.type === 'TSExternalModuleReference') addImport(reference.expression);
    },
    TaggedTemplateExpression(path) {
      if (!isCssTag(path.node.tag)) return;
      const { quasis } = path.node.quasi;
      // Interpolations become a neutral word, so the CSS around them still parses.
      const text = quasis.map((quasi) => quasi.value.raw).join('inherit');
      const start = quasis[0]?.start ?? 0;
      for (const hit of findColourLiteralsInCssText(text)) {
        scan.colourLiterals.push({ offset: start + hit.offset, text: hit.text, message: `${describe(hit)} in a CSS template` });
      }
    },
    ObjectProperty(path) {
      const name = propertyKeyName(path.node);
      if (name === undefined) return;
      if (name.startsWith('--')) scan.definedVariables.add(name);
      const parent = path.parentPath;
      const inStyleObject = parent?.isObjectExpression() === true && isStyleObject(parent);
      if (!inStyleObject && !isColourBearingProperty(name)) return;
      for (const piece of stringPieces(path.node.value)) {
        for (const { text, offset } of textOf(piece)) reportValue(text, offset, name, `style property "${name}"`);
      }
    },
    VariableDeclarator(path) {
      const { id, init } = path.node;
      if (id.type !== 'Identifier' || !STYLE_NAME.test(id.name)) return;
      for (const piece of stringPieces(init)) {
        for (const { text, offset } of textOf(piece)) {
          if (text.includes(':')) reportCssText(text, offset, `style string "${id.name}"`);
          else reportValue(text, offset, undefined, `style string "${id.name}"`);
        }
      }
    },
    JSXAttribute(path) {
      const { node } = path;
      if (node.name.type !== 'JSXIdentifier') return;
      const attribute = node.name.name;
      const value = node.value;
      const pieces = value?.type === 'StringLiteral' ? [value] : value?.type === 'JSXExpressionContainer' ? stringPieces(value.expression) : [];
      if (attribute === 'style') {
        for (const piece of pieces) for (const { text, offset } of textOf(piece)) reportCssText(text, offset, 'a style attribute');
      } else if (COLOUR_ATTRIBUTES.has(attribute)) {
        for (const piece of pieces) for (const { text, offset } of textOf(piece)) reportValue(text, offset, 'color', `the ${attribute} attribute`);
      }
    },
    StringLiteral(path) {
      scanStringForCss(path.node.value, (path.node.start ?? 0) + 1, scan);
    },
    TemplateElement(path) {
      scanStringForCss(path.node.value.raw, path.node.start ?? 0, scan);
    },
  });
  return scan;
}

/** Every string may carry `var(--x)` references or Tailwind-like arbitrary colours; prose and comments are never strings here. */
function scanStringForCss(text: string, offset: number, scan: ComponentSourceScan): void {
  if (text.includes('var(')) {
    for (const reference of findVarReferences(text)) scan.varReferences.push({ ...reference, offset: offset + reference.offset });
  }
  if (!text.includes('[')) return;
  for (const match of text.matchAll(ARBITRARY_VALUE)) {
    const value = match[1] ?? match[3]!;
    const kind = arbitraryValueColour(value);
    if (kind) {
      const token = match[0].replace(/^[\s"'`:!]/, '');
      scan.colourLiterals.push({
        offset: offset + match.index + match[0].length - token.length,
        text: token,
        message: `${kind === 'hex' ? 'hex colour' : kind === 'function' ? 'colour function' : 'named colour'} in the arbitrary class value "${token}"`,
      });
    }
  }
}
