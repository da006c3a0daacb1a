// The text report of a run: scenario → verdict per revision, then the failing checks with their
// messages, the warnings, the checks set aside for want of the suite's fixtures, and what does
// not apply and why.
import { SCENARIOS } from './scenarios.mjs';

/** @typedef {import('./run-scenario.mjs').ScenarioResult} ScenarioResult */
/** @typedef {(typeof import('./scenarios.mjs').REVISIONS)[number]} Revision */

/**
 * @param {{ title: string, revisions: Revision[], results: Partial<Record<Revision, ScenarioResult[]>>, only?: string[] }} run
 *   `only`: the scenarios the run was limited to, if it was
 * @returns {string}
 */
export function formatReport({ title, revisions, results, only }) {
  const shown = (/** @type {string} */ name) => !only || only.includes(name);
  const names = [...new Set(revisions.flatMap((revision) => [...SCENARIOS[revision].applicable, ...Object.keys(SCENARIOS[revision].notApplicable)]))].filter(shown);
  const rows = names.map((name) => [
    name,
    ...revisions.map((revision) => {
      const result = results[revision]?.find((candidate) => candidate.scenario === name);
      if (result) return verdictCell(result);
      return name in SCENARIOS[revision].notApplicable ? 'n/a' : '-';
    }),
  ]);
  const sections = [title, formatTable(['scenario', ...revisions], rows)];

  /** @param {string} heading @param {(result: ScenarioResult) => Array<{ id: string, message: string }>} pick */
  const notes = (heading, pick) => {
    const lines = revisions.flatMap((revision) =>
      (results[revision] ?? []).flatMap((result) => pick(result).map((note) => `  ${revision} ${result.scenario} [${note.id}]: ${note.message.replaceAll('\n', '\n      ')}`)),
    );
    if (lines.length > 0) sections.push(`${heading}:\n${lines.join('\n')}`);
  };
  notes('Failures', (result) => result.failures);
  notes('Warnings (SHOULD-level, not failing)', (result) => result.warnings);
  notes("Not counted: checks that need the suite's own diagnostic fixtures (test_* tools)", (result) => result.fixtureGaps);
  // One line per scenario and reason, naming the revisions it holds for.
  /** @type {Map<string, { name: string, reason: string, where: Revision[] }>} */
  const excused = new Map();
  for (const revision of revisions) {
    for (const [name, reason] of Object.entries(SCENARIOS[revision].notApplicable)) {
      if (!shown(name)) continue;
      const entry = excused.get(`${name}\n${reason}`) ?? { name, reason, where: [] };
      entry.where.push(revision);
      excused.set(`${name}\n${reason}`, entry);
    }
  }
  const excusedLines = [...excused.values()].map(({ name, reason, where }) => `  ${name} (${where.join(', ')}): ${reason}`);
  if (excusedLines.length > 0) sections.push(`Not applicable (n/a):\n${excusedLines.join('\n')}`);
  return sections.join('\n\n');
}

/** @param {ScenarioResult} result */
function verdictCell(result) {
  if (result.verdict === 'fail') return `FAIL (${result.failures.length} failed)`;
  if (result.passed === 0 && result.skipped > 0) return 'pass (all skipped)';
  const notes = [counted(result.warnings.length, 'warning'), counted(result.fixtureGaps.length, 'fixture gap'), counted(result.skipped, 'skipped')].filter(Boolean);
  return notes.length > 0 ? `pass (${notes.join(', ')})` : 'pass';
}

/** @param {number} count @param {string} noun */
function counted(count, noun) {
  return count === 0 ? '' : `${count} ${noun}${count > 1 ? 's' : ''}`;
}

/** @param {string[]} header @param {string[][]} rows */
function formatTable(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (/** @type {string[]} */ row) =>
    row
      .map((text, column) => text.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
