-- The budgets (one row, the same JSON document as .dspec/budgets.json) and the holds of calls
-- in flight. A hold lapses at expires_at: a replica killed mid-call frees its holds once they
-- expire, and every reserve sweeps the expired ones.
CREATE TABLE dspec_budgets (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  budgets jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE dspec_reservations (
  id uuid PRIMARY KEY,
  amount double precision NOT NULL CHECK (amount >= 0),
  component text NOT NULL,
  model text NOT NULL,
  -- host:pid of the replica that holds it, for a person reading the table.
  holder text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX dspec_reservations_expiry ON dspec_reservations (expires_at);
