import { ThemeError } from '../errors.js';
import { findUnsafeCss } from './css-safety.js';
import type { Declaration } from './emit-css.js';
import { toVariableName } from './variable-name.js';

/**
 * A variable that consumers of the theme (the catalog's components) read, with where its value
 * may come from. The theme module only knows this shape; the catalog supplies the list.
 */
export interface DefaultBinding {
  name: string;
  /** Token paths (`semantic.background.brand.default`) or other variable names (`--dspec-color-brand`), in priority order. */
  sources: readonly string[];
  /** A literal CSS value for when the theme defines none of the sources. */
  fallback: string;
}

export interface BoundDefaults {
  light: Declaration[];
  dark: Declaration[];
  resolvedLight: Map<string, string>;
  resolvedDark: Map<string, string>;
}

const VAR_REFERENCE = /var\((--[A-Za-z0-9_-]+)\)/g;

interface Choice {
  /** The variable this binding reads, or undefined when it falls back to its literal. */
  source?: string;
  light: string;
  dark: string;
}

/**
 * Binds every default the theme does not define itself: `--name: var(--<first defined source>)`
 * (or the final value, in resolve mode), else the fallback. Sources that are other bindings are
 * bound first; a binding may not depend on itself.
 */
export function bindDefaults(
  bindings: readonly DefaultBinding[],
  emitted: ReadonlySet<string>,
  resolved: { light: Map<string, string>; dark: Map<string, string> },
  style: 'var' | 'resolve',
): BoundDefaults {
  const byName = new Map(bindings.map((binding) => [binding.name, binding]));
  const choices = new Map<string, Choice>();
  const inProgress = new Set<string>();

  const finalOf = (variable: string, mode: 'light' | 'dark'): string | undefined => {
    const choice = choices.get(variable);
    if (choice) return choice[mode];
    return mode === 'dark' ? (resolved.dark.get(variable) ?? resolved.light.get(variable)) : resolved.light.get(variable);
  };

  const choose = (binding: DefaultBinding): Choice => {
    const known = choices.get(binding.name);
    if (known) return known;
    if (inProgress.has(binding.name)) {
      throw new ThemeError(`default binding ${binding.name} depends on itself`, [
        { path: binding.name, code: 'binding-cycle', message: `cycle through ${[...inProgress].join(' → ')} → ${binding.name}` },
      ]);
    }
    inProgress.add(binding.name);
    let choice: Choice | undefined;
    for (const source of binding.sources) {
      const variable = source.startsWith('--') ? source : toVariableName(source.split('.'));
      if (emitted.has(variable)) {
        choice = { source: variable, light: finalOf(variable, 'light')!, dark: finalOf(variable, 'dark')! };
        break;
      }
      const dependency = byName.get(variable);
      if (dependency && !emitted.has(dependency.name)) {
        const bound = choose(dependency);
        choice = { source: variable, light: bound.light, dark: bound.dark };
        break;
      }
    }
    choice ??= fallbackChoice(binding);
    inProgress.delete(binding.name);
    choices.set(binding.name, choice);
    return choice;
  };

  /** A fallback may read other bindings (`var(--dspec-color-canvas)`): they are bound first, and their final values substituted. */
  function fallbackChoice(binding: DefaultBinding): Choice {
    const substitute = (mode: 'light' | 'dark') =>
      binding.fallback.replace(VAR_REFERENCE, (whole, variable: string) => {
        const dependency = byName.get(variable);
        if (dependency && !emitted.has(variable)) choose(dependency);
        return finalOf(variable, mode) ?? whole;
      });
    return { light: substitute('light'), dark: substitute('dark') };
  }

  const result: BoundDefaults = { light: [], dark: [], resolvedLight: new Map(), resolvedDark: new Map() };
  for (const binding of bindings) {
    if (emitted.has(binding.name)) continue;
    const unsafe = findUnsafeCss(binding.fallback);
    if (unsafe) throw new ThemeError(`default binding ${binding.name} has an unsafe fallback`, [{ path: binding.name, code: 'unsafe-value', message: `fallback ${unsafe}` }]);
    const choice = choose(binding);
    const description = choice.source ? `default binding from ${choice.source}` : 'default binding: fallback value (the theme defines none of its sources)';
    if (style === 'var') {
      result.light.push({ name: binding.name, value: choice.source ? `var(${choice.source})` : binding.fallback, description });
    } else {
      result.light.push({ name: binding.name, value: choice.light, description });
      if (choice.dark !== choice.light) result.dark.push({ name: binding.name, value: choice.dark });
    }
    result.resolvedLight.set(binding.name, choice.light);
    result.resolvedDark.set(binding.name, choice.dark);
  }
  return result;
}
