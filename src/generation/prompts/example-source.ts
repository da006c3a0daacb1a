import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../catalog/catalog.js';

export interface ComponentSpec {
  name: string;
  description: string;
  props?: Record<string, unknown> | undefined;
}

export interface ExampleComponent {
  name: string;
  files: Array<{ path: string; contents: string }>;
}

/** Vetted components shown to the model as examples of the house style. */
export interface ExampleSource {
  similar(spec: ComponentSpec, count: number): ExampleComponent[];
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'with', 'for', 'to', 'in', 'on', 'that', 'is', 'it', 'its', 'as', 'by', 'be', 'shows', 'show', 'component', 'react', 'ui']);

/** Lower-case words of a text, camelCase split (`StatCard` → stat, card), stop words dropped. */
export function keywords(text: string): Set<string> {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word));
  return new Set(words);
}

export interface CandidateComponent {
  name: string;
  aliases: readonly string[];
  description: string;
  category?: string;
}

/**
 * Ranks candidates by keyword overlap with the request: a word shared with a component's
 * name or aliases counts three, with its description or category one. Ties go to the
 * alphabetically first name, so the choice (and the prompt hash) is deterministic.
 */
export function rankBySimilarity(spec: ComponentSpec, candidates: readonly CandidateComponent[]): Array<{ name: string; score: number }> {
  const wanted = keywords(`${spec.name} ${spec.description}`);
  return candidates
    .map((candidate) => {
      const names = keywords([candidate.name, ...candidate.aliases].join(' '));
      const prose = keywords(`${candidate.description} ${candidate.category ?? ''}`);
      let score = 0;
      for (const word of wanted) score += (names.has(word) ? 3 : 0) + (prose.has(word) ? 1 : 0);
      return { name: candidate.name, score };
    })
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}

/** Shown when nothing overlaps: a surface, a control and a form field cover most conventions. */
const FALLBACK_EXAMPLES = ['Card', 'Button', 'Input'];

/**
 * Examples from the Tier 1 catalog: the `<Name>.tsx` and `<Name>.module.css` of the most
 * similar components, read on first use and kept.
 */
export function createCatalogExampleSource(catalog: Catalog): ExampleSource {
  const candidates: CandidateComponent[] = [...catalog.components.values()].map((entry) => ({
    name: entry.meta.name,
    aliases: entry.meta.aliases,
    description: entry.meta.description,
    category: entry.meta.category,
  }));
  const files = new Map<string, ExampleComponent>();
  const read = (name: string): ExampleComponent | undefined => {
    const entry = catalog.components.get(name);
    if (!entry) return undefined;
    let example = files.get(name);
    if (!example) {
      const wanted = [`${name}/${name}.tsx`, `${name}/${name}.module.css`].filter((file) => entry.files.includes(file));
      example = { name, files: wanted.map((file) => ({ path: path.basename(file), contents: readFileSync(path.join(catalog.root, file), 'utf8') })) };
      files.set(name, example);
    }
    return example;
  };
  return {
    similar(spec, count) {
      const ranked = rankBySimilarity(spec, candidates).filter((candidate) => candidate.score > 0 && candidate.name !== spec.name);
      const names = ranked.map((candidate) => candidate.name);
      for (const fallback of FALLBACK_EXAMPLES) if (names.length < count && !names.includes(fallback)) names.push(fallback);
      return names
        .slice(0, count)
        .map(read)
        .filter((example): example is ExampleComponent => example !== undefined);
    },
  };
}

/** Renders examples as Markdown sections with fenced files. */
export function renderExamples(examples: readonly ExampleComponent[]): string {
  if (examples.length === 0) return '(none)';
  return examples
    .map((example) => [`### ${example.name}`, ...example.files.map((file) => `\`${file.path}\`\n\n\`\`\`${file.path.endsWith('.css') ? 'css' : 'tsx'}\n${file.contents.trimEnd()}\n\`\`\``)].join('\n\n'))
    .join('\n\n');
}
