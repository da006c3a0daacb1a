import { parse, type ParseResult } from '@babel/parser';
import type { File } from '@babel/types';
import postcss, { CssSyntaxError, type Root } from 'postcss';
import { parseJsonText } from '../infra/json.js';
import { JsonParseError } from '../errors.js';
import { fileKind, type Bundle } from '../shapes/bundle.js';
import { finding, type Finding } from '../shapes/finding.js';

/** What later layers reuse so no file is parsed twice in one validation. */
export interface ParsedBundle {
  code: Map<string, ParseResult<File>>;
  stylesheets: Map<string, Root>;
}

export function parseCode(fileName: string, contents: string): ParseResult<File> {
  return parse(contents, {
    sourceType: 'module',
    sourceFilename: fileName,
    plugins: fileName.endsWith('.ts') ? ['typescript'] : ['typescript', 'jsx'],
    errorRecovery: true,
  });
}

interface BabelSyntaxError extends Error {
  loc?: { line: number; column: number };
  reasonCode?: string;
}

function syntaxFinding(file: string, error: BabelSyntaxError): Finding {
  const message = error.message.replace(/\s*\(\d+:\d+\)$/, '');
  return finding({
    layer: 'syntax',
    severity: 'error',
    code: 'syntax-error',
    message: error.reasonCode ? `${message} [${error.reasonCode}]` : message,
    file,
    line: error.loc?.line ?? 0,
    column: (error.loc?.column ?? -1) + 1,
    suggestion: 'Fix the syntax at this position; the file must parse as TypeScript with JSX.',
  });
}

/** Layer 2: every code file parses with Babel (several errors at once), every stylesheet with PostCSS, every JSON file as JSON. */
export function checkSyntax(bundle: Bundle): { parsed: ParsedBundle; findings: Finding[] } {
  const parsed: ParsedBundle = { code: new Map(), stylesheets: new Map() };
  const findings: Finding[] = [];
  for (const file of bundle.files) {
    const kind = fileKind(file.path);
    if (kind === 'code') {
      try {
        const ast = parseCode(file.path, file.contents);
        const errors = (ast.errors ?? []) as unknown as BabelSyntaxError[];
        for (const error of errors) findings.push(syntaxFinding(file.path, error));
        parsed.code.set(file.path, ast);
      } catch (error) {
        findings.push(syntaxFinding(file.path, error as BabelSyntaxError));
      }
    } else if (kind === 'stylesheet') {
      try {
        parsed.stylesheets.set(file.path, postcss.parse(file.contents, { from: file.path }));
      } catch (error) {
        if (!(error instanceof CssSyntaxError)) throw error;
        findings.push(
          finding({
            layer: 'syntax',
            severity: 'error',
            code: 'css-syntax-error',
            message: error.reason,
            file: file.path,
            line: error.line ?? 0,
            column: error.column ?? 0,
            suggestion: 'Fix the CSS syntax at this position (an unclosed block or string is the usual cause).',
          }),
        );
      }
    } else if (kind === 'json') {
      try {
        parseJsonText(file.contents, file.path);
      } catch (error) {
        if (!(error instanceof JsonParseError)) throw error;
        findings.push(
          finding({
            layer: 'syntax',
            severity: 'error',
            code: 'json-syntax-error',
            message: error.message.replace(/^[^:]*:\d+:\d+: /, ''),
            file: file.path,
            line: error.line,
            column: error.column,
          }),
        );
      }
    }
  }
  return { parsed, findings };
}
