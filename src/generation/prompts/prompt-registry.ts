import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { sha256Hex } from '../../cache/canonical-json.js';
import { DspecError, ErrorCode, InputError, issuesFromZod } from '../../errors.js';
import { FrontMatterError, splitFrontMatter } from './front-matter.js';
import { indexedPromptSummaries, promptFileNames } from './prompt-index.js';

/**
 * Versioned prompts: Markdown files in `prompts/` with front matter. Prompts a prompt
 * `requires` become the system part (static, cacheable), the prompt itself the user part.
 * `{{ variable }}` placeholders must be declared; a missing required one is an error before
 * any model is called.
 */

const VariableSpecSchema = z
  .object({
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
    description: z.string().optional(),
  })
  .strict();

export const PromptFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case words joined by "-"'),
    version: z.union([z.string().min(1), z.number()]).transform(String),
    description: z.string().min(1),
    requires: z.array(z.string()).default([]),
    variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), VariableSpecSchema.nullable().transform((v) => v ?? { required: false })).default({}),
    deprecated: z.boolean().default(false),
    replacedBy: z.string().optional(),
  })
  .strict();

export type PromptVariableSpec = z.infer<typeof VariableSpecSchema>;

export interface PromptTemplate extends z.infer<typeof PromptFrontMatterSchema> {
  body: string;
  file: string;
}

export interface PromptSummary {
  id: string;
  version: string;
  description: string;
  deprecated: boolean;
  replacedBy?: string;
  /** Arguments a caller may pass; `required` ones must be given. */
  variables: Array<{ name: string; required: boolean; description?: string; default?: string }>;
}

export interface ComposedPrompt {
  id: string;
  version: string;
  /** Rendered required prompts, in dependency order. */
  system: string;
  /** The rendered prompt, split at `<!-- cache-breakpoint -->` lines. */
  user: string[];
  /** SHA-256 of the whole rendered prompt (system and user). */
  hash: string;
  /** SHA-256 of the system part alone: the prefix every request of this version shares. */
  staticPrefixHash: string;
  /** Deprecation notices for the prompt or anything it requires. */
  warnings: string[];
}

/** Splits the user part into prompt-cache segments. */
export const CACHE_BREAKPOINT = '<!-- cache-breakpoint -->';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export class PromptRegistry {
  private readonly prompts: ReadonlyMap<string, PromptTemplate>;

  constructor(prompts: Iterable<PromptTemplate>) {
    const map = new Map<string, PromptTemplate>();
    for (const prompt of prompts) {
      if (map.has(prompt.id)) throw new DspecError(ErrorCode.Internal, `Two prompt files declare the id "${prompt.id}": ${map.get(prompt.id)!.file} and ${prompt.file}.`);
      map.set(prompt.id, prompt);
    }
    this.prompts = map;
    for (const prompt of map.values()) {
      for (const required of prompt.requires) {
        if (!map.has(required)) throw new DspecError(ErrorCode.Internal, `Prompt "${prompt.id}" requires "${required}", which does not exist.`);
      }
      if (prompt.replacedBy && !map.has(prompt.replacedBy)) throw new DspecError(ErrorCode.Internal, `Prompt "${prompt.id}" is replaced by "${prompt.replacedBy}", which does not exist.`);
      this.dependencyOrder(prompt.id);
    }
  }

  /** Every prompt file of `directory` (`*.md`), parsed and cross-checked. */
  static fromDirectory(directory: string): PromptRegistry {
    return new PromptRegistry(promptFileNames(directory).map((name) => parsePromptFile(path.join(directory, name), readFileSync(path.join(directory, name), 'utf8'))));
  }

  list(): PromptSummary[] {
    return [...this.prompts.values()].sort((a, b) => a.id.localeCompare(b.id)).map(summarise);
  }

  get(id: string): PromptTemplate {
    const prompt = this.prompts.get(id);
    if (!prompt) {
      throw new DspecError(ErrorCode.NotFound, `There is no prompt "${id}".`, { suggestion: `Known prompts: ${[...this.prompts.keys()].sort().join(', ')}.` });
    }
    return prompt;
  }

  /**
   * Renders a prompt: required prompts (transitively, each once) become the system part.
   * Throws an InputError naming every missing required variable.
   */
  compose(id: string, variables: Record<string, unknown>): ComposedPrompt {
    const main = this.get(id);
    const chain = this.dependencyOrder(id).map((name) => this.get(name));
    const missing: string[] = [];
    for (const prompt of [...chain, main]) {
      for (const [name, spec] of Object.entries(prompt.variables)) {
        if (spec.required && (variables[name] === undefined || variables[name] === null)) missing.push(`${prompt.id}: ${name}`);
      }
    }
    if (missing.length) {
      throw new InputError(`Prompt "${id}" is missing required variable${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}.`, {
        issues: missing.map((entry) => ({ path: entry, code: 'prompt-variable-missing', message: 'required variable not given' })),
      });
    }
    const warnings = [...chain, main].filter((prompt) => prompt.deprecated).map(deprecationNotice);
    const system = chain.map((prompt) => render(prompt, variables).trim()).join('\n\n');
    const user = render(main, variables)
      .split(CACHE_BREAKPOINT)
      .map((segment) => segment.trim())
      .filter((segment) => segment !== '');
    return {
      id: main.id,
      version: main.version,
      system,
      user,
      hash: sha256Hex(JSON.stringify({ system, user })),
      staticPrefixHash: sha256Hex(system),
      warnings,
    };
  }

  /** Ids a prompt requires, dependencies first, each once; a cycle is an error. */
  private dependencyOrder(id: string, visiting: string[] = []): string[] {
    if (visiting.includes(id)) throw new DspecError(ErrorCode.Internal, `Prompt requirements form a cycle: ${[...visiting, id].join(' → ')}.`);
    const order: string[] = [];
    for (const required of this.get(id).requires) {
      for (const name of [...this.dependencyOrder(required, [...visiting, id]), required]) if (!order.includes(name)) order.push(name);
    }
    return order;
  }
}

function deprecationNotice(prompt: PromptTemplate): string {
  return `Prompt "${prompt.id}" (version ${prompt.version}) is deprecated${prompt.replacedBy ? `; use "${prompt.replacedBy}" instead` : ''}.`;
}

function summarise(prompt: PromptTemplate): PromptSummary {
  return {
    id: prompt.id,
    version: prompt.version,
    description: prompt.description,
    deprecated: prompt.deprecated,
    ...(prompt.replacedBy ? { replacedBy: prompt.replacedBy } : {}),
    variables: Object.entries(prompt.variables).map(([name, spec]) => ({
      name,
      required: spec.required,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    })),
  };
}

function render(prompt: PromptTemplate, variables: Record<string, unknown>): string {
  return prompt.body.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name] ?? prompt.variables[name]?.default ?? '';
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  });
}

/** Parses one prompt file; every placeholder in the body must be a declared variable. */
export function parsePromptFile(file: string, text: string): PromptTemplate {
  let split: ReturnType<typeof splitFrontMatter>;
  try {
    split = splitFrontMatter(text);
  } catch (error) {
    if (error instanceof FrontMatterError) throw new DspecError(ErrorCode.Internal, `Prompt file ${file}: ${error.message}.`);
    throw error;
  }
  const parsed = PromptFrontMatterSchema.safeParse(split.data);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    throw new DspecError(ErrorCode.Internal, `Prompt file ${file}: invalid front matter (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}).`, { issues });
  }
  const undeclared = [...new Set([...split.body.matchAll(PLACEHOLDER)].map((m) => m[1]!))].filter((name) => !Object.hasOwn(parsed.data.variables, name));
  if (undeclared.length) throw new DspecError(ErrorCode.Internal, `Prompt file ${file}: the body uses undeclared variable(s) ${undeclared.join(', ')}.`);
  return { ...parsed.data, body: split.body, file };
}

/**
 * The package's `prompts/` folder: from `src/generation/prompts/` or `dist/generation/prompts/`
 * it is three levels up, from the bundled `dist/bin/` chunks further; walk up to the first
 * folder holding both `package.json` and `prompts/`. Callers that know better pass `promptsDir`.
 */
export function defaultPromptsDir(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(path.join(directory, 'package.json')) && existsSync(path.join(directory, 'prompts'))) return path.join(directory, 'prompts');
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new DspecError(ErrorCode.Internal, 'The prompts/ folder was not found next to the dspec package.', { suggestion: 'Reinstall dspec: the published package ships prompts/.' });
}

const registries = new Map<string, PromptRegistry>();

/** The registry of a prompts folder, read once per folder. */
export function loadPromptRegistry(promptsDir?: string): PromptRegistry {
  const directory = path.resolve(promptsDir ?? defaultPromptsDir());
  let registry = registries.get(directory);
  if (!registry) {
    registry = PromptRegistry.fromDirectory(directory);
    registries.set(directory, registry);
  }
  return registry;
}

const summaries = new Map<string, PromptSummary[]>();

/**
 * Every prompt, for `registerPrompt` at server start: from the build's index while it matches
 * the files, else parsed. Read once per folder, like the registry (stateless HTTP builds a
 * server for every request).
 */
export function listPrompts(options: { promptsDir?: string } = {}): PromptSummary[] {
  const directory = path.resolve(options.promptsDir ?? defaultPromptsDir());
  let listed = summaries.get(directory);
  if (!listed) {
    listed = indexedPromptSummaries(directory) ?? loadPromptRegistry(directory).list();
    summaries.set(directory, listed);
  }
  return listed;
}

/** One prompt's template (front matter and body); throws NOT_FOUND for an unknown id. */
export function getPrompt(id: string, options: { promptsDir?: string } = {}): PromptTemplate {
  return loadPromptRegistry(options.promptsDir).get(id);
}

/** Renders a prompt with the given arguments, as an MCP prompt's callback would. */
export function renderPrompt(id: string, variables: Record<string, unknown>, options: { promptsDir?: string } = {}): ComposedPrompt {
  return loadPromptRegistry(options.promptsDir).compose(id, variables);
}
