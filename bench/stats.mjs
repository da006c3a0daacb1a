// Small statistics helpers shared by the benchmark sections.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Times an async or sync function `runs` times (given the run's index) after `warmup` untimed calls; returns milliseconds. */
export async function timeRuns(fn, { runs = 20, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  const keys = Object.keys(rows[0] ?? {});
  const widths = new Map(keys.map((key) => [key, Math.max(key.length, ...rows.map((row) => String(row[key]).length))]));
  console.log(keys.map((key) => key.padEnd(widths.get(key) ?? 0)).join('  '));
  for (const row of rows) console.log(keys.map((key) => String(row[key]).padEnd(widths.get(key) ?? 0)).join('  '));
}
