-- What a hold was taken for, so that a hold whose replica died can be charged rather than
-- forgotten: the sweep turns an expired hold into an `error`/`abandoned` ledger row at its
-- reserved amount (the killed call may already have been billed by the vendor). Holds taken by a
-- replica still on an earlier version get the defaults.
ALTER TABLE dspec_reservations
  ADD COLUMN operation text NOT NULL DEFAULT 'unknown',
  ADD COLUMN provider text NOT NULL DEFAULT 'unknown',
  ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  ADD COLUMN retry integer NOT NULL DEFAULT 0 CHECK (retry >= 0),
  -- false for a hold on an unpriced model (amount 0): its abandoned row is unpriced, not free.
  ADD COLUMN priced boolean NOT NULL DEFAULT true,
  ADD COLUMN price_table_version text NOT NULL DEFAULT 'unknown';
