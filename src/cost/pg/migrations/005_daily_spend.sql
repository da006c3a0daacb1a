-- Priced spend per UTC day and component, added to by every settle in the same statement as its
-- ledger row, so a reservation sums at most a month of day rows under the budget lock instead of
-- every ledger row of the month. Rows already in the ledger are folded in here.
CREATE TABLE dspec_daily_spend (
  day date NOT NULL,
  component text NOT NULL,
  cost double precision NOT NULL,
  PRIMARY KEY (day, component)
);
INSERT INTO dspec_daily_spend (day, component, cost)
SELECT day, component, sum(total_cost) FROM dspec_ledger
WHERE NOT cache_hit AND total_cost IS NOT NULL
GROUP BY day, component;
