-- Runs of consecutive availability failures per provider and model (breaker-streaks.ts), kept
-- up to date by each ledger insert: `current` is the run still going, `ended` maps a run
-- length to how many runs of that length have ended.
CREATE TABLE dspec_breaker_streaks (
  provider text NOT NULL,
  model text NOT NULL,
  current integer NOT NULL DEFAULT 0 CHECK (current >= 0),
  ended jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (provider, model)
);
