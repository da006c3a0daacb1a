/**
 * A CLI command's options, declared once: the parser reads them, and `dspec --help`,
 * `dspec <command> --help` and the README's CLI block are generated from them, so the three
 * cannot drift apart.
 */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in the usage line (`--port 3939`, `--format tsx|jsx`); string options only. */
  value?: string;
  /** Shown in brackets in the usage line unless the command cannot run without it. */
  required?: boolean;
  description: string;
}

export type CliOptions = Record<string, CliOption>;

export interface CommandDefinition<Parsed> {
  /** Words that select the command, e.g. ['theme', 'css']. */
  words: string[];
  /** The positional part of the usage line, e.g. `<theme.json>`. */
  arguments?: string;
  summary: string;
  options: CliOptions;
  run: Parsed;
}

/** `dspec serve [--http] [--port 3939] …`: the command's words, its arguments, then each option in declaration order. */
export function usageLine(command: { words: readonly string[]; arguments?: string; options: CliOptions }): string {
  const flags = Object.entries(command.options).map(([name, option]) => {
    const flag = option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
    const repeat = option.multiple ? '…' : '';
    return option.required ? `${flag}${repeat}` : `[${flag}]${repeat}`;
  });
  return ['dspec', ...command.words, ...(command.arguments ? [command.arguments] : []), ...flags].join(' ');
}

/** `dspec <command> --help`: the summary, the usage line and one line per option. */
export function commandHelp(command: { words: readonly string[]; arguments?: string; summary: string; options: CliOptions }): string {
  const rows = Object.entries(command.options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '';
    const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${value}`, option.description] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  const optionLines = rows.map(([flag, description]) => `${flag.padEnd(width)}   ${description}`);
  return [command.summary, '', `Usage: ${usageLine(command)}`, ...(optionLines.length > 0 ? ['', 'Options:', ...optionLines] : []), ''].join('\n');
}
