-- Who is generating which cache key (src/generation/claims/postgres-claims.ts): a replica that
-- misses the shared cache claims the key before it calls a provider, so each distinct spec is
-- paid for once. A row lives while its holder renews `expires_at`; a released claim is deleted,
-- and the claim of a holder that died is taken over by the next claimant once it has expired.
CREATE TABLE dspec_generation_claims (
  cache_key text PRIMARY KEY,
  holder text NOT NULL,
  -- Per claim: a holder releases or renews only its own claim, never one taken over from it.
  token text NOT NULL,
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
