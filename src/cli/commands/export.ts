import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DspecError, ErrorCode, InputError } from '../../errors.js';
import { parseJsonText } from '../../infra/json.js';
import type { Runtime } from '../../runtime/create-runtime.js';
import type { GenerateUnknown } from '../../screen/route-components.js';
import { ExitCode, type CliIo } from '../io.js';
import { usageLine } from '../command-definition.js';
import { describeFailure, type CliCommand } from '../run-cli.js';

/** Errors about what a screen or theme says, once both were read and parsed. */
const CONTENT_ERRORS = new Set<string>([ErrorCode.InvalidInput, ErrorCode.ThemeInvalid, ErrorCode.TokenReference, ErrorCode.NameCollision]);

/** Largest screen file read, in bytes (the screen's own text limits apply after parsing). */
const MAX_SCREEN_BYTES = 4 * 1024 * 1024;

export interface ExportCommandDeps {
  /** Tier 2 generation over the command's runtime; the CLI wires the generation module here. Without it unknown types fail the export. */
  generateUnknown?: (runtime: Runtime) => GenerateUnknown;
}

async function readInput(io: CliIo, file: string, limit: number, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (Buffer.byteLength(text) > limit) throw new InputError(`${file} is larger than the ${limit}-byte limit for a ${what}`);
  return parseJsonText(text, file);
}

/** `dspec export` with an injectable Tier 2 generator (tests, and the lead's wiring of generation). */
export function createExportCommand(deps: ExportCommandDeps = {}): CliCommand {
  return {
    words: ['export'],
    arguments: '<screen.json>',
    summary: 'Export a screen definition or blueprint as a React screen: components, layout, theme CSS, validated, written into --out.',
    options: {
      theme: { type: 'string', short: 't', value: 'theme.json', description: 'theme whose CSS is exported with the screen' },
      out: { type: 'string', short: 'o', value: 'DIR', required: true, description: 'folder to write the screen, its components and CSS into (required)' },
      format: { type: 'string', value: 'tsx|jsx', description: 'source format (default tsx)' },
      cached: { type: 'boolean', description: 'answer generated components from the cache only' },
      'dry-run': { type: 'boolean', description: 'list the files that would be written, write none' },
      overwrite: { type: 'boolean', description: 'replace files that already exist in --out' },
      'no-tests': { type: 'boolean', description: "leave out the components' test files" },
      json: { type: 'boolean', description: 'print the result as JSON' },
    },
    async run({ values, positionals }, io, openRuntime) {
      if (positionals.length !== 1) throw new InputError(`expected exactly one screen file, got ${positionals.length}; usage: ${usageLine(this)}`);
      if (typeof values.out !== 'string') throw new InputError(`--out <dir> is required; usage: ${usageLine(this)}`);
      const format = values.format ?? 'tsx';
      if (format !== 'tsx' && format !== 'jsx') throw new InputError(`--format must be tsx or jsx, not "${String(format)}"`);
      const runtime = await openRuntime();
      const { config } = runtime;
      const screen = await readInput(io, positionals[0]!, MAX_SCREEN_BYTES, 'screen');
      const theme = typeof values.theme === 'string' ? await readInput(io, values.theme, config.limits.maxThemeBytes, 'theme') : undefined;

      const [{ exportScreen }, { writeExport }] = await Promise.all([import('../../screen/export-screen.js'), import('../../screen/write-export.js')]);
      let result;
      try {
        result = await exportScreen(
          { screen, theme, format, includeTests: !values['no-tests'] },
          { gate: await runtime.gate(), generateUnknown: deps.generateUnknown?.(runtime), cacheOnly: values.cached === true || config.generation.cacheOnly, maxThemeTokens: config.limits.maxTokens },
        );
      } catch (error) {
        // The files were read and parsed; what they say is not clean (a bad prop, a broken token): exit 1, as the README promises.
        if (error instanceof DspecError && CONTENT_ERRORS.has(error.code)) {
          io.stderr(`${describeFailure(error)}\n`);
          return ExitCode.Findings;
        }
        throw error;
      }
      if (!result.success) {
        if (values.json)
          io.stdout(`${JSON.stringify({ success: false, screenName: result.screenName, components: result.components, findings: result.findings, warnings: result.warnings }, null, 2)}\n`);
        const failed = result.components.filter((component) => component.status === 'failed');
        const first = failed[0]?.errors?.[0] ?? (result.findings[0] ? `${result.findings[0].file}: ${result.findings[0].message}` : 'validation failed');
        io.stderr(`dspec: export of ${result.screenName} failed (${failed.map((component) => component.type).join(', ') || 'validation'}): ${first}`.replace(/\s*\n\s*/g, ' ') + '\n');
        return ExitCode.Findings;
      }
      // The path was typed by the person running the command: written where it points, as a compiler's -o is.
      const plan = await writeExport(result.files, { root: io.cwd, outDir: values.out, anywhere: true, overwrite: values.overwrite === true, dryRun: values['dry-run'] === true });
      if (values.json) {
        io.stdout(
          `${JSON.stringify(
            {
              success: true,
              exportId: result.exportId,
              screenName: result.screenName,
              files: result.files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.contents) })),
              dependencies: result.dependencies,
              devDependencies: result.devDependencies,
              components: result.components,
              written: { outDir: plan.outDir, created: plan.created, overwritten: plan.overwritten, unchanged: plan.unchanged },
              dryRun: plan.dryRun,
              warnings: result.warnings,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        for (const warning of result.warnings) io.stderr(`warning ${warning}\n`);
        const verb = plan.dryRun ? 'would write' : 'wrote';
        io.stdout(`${verb} ${result.screenName} to ${plan.outDir}: ${plan.created.length} created, ${plan.overwritten.length} overwritten, ${plan.unchanged.length} unchanged\n`);
        if (plan.dryRun) {
          for (const file of plan.created) io.stdout(`  create    ${file}\n`);
          for (const file of plan.overwritten) io.stdout(`  overwrite ${file}\n`);
          for (const file of plan.unchanged) io.stdout(`  unchanged ${file}\n`);
        }
        io.stdout(
          `npm dependencies: ${Object.entries(result.dependencies)
            .map(([pkg, range]) => `${pkg}@${range}`)
            .join(' ')}\n`,
        );
      }
      return ExitCode.Ok;
    },
  };
}

export const exportCommand: CliCommand = createExportCommand();
