import path from 'node:path';
import { InputError } from '../../errors.js';
import type { ManagedCacheStore } from '../../cache/cache-store.js';
import { formatCacheList, formatCacheStats } from '../../cache/format-cache-stats.js';
import { ExitCode, type CliIo } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand, OpenRuntime } from '../run-cli.js';

/** The configured backend (files under the state directory, or the S3 bucket of DSPEC_CACHE_URL), its warnings as CLI lines. */
async function openCache(io: CliIo, openRuntime: OpenRuntime): Promise<ManagedCacheStore> {
  const { config, env, home } = await openRuntime();
  const { openCacheStore } = await import('../../cache/open-cache-store.js');
  return openCacheStore({
    url: config.cache.url,
    home,
    env,
    logger: { warn: (details, message) => io.stderr(`dspec: warning: ${message} (${typeof details.reason === 'string' ? details.reason : ''})\n`) },
  });
}

function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
}

export const cacheStatsCommand: CliCommand = {
  words: ['cache', 'stats'],
  summary: 'Entries and size of the generation cache by component, model and provider; quarantined files.',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const stats = await (await openCache(io, openRuntime)).stats();
    io.stdout(values.json ? `${JSON.stringify(stats, null, 2)}\n` : formatCacheStats(stats));
    return ExitCode.Ok;
  },
};

export const cacheListCommand: CliCommand = {
  words: ['cache', 'list'],
  summary: 'List cached entries, oldest first, a page at a time.',
  options: {
    component: { type: 'string', value: 'NAME', description: "only this component's entries" },
    limit: { type: 'string', value: 'N', description: 'entries per page' },
    cursor: { type: 'string', value: 'CURSOR', description: 'page to continue from (printed by the previous page)' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new InputError(`--limit must be a positive integer, got "${String(values.limit)}"`);
    const page = await (await openCache(io, openRuntime)).list({ component: values.component as string | undefined, limit, cursor: values.cursor as string | undefined });
    io.stdout(values.json ? `${JSON.stringify(page, null, 2)}\n` : formatCacheList(page));
    return ExitCode.Ok;
  },
};

export const cacheClearCommand: CliCommand = {
  words: ['cache', 'clear'],
  summary: 'Delete the cached entries of one component, or all of them.',
  options: {
    component: { type: 'string', value: 'NAME', description: "only this component's entries" },
    all: { type: 'boolean', description: 'clear every entry' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const component = values.component as string | undefined;
    if ((component === undefined) === (values.all !== true)) throw new InputError(`give exactly one of --component NAME or --all; usage: ${usageLine(this)}`);
    const result = await (await openCache(io, openRuntime)).clear(component === undefined ? { all: true } : { component });
    io.stdout(values.json ? `${JSON.stringify(result)}\n` : `removed ${result.removed} entr${result.removed === 1 ? 'y' : 'ies'}${component ? ` of ${component}` : ''}\n`);
    return ExitCode.Ok;
  },
};

export const cacheExportCommand: CliCommand = {
  words: ['cache', 'export'],
  summary: 'Write every verified cache entry into a .tar.gz to share with another machine or CI.',
  options: { output: { type: 'string', short: 'o', value: 'FILE', required: true, description: 'archive to write (.tar.gz)' }, json: { type: 'boolean', description: 'print the result as JSON' } },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    if (typeof values.output !== 'string') throw new InputError(`--output is required; usage: ${usageLine(this)}`);
    const result = await (await openCache(io, openRuntime)).exportArchive(path.resolve(io.cwd, values.output));
    io.stdout(values.json ? `${JSON.stringify(result)}\n` : `exported ${result.exported} entries to ${values.output}\n`);
    return ExitCode.Ok;
  },
};

export const cacheImportCommand: CliCommand = {
  words: ['cache', 'import'],
  arguments: '<cache.tar.gz>',
  summary: 'Import a cache archive; every entry is verified (schema, key, bundle hash, path, validation gate) and bad ones are skipped with a reason. Exit 1 when any was skipped.',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals.length !== 1) throw new InputError(`expected exactly one archive, got ${positionals.length}; usage: ${usageLine(this)}`);
    // Every entry also passes this dspec's validation gate before it lands.
    const { gateAdmission } = await import('../../generation/pipeline/cached-entry-gate.js');
    const report = await (await openCache(io, openRuntime)).importArchive(path.resolve(io.cwd, positionals[0]!), { admit: gateAdmission({ validate: (await (await openRuntime()).gate()).validate }) });
    if (values.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout(`imported ${report.imported}, already present ${report.alreadyPresent}, skipped ${report.skipped.length}\n`);
      for (const skipped of report.skipped) io.stdout(`  skipped ${skipped.entry}: ${skipped.reason}\n`);
    }
    return report.skipped.length ? ExitCode.Findings : ExitCode.Ok;
  },
};

export const cacheVerifyCommand: CliCommand = {
  words: ['cache', 'verify'],
  summary: "Re-check every cache entry (integrity, then this dspec's validation gate), e.g. a committed cache in CI. Exit 1 when any fails; --fix quarantines the failures.",
  options: { fix: { type: 'boolean', description: 'remove the entries that fail verification' }, json: { type: 'boolean', description: 'print the result as JSON' } },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const { gateAdmission } = await import('../../generation/pipeline/cached-entry-gate.js');
    const fix = values.fix === true;
    const report = await (await openCache(io, openRuntime)).verify({ admit: gateAdmission({ validate: (await (await openRuntime()).gate()).validate }), fix });
    if (values.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout(`verified ${report.checked} entr${report.checked === 1 ? 'y' : 'ies'}: ${report.passed} passed, ${report.failed.length} failed${fix ? `, ${report.quarantined} quarantined` : ''}\n`);
      for (const failure of report.failed) io.stdout(`  failed ${failure.key.slice(0, 12)}… (${failure.component ?? 'unreadable'}): ${failure.reason}\n`);
      if (report.failed.length && !fix) io.stdout('run `dspec cache verify --fix` to quarantine them\n');
    }
    return report.failed.length ? ExitCode.Findings : ExitCode.Ok;
  },
};

export const CACHE_COMMANDS = [cacheStatsCommand, cacheListCommand, cacheClearCommand, cacheExportCommand, cacheImportCommand, cacheVerifyCommand];

/** `dspec cache <stats|list|clear|export|import|verify> …`, for a router that registers one command per first word. */
export const cacheCommand: CliCommand = {
  words: ['cache'],
  arguments: 'stats|list|clear|export|import|verify',
  summary: 'Inspect, list, clear, export, import and verify the generation cache.',
  options: {
    component: { type: 'string', value: 'NAME', description: "only this component's entries" },
    limit: { type: 'string', value: 'N', description: 'entries per page' },
    cursor: { type: 'string', value: 'CURSOR', description: 'page to continue from (printed by the previous page)' },
    all: { type: 'boolean', description: 'clear every entry' },
    fix: { type: 'boolean', description: 'remove the entries that fail verification' },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'archive to write (.tar.gz)' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    const sub = CACHE_COMMANDS.find((command) => command.words[1] === positionals[0]);
    if (!sub) throw new InputError(`unknown cache action "${positionals[0] ?? ''}"; usage: ${usageLine(this)}`);
    const allowed = Object.keys(sub.options);
    const foreign = Object.keys(values).find((key) => !allowed.includes(key));
    if (foreign) throw new InputError(`--${foreign} does not apply to cache ${positionals[0]}; usage: ${usageLine(sub)}`);
    return sub.run({ values, positionals: positionals.slice(1) }, io, openRuntime);
  },
};
