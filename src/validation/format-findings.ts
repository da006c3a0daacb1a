import { VALIDATION_LAYERS, compareFindings, type Finding } from '../shapes/finding.js';

function location(f: Finding): string {
  return f.line ? `${f.file}:${f.line}:${f.column}` : f.file;
}

/** Compiler-style lines (`file:line:col  severity  code  message`) and a closing count. */
export function formatFindingsForHumans(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no problems found\n';
  const sorted = [...findings].sort(compareFindings);
  const lines = sorted.map((f) => `${location(f)}  ${f.severity}  ${f.code}  ${f.message}${f.suggestion ? `\n    hint: ${f.suggestion}` : ''}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A compact brief an LLM can act on: grouped by layer in gate order, errors before warnings,
 * one line per finding with its fix, and never longer than `maxChars` ("… N more" instead).
 */
export function formatFindingsForRepair(findings: readonly Finding[], { maxChars = 4000 }: { maxChars?: number } = {}): string {
  if (findings.length === 0) return 'The component passed every check.';
  const header = `The component failed validation with ${findings.length} finding${findings.length === 1 ? '' : 's'}. Fix each one and return the whole bundle.`;
  const out: string[] = [header];
  let used = header.length;
  let shown = 0;
  const budget = Math.max(200, maxChars - 40);
  outer: for (const layer of VALIDATION_LAYERS) {
    const inLayer = findings.filter((f) => f.layer === layer).sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning') || compareFindings(a, b));
    if (inLayer.length === 0) continue;
    const title = `\n[${layer}]`;
    if (used + title.length > budget) break;
    out.push(title);
    used += title.length + 1;
    for (const f of inLayer) {
      const line = `- ${location(f)} ${f.code}${f.severity === 'warning' ? ' (warning)' : ''}: ${f.message}${f.suggestion ? ` → ${f.suggestion}` : ''}`;
      if (used + line.length + 1 > budget) break outer;
      out.push(line);
      used += line.length + 1;
      shown++;
    }
  }
  if (shown < findings.length) out.push(`… ${findings.length - shown} more`);
  return out.join('\n');
}
