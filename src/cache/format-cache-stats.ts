import type { CacheListPage, CacheStats } from './file-cache.js';

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const kib = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);
const usd = (cost: number | null) => (cost === null ? 'unpriced' : `$${cost.toFixed(2)}`);

export function formatCacheStats(stats: CacheStats): string {
  const lines = [
    `${stats.entries} cached entries, ${kib(stats.totalBytes)}; oldest ${stats.oldest ?? '-'}, newest ${stats.newest ?? '-'}; ${stats.quarantined} quarantined`,
    `this process: memory hits ${stats.process.memoryHits}, misses ${stats.process.memoryMisses}; disk hits ${stats.process.diskHits}, misses ${stats.process.diskMisses}`,
  ];
  if (stats.index.corruptLines || stats.index.rebuilt || stats.index.repairedEntries || stats.index.droppedEntries) {
    lines.push(
      `index: ${stats.index.rebuilt ? 'rebuilt from the files, ' : ''}${stats.index.corruptLines} corrupt line(s), ${stats.index.repairedEntries} added, ${stats.index.droppedEntries} dropped`,
    );
  }
  for (const [title, rows] of [
    ['component', stats.byComponent],
    ['model', stats.byModel],
    ['provider', stats.byProvider],
  ] as const) {
    if (rows.length === 0) continue;
    lines.push(
      '',
      table(
        [title, 'entries', 'size', 'cost when made'],
        rows.slice(0, 20).map((r) => [r.name, r.entries, kib(r.bytes), usd(r.cost)]),
      ),
    );
    if (rows.length > 20) lines.push(`… ${rows.length - 20} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatCacheList(page: CacheListPage): string {
  if (page.entries.length === 0) return 'No cached entries.\n';
  const body = table(
    ['key', 'component', 'model', 'created', 'size', 'cost'],
    page.entries.map((e) => [e.key.slice(0, 16), e.component, e.model, e.createdAt, kib(e.bytes), usd(e.cost)]),
  );
  return `${body}\n${page.entries.length} of ${page.total}${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}\n`;
}
