-- The cost ledger: one row per LLM HTTP attempt and per cache hit, as in .dspec/costs.jsonl.
-- `record` keeps the whole LedgerRecord; the columns beside it are what the budget checks and
-- the reports sum, so neither has to read the JSON.
CREATE TABLE dspec_ledger (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  recorded_at timestamptz NOT NULL,
  -- The UTC day of the record's timestamp: budgets and reports count whole UTC days.
  day date NOT NULL,
  operation text NOT NULL,
  component text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  outcome text NOT NULL,
  cache_hit boolean NOT NULL,
  attempt integer NOT NULL,
  retry integer NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  cache_read_tokens bigint NOT NULL,
  -- USD; NULL when the model is unpriced (never a silent 0).
  total_cost double precision,
  cost_saved double precision NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX dspec_ledger_day ON dspec_ledger (day, component);
