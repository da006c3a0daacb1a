import semver from 'semver';

/**
 * What a bundle may declare as a dependency's version: an npm semver range (`^1.2.3`, `~2`,
 * `>=1.4 <2`, `1.x`), checked with `semver.validRange`. Anything else would let a bundle that
 * passed the gate install code the gate never saw: an `npm:` alias swaps the package, git,
 * `github:` and URL specs fetch arbitrary sources, `file:`/`link:`/`workspace:` point into the
 * consumer's disk, and a dist-tag (`latest`) floats to whatever is published next.
 */

export interface SpecProblem {
  code: 'dependency-alias' | 'dependency-git' | 'dependency-local' | 'dependency-url' | 'dependency-dist-tag' | 'dependency-range-invalid';
  message: string;
  suggestion: string;
}

const PIN_HINT = 'Declare an npm semver range of the package itself, e.g. "^1.2.0".';

/** Why `spec` is not an acceptable range for `pkg`, or undefined when it is one. */
export function dependencySpecProblem(pkg: string, spec: string): SpecProblem | undefined {
  const text = spec.trim();
  const named = `"${pkg}": "${spec}"`;
  if (/^npm:/i.test(text)) return { code: 'dependency-alias', message: `${named} is an npm alias: it installs another package under this name`, suggestion: PIN_HINT };
  if (/^(git(\+[a-z]+)?|github|gitlab|bitbucket|gist):/i.test(text) || /\.git(#.*)?$/i.test(text)) {
    return { code: 'dependency-git', message: `${named} is a git spec: it installs unreviewed sources instead of a published version`, suggestion: PIN_HINT };
  }
  if (/^(file|link|workspace|portal|patch):/i.test(text)) {
    return { code: 'dependency-local', message: `${named} points at a local path or workspace, not a published version`, suggestion: PIN_HINT };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { code: 'dependency-url', message: `${named} is a URL (tarball or repository), not a version range`, suggestion: PIN_HINT };
  if (semver.validRange(text) !== null) return undefined;
  // `user/repo` and `user/repo#ref` are npm's GitHub shorthand.
  if (/^[\w.-]+\/[\w.-]+(#.*)?$/.test(text))
    return { code: 'dependency-git', message: `${named} is GitHub shorthand: it installs unreviewed sources instead of a published version`, suggestion: PIN_HINT };
  if (/^[a-z][a-z0-9._-]*$/i.test(text)) {
    return {
      code: 'dependency-dist-tag',
      message: `${named} is a dist-tag: it follows whatever is published next`,
      suggestion: `Pin a range instead of "${text}", e.g. "^1.2.0" for the version you checked.`,
    };
  }
  return { code: 'dependency-range-invalid', message: `${named} is not a semver range`, suggestion: PIN_HINT };
}

export type MergedRange = { ok: true; range: string } | { ok: false };

/**
 * Two ranges one package is asked for by two components: both must be satisfiable at once
 * (`semver.intersects`). The narrower is kept when one is a subset of the other; otherwise
 * both, joined by a space, which npm reads as "and" (distributed over `||`, which binds looser).
 */
export function mergeRange(current: string, wanted: string): MergedRange {
  if (current === wanted) return { ok: true, range: current };
  if (!semver.intersects(current, wanted)) return { ok: false };
  if (semver.subset(wanted, current)) return { ok: true, range: wanted };
  if (semver.subset(current, wanted)) return { ok: true, range: current };
  const alternatives = (range: string) => range.split('||').map((part) => part.trim());
  const pairs = alternatives(current).flatMap((left) =>
    alternatives(wanted)
      .filter((right) => semver.intersects(left, right))
      .map((right) => `${left} ${right}`),
  );
  return { ok: true, range: pairs.join(' || ') };
}
