import * as z from 'zod';
import type { Bundle } from '../../shapes/bundle.js';

/**
 * What the model answers with: one field per file of the bundle, so no file can be forgotten
 * and no path can be invented. This one schema is both the Zod parser for the answer and (as
 * draft-07 JSON Schema) the forced tool's `input_schema`.
 */
export const GeneratedComponentSchema = z.object({
  component: z.string().min(1).describe('Contents of <Name>.tsx: the React component, a named export, importing its props type from ./<Name>.types and its styles from ./<Name>.module.css.'),
  styles: z.string().describe('Contents of <Name>.module.css: class rules using only var(--…) theme variables for colours, spacing, radii and fonts.'),
  types: z.string().describe('Contents of <Name>.types.ts: the exported <Name>Props interface and any related types.'),
  test: z.string().min(1).describe('Contents of <Name>.test.tsx: Vitest + Testing Library cases that render the component and assert observable results.'),
  story: z.string().describe('Contents of <Name>.stories.tsx: a Storybook CSF 3 story file (default meta export, named StoryObj exports).'),
  index: z.string().describe('Contents of index.ts: re-exports the component and its props type.'),
  dependencies: z
    .array(z.object({ name: z.string().min(1).max(214), version: z.string().min(1).max(100) }))
    .describe('npm packages the component imports at run time besides react and react-dom, with semver ranges; usually empty.'),
});
export type GeneratedComponent = z.infer<typeof GeneratedComponentSchema>;

/** The tool the model is forced to call. */
export const GENERATED_COMPONENT_TOOL = {
  name: 'submit_component',
  description: 'Submit the complete component bundle: every file in full, never an excerpt.',
} as const;

let jsonSchema: Record<string, unknown> | undefined;

/** Draft-07 JSON Schema of the answer, from zod 4's own converter (`z.toJSONSchema`). */
export function generatedComponentJsonSchema(): Record<string, unknown> {
  if (!jsonSchema) {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(GeneratedComponentSchema, { target: 'draft-7' }) as Record<string, unknown>;
    jsonSchema = schema;
  }
  return jsonSchema;
}

/** File names of a bundle, by field of the answer. */
export function bundleFileNames(name: string): Record<'component' | 'styles' | 'types' | 'test' | 'story' | 'index', string> {
  return {
    component: `${name}.tsx`,
    styles: `${name}.module.css`,
    types: `${name}.types.ts`,
    test: `${name}.test.tsx`,
    story: `${name}.stories.tsx`,
    index: 'index.ts',
  };
}

/** The answer as the Bundle every component source hands to the gate (tier 2, no provenance yet). */
export function toBundle(name: string, output: GeneratedComponent): Bundle {
  const names = bundleFileNames(name);
  const files = (Object.keys(names) as Array<keyof typeof names>).map((field) => ({ path: names[field], contents: output[field] }));
  const dependencies: Record<string, string> = {};
  for (const dependency of output.dependencies) dependencies[dependency.name] = dependency.version;
  return { name, files, dependencies, exports: [name], tier: 2 };
}
