import { parseArgs } from 'node:util';
import { DspecError, ErrorCode, MAX_REPORTED_ISSUES } from '../errors.js';
import type { ConfigOverrides } from '../infra/config.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { VERSION } from '../version.js';
import { commandHelp, usageLine, type CliOptions } from './command-definition.js';
import { ExitCode, type CliIo } from './io.js';

/** What node:util's parseArgs gives for options declared at run time: a string or a boolean, a list of them with `multiple`. */
export type ParsedOptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  /** Words that select the command, e.g. ['theme', 'css']. */
  words: string[];
  /** The positional part of the usage line, e.g. `<theme.json>`; the rest is generated from `options`. */
  arguments?: string;
  summary: string;
  options: CliOptions;
  run: (parsed: { values: ParsedOptionValues; positionals: string[] }, io: CliIo, openRuntime: OpenRuntime) => Promise<number>;
}

export interface CliRuntimeOptions {
  /** Overrides from the command's own flags (`serve --port`, `eval --provider`). */
  flags?: ConfigOverrides;
  /** `server`: log at the configured level; `command` (default): `info` becomes `warn`, so a command's stderr stays its own. */
  logs?: 'server' | 'command';
}

/**
 * The command's runtime, built on its first call (after the command has read its flags) and
 * the same on every later call; `runCommand` closes it when the command returns.
 */
export type OpenRuntime = (options?: CliRuntimeOptions) => Promise<Runtime>;

/** Commands load their modules on demand, so `dspec serve` never pays for the others. */
const COMMANDS: Array<{ words: string[]; load: () => Promise<CliCommand> }> = [
  { words: ['serve'], load: async () => (await import('./commands/serve.js')).serveCommand },
  { words: ['theme', 'css'], load: async () => (await import('./commands/theme-css.js')).themeCssCommand },
  { words: ['validate'], load: async () => (await import('./commands/validate.js')).validateCommand },
  { words: ['component'], load: async () => (await import('./commands/component.js')).componentCommand },
  { words: ['preview'], load: async () => (await import('./commands/preview.js')).previewCommand },
  {
    words: ['export'],
    load: async () => {
      const [{ createExportCommand }, { createScreenComponentGenerator }] = await Promise.all([import('./commands/export.js'), import('../generation/pipeline/screen-component-generator.js')]);
      return createExportCommand({ generateUnknown: (runtime) => createScreenComponentGenerator(() => ({ runtime, logger: runtime.logger })) });
    },
  },
  { words: ['cost', 'summary'], load: async () => (await import('./commands/cost.js')).costSummaryCommand },
  { words: ['cost', 'forecast'], load: async () => (await import('./commands/cost.js')).costForecastCommand },
  { words: ['cost', 'optimize'], load: async () => (await import('./commands/cost.js')).costOptimizeCommand },
  { words: ['cost', 'budget'], load: async () => (await import('./commands/cost.js')).costBudgetCommand },
  { words: ['db', 'migrate'], load: async () => (await import('./commands/db.js')).dbMigrateCommand },
  { words: ['db', 'status'], load: async () => (await import('./commands/db.js')).dbStatusCommand },
  { words: ['cache', 'stats'], load: async () => (await import('./commands/cache.js')).cacheStatsCommand },
  { words: ['cache', 'list'], load: async () => (await import('./commands/cache.js')).cacheListCommand },
  { words: ['cache', 'clear'], load: async () => (await import('./commands/cache.js')).cacheClearCommand },
  { words: ['cache', 'export'], load: async () => (await import('./commands/cache.js')).cacheExportCommand },
  { words: ['cache', 'import'], load: async () => (await import('./commands/cache.js')).cacheImportCommand },
  { words: ['cache', 'verify'], load: async () => (await import('./commands/cache.js')).cacheVerifyCommand },
  { words: ['eval'], load: async () => (await import('./commands/eval.js')).evalCommand },
  { words: ['report'], load: async () => (await import('./commands/report.js')).reportCommand },
];

/** The usage line of every command, in the order `dspec --help` and the README's CLI block list them. */
export async function usageLines(): Promise<string[]> {
  const commands = await Promise.all(COMMANDS.map((entry) => entry.load()));
  return commands.map((command) => usageLine(command));
}

export async function helpText(): Promise<string> {
  return [
    `dspec ${VERSION}: design specs to production React code (MCP server and CLI)`,
    '',
    'Usage (no command: dspec serve, MCP over stdio):',
    ...(await usageLines()).map((line) => `  ${line}`),
    '  dspec --version | --help',
    '',
    'Every command takes --help for what each option does (e.g. dspec theme css --help).',
    '',
    'Environment: DSPEC_LOG_LEVEL, DSPEC_HOME, DSPEC_HTTP_TOKEN, DSPEC_HTTP_HOST, DSPEC_HTTP_PORT, DSPEC_PROVIDER, DSPEC_MODEL, ANTHROPIC_API_KEY, OPENAI_BASE_URL, DSPEC_CACHE_ONLY, DSPEC_DATABASE_URL.',
    '',
  ].join('\n');
}

/** One line on stderr for any failure; issues are summarised on that same line. */
export function describeFailure(error: unknown): string {
  if (error instanceof DspecError) {
    const issues = error.issues.slice(0, Math.min(5, MAX_REPORTED_ISSUES)).map((issue) => `${issue.path}: ${issue.message}`);
    const more = error.issues.length > issues.length ? `; … ${error.issues.length - issues.length} more` : '';
    const hint = error.suggestion ? ` (hint: ${error.suggestion})` : '';
    return `dspec: ${error.message}${issues.length ? ` — ${issues.join('; ')}${more}` : ''}${hint}`.replace(/\s*\n\s*/g, ' ');
  }
  return `dspec: unexpected error: ${error instanceof Error ? error.message : String(error)}`.replace(/\s*\n\s*/g, ' ');
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof DspecError && error.code === ErrorCode.ValidationFailed) return ExitCode.Findings;
  return ExitCode.Usage;
}

/** The command selected by `words` (its longest match), loaded; undefined when none matches. */
export async function findCommand(words: readonly string[]): Promise<CliCommand | undefined> {
  const entry = COMMANDS.find((candidate) => candidate.words.every((word, i) => words[i] === word));
  return entry?.load();
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.Ok;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(await helpText());
    return ExitCode.Ok;
  }
  // No command, or only flags: serve (the default, as MCP clients launch `dspec` bare).
  const words = argv.length === 0 || argv[0]!.startsWith('-') ? ['serve', ...argv] : argv;
  const entry = COMMANDS.find((candidate) => candidate.words.every((word, i) => words[i] === word));
  if (!entry) {
    io.stderr(`dspec: unknown command "${words.slice(0, 2).join(' ')}"; run "dspec --help" for the list\n`);
    return ExitCode.Usage;
  }
  const command = await entry.load();
  const rest = words.slice(entry.words.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return ExitCode.Ok;
  }
  return runCommand(command, rest, io);
}

/** One command with its own arguments: parsed strictly, run, any failure one stderr line and an exit code. */
export async function runCommand(command: CliCommand, args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`dspec: ${(error as Error).message.split('\n')[0]}; usage: ${usageLine(command)}\n`);
    return ExitCode.Usage;
  }
  let runtime: Promise<Runtime> | undefined;
  const openRuntime: OpenRuntime = (options = {}) => (runtime ??= createCliRuntime(io, options));
  try {
    return await command.run(parsed, io, openRuntime);
  } catch (error) {
    io.stderr(`${describeFailure(error)}\n`);
    return exitCodeFor(error);
  } finally {
    // A browser or driver the command started ends with it.
    await (await runtime?.catch(() => undefined))?.close();
  }
}

/** The CLI's composition root: configuration from the working directory, environment and flags, then one runtime. */
async function createCliRuntime(io: CliIo, options: CliRuntimeOptions): Promise<Runtime> {
  const [{ loadConfig }, { createLogger }, { createRuntime }] = await Promise.all([import('../infra/config.js'), import('../infra/logger.js'), import('../runtime/create-runtime.js')]);
  const config = loadConfig({ cwd: io.cwd, env: io.env, ...(options.flags ? { flags: options.flags } : {}) });
  const level = options.logs === 'server' || config.logLevel !== 'info' ? config.logLevel : 'warn';
  return createRuntime({ config, env: io.env, cwd: io.cwd, logger: createLogger({ level }) });
}
