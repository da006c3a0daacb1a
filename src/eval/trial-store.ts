import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import { TrialRecordSchema, type TrialRecord } from './trial-record.js';

/** What a run directory is a run of: a resume must not mix another model's or suite's trials in. */
export const RunManifestSchema = z.object({
  version: z.literal(1),
  provider: z.string(),
  model: z.string(),
  suiteHash: z.string(),
  maxAttempts: z.number().int(),
  startedAt: z.string(),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/**
 * A run directory: `run.json`, one file per finished trial under `trials/` (written
 * atomically the moment the trial ends, so an interrupted run keeps all it paid for), and the
 * `summary.json` written at the end of each invocation (and the `report.html` page `dspec eval` renders from it).
 */
export class TrialStore {
  readonly trialsDir: string;

  constructor(readonly dir: string) {
    this.trialsDir = path.join(dir, 'trials');
  }

  /** Creates the run, or checks that an existing one is of the same provider, model and suite. */
  async open(manifest: RunManifest): Promise<RunManifest> {
    const file = path.join(this.dir, 'run.json');
    let existing: RunManifest | undefined;
    try {
      const parsed = RunManifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success) throw new InputError(`${file} is not a dspec eval run; choose another --out`);
      existing = parsed.data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error instanceof SyntaxError ? new InputError(`${file} is not valid JSON; choose another --out`) : error;
    }
    if (existing) {
      const differences = (['provider', 'model', 'suiteHash', 'maxAttempts'] as const).filter((field) => existing[field] !== manifest[field]);
      if (differences.length) {
        throw new InputError(
          `${this.dir} holds a run with another ${differences.join(', ')} (${differences.map((field) => `${String(existing[field])} → ${String(manifest[field])}`).join('; ')}): resuming would mix two runs`,
          { suggestion: 'Choose a new --out directory for this run.' },
        );
      }
      return existing;
    }
    await mkdir(this.trialsDir, { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }

  /** Finished trials; a damaged file (not a trial) is skipped, so that trial simply runs again. */
  async load(onSkip?: (file: string) => void): Promise<TrialRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.trialsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const trials: TrialRecord[] = [];
    for (const name of names.filter((candidate) => candidate.endsWith('.json')).sort()) {
      const file = path.join(this.trialsDir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch {
        onSkip?.(file);
        continue;
      }
      const parsed = TrialRecordSchema.safeParse(raw);
      if (parsed.success && name === fileNameOf(parsed.data.spec, parsed.data.trial)) trials.push(parsed.data);
      else onSkip?.(file);
    }
    return trials;
  }

  async save(trial: TrialRecord): Promise<void> {
    await writeFileAtomic(path.join(this.trialsDir, fileNameOf(trial.spec, trial.trial)), `${JSON.stringify(trial)}\n`);
  }
}

export function fileNameOf(spec: string, trial: number): string {
  return `${spec}.${trial}.json`;
}
