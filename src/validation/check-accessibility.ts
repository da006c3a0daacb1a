import type { Linter } from 'eslint';
import type { File as BabelFile } from '@babel/types';
import { fileKind, type Bundle } from '../shapes/bundle.js';
import { finding, type Finding } from '../shapes/finding.js';

/**
 * Layer 5: eslint-plugin-jsx-a11y (recommended, plus accessible names on controls) and the
 * Rules of Hooks, through ESLint's `Linter`. ESLint cannot parse TypeScript by itself, so a
 * small parser adapter hands it Babel's ESTree output; ESLint builds the scopes itself.
 */
export class AccessibilityLinter {
  private loaded?: Promise<{ linter: Linter; config: Linter.Config[] }>;

  async check(bundle: Bundle): Promise<Finding[]> {
    const { linter, config } = await this.load();
    const findings: Finding[] = [];
    for (const file of bundle.files) {
      if (fileKind(file.path) !== 'code') continue;
      const messages = linter.verify(file.contents, config, { filename: file.path });
      for (const message of messages) {
        // Rule-less notes (e.g. "eslint-disable has no effect": inline config is ignored on purpose) are not findings.
        if (!message.ruleId && !message.fatal) continue;
        findings.push(
          finding({
            layer: 'a11y',
            severity: message.severity === 2 ? 'error' : 'warning',
            code: message.ruleId ?? 'parse-error',
            message: message.message.replace(/\s*Learn more: \S+$/, ''),
            file: file.path,
            line: message.line,
            column: message.column,
            suggestion: message.ruleId ? suggestionFor(message.ruleId) : undefined,
          }),
        );
      }
    }
    return findings;
  }

  private load() {
    this.loaded ??= (async () => {
      const [{ Linter }, { parse }, babelTypes, visitorKeys, jsxA11y, reactHooks] = await Promise.all([
        import('eslint'),
        import('@babel/parser'),
        import('@babel/types'),
        import('eslint-visitor-keys'),
        import('eslint-plugin-jsx-a11y'),
        import('eslint-plugin-react-hooks'),
      ]);
      const keys = buildVisitorKeys(visitorKeys.KEYS, babelTypes.VISITOR_KEYS);
      const parser: Linter.Parser = {
        meta: { name: 'dspec-babel-estree' },
        parseForESLint(code: string) {
          const ast = parse(code, { sourceType: 'module', plugins: ['jsx', 'typescript', 'estree'], tokens: true, ranges: true, errorRecovery: true });
          return { ast: toEslintProgram(ast, code), visitorKeys: keys };
        },
      };
      const a11y = jsxA11y.default;
      const hooks = reactHooks.default;
      const config: Linter.Config[] = [
        {
          files: ['**/*.{ts,tsx,js,jsx}'],
          languageOptions: { parser, sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
          // react-hooks contributes its rules only: its `configs` (legacy and flat side by side) do not fit ESLint's Plugin type.
          plugins: { 'jsx-a11y': a11y, 'react-hooks': { meta: hooks.meta, rules: hooks.rules } },
          linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
          rules: {
            ...a11y.flatConfigs.recommended.rules,
            'jsx-a11y/control-has-associated-label': ['error', { ignoreElements: ['audio', 'canvas', 'embed', 'input', 'textarea', 'tr', 'video', 'select', 'td', 'th'], depth: 5 }],
            'react-hooks/rules-of-hooks': 'error',
            'react-hooks/exhaustive-deps': 'warn',
          },
        },
      ];
      return { linter: new Linter({ configType: 'flat' }), config };
    })();
    return this.loaded;
  }
}

/** ESLint's keys for ESTree and JSX; Babel's for the rest, except that type-level TS nodes are not walked. */
function buildVisitorKeys(eslintKeys: Readonly<Record<string, readonly string[]>>, babelKeys: Record<string, readonly string[]>): Record<string, string[]> {
  const keys: Record<string, string[]> = {};
  for (const [type, list] of Object.entries(babelKeys)) {
    keys[type] = type.startsWith('TS') ? list.filter((key) => key === 'expression' || key === 'parameter') : [...list];
  }
  for (const [type, list] of Object.entries(eslintKeys)) keys[type] = [...list];
  return keys;
}

const TOKEN_TYPES: Record<string, string> = {
  name: 'Identifier',
  string: 'String',
  num: 'Numeric',
  bigint: 'Numeric',
  decimal: 'Numeric',
  jsxName: 'JSXIdentifier',
  jsxText: 'JSXText',
  template: 'Template',
  regexp: 'RegularExpression',
  privateName: 'PrivateIdentifier',
  true: 'Boolean',
  false: 'Boolean',
  null: 'Null',
};

interface BabelToken {
  type: string | { label: string; keyword?: string };
  start: number;
  end: number;
  loc: unknown;
}

/** Babel types a File's tokens as any[]; each is checked before it is read. */
function isBabelToken(token: unknown): token is BabelToken {
  return typeof token === 'object' && token !== null && 'type' in token && typeof (token as { start?: unknown }).start === 'number' && typeof (token as { end?: unknown }).end === 'number';
}

/** Babel's File → the Program ESLint expects: ESTree tokens and comments with ranges. */
function toEslintProgram(file: BabelFile, code: string) {
  const program: Record<string, unknown> = { ...file.program };
  const tokens = [];
  const babelTokens = (file.tokens ?? []).filter(isBabelToken);
  for (const token of babelTokens) {
    const label = typeof token.type === 'string' ? token.type : token.type.label;
    if (label === 'CommentLine' || label === 'CommentBlock' || label === 'eof') continue;
    const type = TOKEN_TYPES[label] ?? (typeof token.type === 'object' && token.type.keyword ? 'Keyword' : 'Punctuator');
    tokens.push({ type, value: code.slice(token.start, token.end), range: [token.start, token.end], loc: token.loc, start: token.start, end: token.end });
  }
  program.tokens = tokens;
  program.comments = (file.comments ?? []).map((comment) => ({
    type: comment.type === 'CommentLine' ? 'Line' : 'Block',
    value: comment.value,
    range: [comment.start ?? 0, comment.end ?? 0],
    loc: comment.loc,
  }));
  program.range = [0, code.length];
  return program;
}

function suggestionFor(ruleId: string): string | undefined {
  const hints: Record<string, string> = {
    'jsx-a11y/alt-text': 'Give every <img> an alt: a description, or alt="" when it is decorative.',
    'jsx-a11y/control-has-associated-label': 'Give the control visible text, aria-label or aria-labelledby.',
    'jsx-a11y/click-events-have-key-events': 'Use a <button>, or add onKeyDown and tabIndex={0} with a role.',
    'jsx-a11y/no-static-element-interactions': 'Use a <button> (or give the element a role, tabIndex and key handling).',
    'jsx-a11y/no-noninteractive-element-interactions': 'Move the handler to a <button> or interactive element.',
    'jsx-a11y/aria-props': 'Use only ARIA attributes defined by WAI-ARIA (aria-label, aria-describedby, …).',
    'jsx-a11y/aria-role': 'Use a valid, non-abstract WAI-ARIA role.',
    'jsx-a11y/anchor-is-valid': 'Give links a real href; use a <button> for actions.',
    'jsx-a11y/anchor-has-content': 'Put text (or aria-label) inside the link.',
    'jsx-a11y/label-has-associated-control': 'Wrap the input in the <label> or use htmlFor with the input id.',
    'react-hooks/rules-of-hooks': 'Call hooks unconditionally at the top level of the component or custom hook.',
    'react-hooks/exhaustive-deps': 'List every value the effect reads in its dependency array.',
  };
  return hints[ruleId];
}
