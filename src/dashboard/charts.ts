import { scaleBand, scaleLinear } from 'd3-scale';
import { line, stack } from 'd3-shape';
import { escapeHtml } from '../infra/escape-html.js';

/**
 * Charts as inline SVG strings, computed in Node: d3-scale maps values to pixels and d3-shape
 * builds the stack layout and line paths. The page gets finished SVG, no script and no library
 * code, so it renders offline and identically in every browser.
 */

/** Colour-blind-safe categorical palette (Okabe–Ito, then neutrals), cycled. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#8c959f', '#6f42c1'];
export const colourOf = (index: number) => PALETTE[index % PALETTE.length]!;

const WIDTH = 560;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 16, bottom: 48, left: 64 };
const r = (value: number) => Math.round(value * 10) / 10;

export interface Series {
  key: string;
  values: Array<number | null>;
}

export interface ReferenceLine {
  label: string;
  value: number;
}

function legend(keys: string[], extra: string[] = []): string {
  const items = keys.map((key, i) => `<li><i style="background:${colourOf(i)}"></i>${escapeHtml(key)}</li>`);
  return `<ul class="legend">${items.join('')}${extra.join('')}</ul>`;
}

function yAxis(y: (value: number) => number, ticks: number[], format: (value: number) => string, width: number): string {
  return ticks
    .map(
      (tick) =>
        `<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${r(y(tick))}" y2="${r(y(tick))}"/><text x="${MARGIN.left - 6}" y="${r(y(tick)) + 4}" text-anchor="end">${escapeHtml(format(tick))}</text>`,
    )
    .join('');
}

/** Category labels, thinned so at most ~12 show. */
function xLabels(categories: string[], x: (category: string) => number | undefined, offset: number, label: (category: string) => string): string {
  const every = Math.max(1, Math.ceil(categories.length / 12));
  return categories
    .filter((_, i) => i % every === 0)
    .map((category) => `<text x="${r(x(category)! + offset)}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="middle">${escapeHtml(label(category))}</text>`)
    .join('');
}

function frame(title: string, content: string, caption: string): string {
  return `<figure><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">${content}<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}"/></svg>${caption}</figure>`;
}

function empty(title: string): string {
  return `<figure><p class="note">${escapeHtml(title)}: no data yet.</p></figure>`;
}

/** Stacked bars per category (e.g. spend per day, one stack segment per model), with reference lines (budgets). */
export function stackedBarChart(options: {
  title: string;
  categories: string[];
  series: Series[];
  lines?: ReferenceLine[];
  format: (value: number) => string;
  label?: (category: string) => string;
}): string {
  const { categories, series } = options;
  if (categories.length === 0 || series.length === 0) return empty(options.title);
  const rows = categories.map((_, i) => Object.fromEntries(series.map((s) => [s.key, s.values[i] ?? 0])) as Record<string, number>);
  const layers = stack<Record<string, number>>().keys(series.map((s) => s.key))(rows);
  const top = Math.max(...layers.flatMap((layer) => layer.map((point) => point[1])), ...(options.lines ?? []).map((l) => l.value), 0);
  const x = scaleBand<string>()
    .domain(categories)
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.15);
  const y = scaleLinear()
    .domain([0, top || 1])
    .nice(5)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const bars = layers
    .map((layer, i) =>
      layer
        .map((point, j) => {
          const height = y(point[0]) - y(point[1]);
          if (height <= 0) return '';
          return `<rect x="${r(x(categories[j]!)!)}" y="${r(y(point[1]))}" width="${r(x.bandwidth())}" height="${r(height)}" fill="${colourOf(i)}"><title>${escapeHtml(`${categories[j]} · ${layer.key}: ${options.format(point[1] - point[0])}`)}</title></rect>`;
        })
        .join(''),
    )
    .join('');
  const refs = (options.lines ?? [])
    .map(
      (ref) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${r(y(ref.value))}" y2="${r(y(ref.value))}" stroke="#cf222e" stroke-dasharray="5 3"/><text x="${WIDTH - MARGIN.right}" y="${r(y(ref.value)) - 4}" text-anchor="end" style="fill:#cf222e">${escapeHtml(`${ref.label} ${options.format(ref.value)}`)}</text>`,
    )
    .join('');
  const content = yAxis(y, y.ticks(5), options.format, WIDTH) + bars + refs + xLabels(categories, (c) => x(c), x.bandwidth() / 2, options.label ?? ((c) => c));
  return frame(
    options.title,
    content,
    legend(
      series.map((s) => s.key),
      (options.lines ?? []).map((l) => `<li><i style="background:#cf222e"></i>${escapeHtml(l.label)} budget</li>`),
    ),
  );
}

/** One line per series over the categories; a null value breaks the line (no data that day). */
export function lineChart(options: { title: string; categories: string[]; series: Series[]; max?: number; format: (value: number) => string; label?: (category: string) => string }): string {
  const { categories, series } = options;
  if (categories.length === 0 || series.length === 0) return empty(options.title);
  const top = options.max ?? Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const x = scaleBand<string>()
    .domain(categories)
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.1);
  const y = scaleLinear()
    .domain([0, top || 1])
    .nice(5)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const centre = (i: number) => x(categories[i]!)! + x.bandwidth() / 2;
  const paths = series
    .map((s, i) => {
      const path = line<number | null>()
        .defined((value) => value !== null)
        .x((_, j) => centre(j))
        .y((value) => y(value ?? 0))(s.values);
      const dots = s.values
        .map((value, j) =>
          value === null
            ? ''
            : `<circle cx="${r(centre(j))}" cy="${r(y(value))}" r="2.5" fill="${colourOf(i)}"><title>${escapeHtml(`${categories[j]} · ${s.key}: ${options.format(value)}`)}</title></circle>`,
        )
        .join('');
      return `<path d="${path ?? ''}" fill="none" stroke="${colourOf(i)}" stroke-width="2"/>${dots}`;
    })
    .join('');
  const content = yAxis(y, y.ticks(5), options.format, WIDTH) + paths + xLabels(categories, (c) => x(c), x.bandwidth() / 2, options.label ?? ((c) => c));
  return frame(options.title, content, legend(series.map((s) => s.key)));
}

/** Grouped horizontal bars: one row per label, one bar per series (e.g. pass@1 and pass^k per model). */
export function groupedBarChart(options: { title: string; rows: string[]; series: Series[]; max?: number; format: (value: number) => string }): string {
  const { rows, series } = options;
  if (rows.length === 0 || series.length === 0) return empty(options.title);
  const rowHeight = Math.max(18, series.length * 12 + 8);
  // Room for the longest label (about 6.2 px a character at 11 px), within reason.
  const maxLabel = 40;
  const left = Math.min(260, Math.max(90, Math.max(...rows.map((row) => Math.min(row.length, maxLabel))) * 6.2 + 14));
  const height = MARGIN.top + rows.length * rowHeight + 28;
  const top = options.max ?? Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const x = scaleLinear()
    .domain([0, top || 1])
    .nice(4)
    .range([left, WIDTH - MARGIN.right - 40]);
  const band = scaleBand<string>()
    .domain(rows)
    .range([MARGIN.top, MARGIN.top + rows.length * rowHeight])
    .paddingInner(0.2);
  const inner = scaleBand<string>()
    .domain(series.map((s) => s.key))
    .range([0, band.bandwidth()])
    .padding(0.1);
  const grid = x
    .ticks(4)
    .map(
      (tick) =>
        `<line class="grid" x1="${r(x(tick))}" x2="${r(x(tick))}" y1="${MARGIN.top}" y2="${height - 24}"/><text x="${r(x(tick))}" y="${height - 10}" text-anchor="middle">${escapeHtml(options.format(tick))}</text>`,
    )
    .join('');
  const bars = rows
    .map((row, i) => {
      const label = `<text x="${left - 6}" y="${r(band(row)! + band.bandwidth() / 2 + 4)}" text-anchor="end">${escapeHtml(row.length > maxLabel ? `${row.slice(0, maxLabel - 1)}…` : row)}</text>`;
      const rects = series
        .map((s, k) => {
          const value = s.values[i];
          if (value === null || value === undefined) return '';
          const yPos = band(row)! + inner(s.key)!;
          return `<rect x="${left}" y="${r(yPos)}" width="${r(Math.max(0, x(value) - left))}" height="${r(inner.bandwidth())}" fill="${colourOf(k)}"><title>${escapeHtml(`${row} · ${s.key}: ${options.format(value)}`)}</title></rect><text x="${r(x(value) + 4)}" y="${r(yPos + inner.bandwidth() / 2 + 4)}">${escapeHtml(options.format(value))}</text>`;
        })
        .join('');
      return label + rects;
    })
    .join('');
  return `<figure><svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}" xmlns="http://www.w3.org/2000/svg">${grid}${bars}<line class="axis" x1="${left}" x2="${left}" y1="${MARGIN.top}" y2="${height - 24}"/></svg>${legend(series.map((s) => s.key))}</figure>`;
}
