import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { sha256Hex } from '../cache/canonical-json.js';
import { InputError, issuesFromZod } from '../errors.js';
import { parseJsonText } from '../infra/json.js';

/** One component to generate: what `generate_component` would be asked for a name outside the catalog. */
export const EvalSpecSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/, 'must be a PascalCase component name, e.g. "PricingTable"'),
    description: z.string().trim().min(1, 'must say what the component is and does').max(4000),
    props: z.record(z.string(), z.unknown()).optional(),
    /** A theme file (relative to the suite file) or an inline theme document. */
    theme: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    tags: z.array(z.string().min(1).max(40)).max(20).optional(),
  })
  .strict();
export type EvalSpec = z.infer<typeof EvalSpecSchema>;

export const EvalSuiteSchema = z.array(EvalSpecSchema).min(1, 'a suite needs at least one spec');

/** A spec with where it came from, so a relative theme path resolves against its own file. */
export interface LoadedSpec extends EvalSpec {
  source: string;
}

export interface LoadedSuite {
  /** The file or directory given. */
  path: string;
  specs: LoadedSpec[];
  /** sha256 of the specs (canonical JSON): two runs of the same suite have the same hash. */
  hash: string;
}

/** Reads a suite file, or every `*.json` file of a directory (in name order); names must be unique. */
export async function loadSuite(target: string): Promise<LoadedSuite> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the suite ${target}: ${error.code ?? error.message}`);
  });
  const files = info.isDirectory()
    ? (await readdir(target))
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => path.join(target, name))
    : [target];
  if (files.length === 0) throw new InputError(`the suite directory ${target} holds no .json file`);
  const specs: LoadedSpec[] = [];
  for (const file of files) {
    const raw = parseJsonText(await readFile(file, 'utf8'), file);
    const parsed = EvalSuiteSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InputError(`${file} is not a valid eval suite: expected [{ "name", "description", "props"?, "theme"?, "tags"? }]`, {
        issues: issuesFromZod(parsed.error.issues),
      });
    }
    for (const spec of parsed.data) specs.push({ ...spec, source: file });
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new InputError(`the suite names ${spec.name} twice: every spec needs its own name (results are kept per name)`);
    seen.add(spec.name);
  }
  const hash = sha256Hex(JSON.stringify(specs.map(({ source: _source, ...spec }) => spec)));
  return { path: target, specs, hash };
}
