import { TokenRef } from './token-graph.js';

/**
 * Tokens Studio's math in values: `{space.base} * 0.25`, `({size.md} + 2) / 2`. The expression is
 * evaluated when every operand is a number with at most one unit among them (as Tokens Studio's own
 * transforms do: units stripped, arithmetic done, the unit put back); otherwise the caller emits
 * `calc(…)`. Anything that is not a whole arithmetic expression (`0 -1px 2px {color}`, a font
 * shorthand) is not math, and stays the author's text.
 */
type MathToken = { kind: 'number'; value: number; unit: string } | { kind: 'ref'; ref: TokenRef } | { kind: 'op'; op: string };

type MathNode =
  { kind: 'number'; value: number; unit: string } | { kind: 'ref'; ref: TokenRef } | { kind: 'binary'; op: string; left: MathNode; right: MathNode } | { kind: 'negate'; operand: MathNode };

const NUMBER = /^(\d+(?:\.\d+)?|\.\d+)(px|rem|em|%|ms|s|deg)?/;

/** The expression tree, or undefined when the parts are not one arithmetic expression with an operator. */
export function parseMath(parts: ReadonlyArray<string | TokenRef>): MathNode | undefined {
  const tokens = tokenize(parts);
  if (!tokens || !tokens.some((token) => token.kind === 'op' && token.op !== '(' && token.op !== ')')) return undefined;
  let position = 0;
  const peek = () => tokens[position];
  const isOp = (...ops: string[]) => {
    const token = peek();
    return token?.kind === 'op' && ops.includes(token.op);
  };
  let depth = 0;
  const expression = (): MathNode | undefined => {
    let left = term();
    while (left && isOp('+', '-')) {
      const op = (tokens[position++] as { op: string }).op;
      const right = term();
      left = right ? { kind: 'binary', op, left, right } : undefined;
    }
    return left;
  };
  const term = (): MathNode | undefined => {
    let left = unary();
    while (left && isOp('*', '/')) {
      const op = (tokens[position++] as { op: string }).op;
      const right = unary();
      left = right ? { kind: 'binary', op, left, right } : undefined;
    }
    return left;
  };
  const unary = (): MathNode | undefined => {
    if (isOp('-')) {
      position++;
      const operand = unary();
      return operand ? { kind: 'negate', operand } : undefined;
    }
    if (isOp('(')) {
      if (++depth > 32) return undefined;
      position++;
      const inner = expression();
      if (!inner || !isOp(')')) return undefined;
      position++;
      depth--;
      return inner;
    }
    const token = tokens[position++];
    if (token?.kind === 'number') return token;
    if (token?.kind === 'ref') return token;
    return undefined;
  };
  const tree = expression();
  return tree && position === tokens.length ? tree : undefined;
}

function tokenize(parts: ReadonlyArray<string | TokenRef>): MathToken[] | undefined {
  const tokens: MathToken[] = [];
  for (const part of parts) {
    if (part instanceof TokenRef) {
      tokens.push({ kind: 'ref', ref: part });
      continue;
    }
    let rest = part;
    while (rest.length) {
      const space = /^\s+/.exec(rest);
      if (space) {
        rest = rest.slice(space[0].length);
        continue;
      }
      if ('+-*/()'.includes(rest[0]!)) {
        tokens.push({ kind: 'op', op: rest[0]! });
        rest = rest.slice(1);
        continue;
      }
      const number = NUMBER.exec(rest);
      if (!number || /^[A-Za-z_]/.test(rest.slice(number[0].length))) return undefined;
      tokens.push({ kind: 'number', value: Number(number[1]), unit: number[2] ?? '' });
      rest = rest.slice(number[0].length);
    }
  }
  return tokens.length ? tokens : undefined;
}

/**
 * The value of an expression as `<number><unit>`, given each reference's final CSS text; undefined
 * when an operand is not a plain number or dimension, or the units cannot be combined.
 */
export function evaluateMath(tree: MathNode, finalText: (ref: TokenRef) => string | undefined): string | undefined {
  const units = new Set<string>();
  const value = (node: MathNode): number | undefined => {
    switch (node.kind) {
      case 'number':
        if (node.unit) units.add(node.unit);
        return node.value;
      case 'ref': {
        const text = finalText(node.ref)?.trim();
        const match = text === undefined ? null : /^(-?(?:\d+(?:\.\d+)?|\.\d+))(px|rem|em|%|ms|s|deg)?$/.exec(text);
        if (!match) return undefined;
        if (match[2]) units.add(match[2]);
        return Number(match[1]);
      }
      case 'negate': {
        const operand = value(node.operand);
        return operand === undefined ? undefined : -operand;
      }
      case 'binary': {
        const left = value(node.left);
        const right = value(node.right);
        if (left === undefined || right === undefined) return undefined;
        if (node.op === '+') return left + right;
        if (node.op === '-') return left - right;
        if (node.op === '*') return left * right;
        return right === 0 ? undefined : left / right;
      }
    }
  };
  const result = value(tree);
  if (result === undefined || !Number.isFinite(result) || units.size > 1) return undefined;
  const rounded = Math.round(result * 1e4) / 1e4;
  return `${Object.is(rounded, -0) ? 0 : rounded}${[...units][0] ?? ''}`;
}
