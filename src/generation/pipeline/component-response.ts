import * as z from 'zod';

/**
 * What `generate_component` (and `dspec component`) answers, Tier 1 or Tier 2: one schema for
 * the tool's output JSON Schema and the routing code's return type. Zod only, so the tool file
 * that imports it stays cheap to load.
 */
export const ComponentResponseSchema = z.object({
  name: z.string(),
  tier: z.enum(['tier1', 'tier2']),
  files: z.array(z.object({ path: z.string(), contents: z.string() })),
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.record(z.string(), z.string()),
  exports: z.array(z.string()),
  catalogVersion: z.string(),
  hash: z.string(),
  themeCss: z.string().optional(),
  warnings: z.array(z.string()),
  provenance: z.record(z.string(), z.unknown()).optional().describe('Tier 2: spec hash, prompt version and hash, provider, model, cache key, attempts…'),
  cost: z.number().nullable().optional().describe('Tier 2: USD spent by this request (0 on a cache hit, null when the model is unpriced).'),
  cacheHit: z.boolean().optional(),
  attempts: z.number().int().optional(),
});
export type ComponentResponse = z.infer<typeof ComponentResponseSchema>;
