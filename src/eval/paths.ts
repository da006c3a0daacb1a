import path from 'node:path';

/** `<home>/evals/`: where runs go by default, and where `latest.json` points at the last one. */
export function evalsDirOf(home: string): string {
  return path.join(home, 'evals');
}
