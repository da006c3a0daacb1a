// Plain JavaScript (with stat-card-entry.d.mts beside it) so the cache tests and the cache benches
// build the same entry. dspec's own functions come in as `codec`: from src/ in tests, from dist/
// in benches (a .mjs file cannot import the TypeScript sources).
/**
 * A self-consistent StatCard cache entry (its key the hash of its key material, its generation
 * hash that of its bundle) for a model answer, so the cache verifies it and only the gate can
 * refuse it. `provenance` adds or replaces provenance fields (e.g. the gate fingerprint).
 */
export function statCardEntryOf(codec, { keyMaterial, output, createdAt, provenance = {} }) {
  const key = codec.cacheKeyOf(keyMaterial);
  const value = codec.BundleSchema.parse(codec.toBundle('StatCard', output));
  return {
    key,
    component: 'StatCard',
    keyMaterial,
    value,
    provenance: {
      specHash: 's',
      promptId: 'component-generation',
      promptVersion: '1',
      promptHash: 'p',
      provider: 'anthropic',
      model: 'claude-test',
      generationHash: codec.hashBundle(value),
      cacheKey: key,
      timestamp: createdAt,
      dspecVersion: '0.1.0',
      attempts: 1,
      validatorVersion: '1.0.0',
      catalogVersion: '1.0.0',
      themeHash: null,
      ...provenance,
    },
    usage: { inputTokens: 1, outputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0 },
    cost: 0,
    createdAt,
  };
}
