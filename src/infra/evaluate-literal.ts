import type * as t from '@babel/types';

/** What a literal expression can hold: plain JSON data. */
export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [key: string]: LiteralValue };

/**
 * The value of an expression that is plain data: strings, numbers (with a leading minus),
 * booleans, null, and arrays and objects of them. Anything else (a call, a hole, a spread, a
 * key computed from something other than a string) is refused through `refuse`, which is told
 * what was found. Keys become own properties, `__proto__` included, never the prototype.
 */
export function evaluateLiteral(node: t.Node, refuse: (problem: string) => Error): LiteralValue {
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return node.value;
    case 'NullLiteral':
      return null;
    case 'UnaryExpression':
      if (node.operator === '-' && node.argument.type === 'NumericLiteral') return -node.argument.value;
      break;
    case 'ArrayExpression':
      return node.elements.map((element) => {
        if (!element) throw refuse('a hole in an array');
        return evaluateLiteral(element, refuse);
      });
    case 'ObjectExpression': {
      const result: { [key: string]: LiteralValue } = {};
      for (const property of node.properties) {
        if (property.type !== 'ObjectProperty') throw refuse('an object member is not a plain property');
        const key = property.key;
        const name = key.type === 'Identifier' && !property.computed ? key.name : key.type === 'StringLiteral' ? key.value : undefined;
        if (name === undefined) throw refuse('a computed key');
        Object.defineProperty(result, name, { value: evaluateLiteral(property.value, refuse), enumerable: true, configurable: true, writable: true });
      }
      return result;
    }
    default:
      break;
  }
  throw refuse(`${node.type} where a literal belongs`);
}
