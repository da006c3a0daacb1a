import { mergeGroups } from './parse-dtcg.js';
import type { ThemeProblems } from './theme-problems.js';
import { createRecord, hasOwn, isPlainObject } from './token-graph.js';

/** The token trees a Tokens Studio export selects: `light` always, `dark` when a theme is named dark. */
export interface StudioTrees {
  light: Record<string, unknown>;
  dark?: Record<string, unknown>;
}

interface StudioTheme {
  name: string;
  group: string;
  sets: Set<string>;
}

/**
 * A Tokens Studio multi-set export: each top-level key is a token set (`"global"`, `"brand/color"`)
 * whose name is not part of any token's name, so references cross sets (`{color.white}` in one set
 * names a token of another). Sets merge in `$metadata.tokenSetOrder` (later wins; sets it does not
 * list follow in document order). `$themes` choose the sets: per theme group, the theme named by
 * `mode`, else one named "light" (or the group's first); the dark tree swaps in a theme named
 * "dark" where a group has one. Without `$themes`, every set is used.
 */
export function flattenTokensStudio(input: Record<string, unknown>, problems: ThemeProblems, mode?: string): StudioTrees {
  const setNames = Object.keys(input).filter((key) => !key.startsWith('$') && isPlainObject(input[key]));
  const order = setOrder(input, setNames, problems);
  const themes = readThemes(input.$themes, new Set(setNames), problems);
  const merge = (sets: Set<string> | undefined) => {
    let tree = createRecord<unknown>();
    for (const name of order) if (!sets || sets.has(name)) tree = mergeGroups(tree, input[name] as Record<string, unknown>, 0);
    return tree;
  };
  if (themes.length === 0) {
    if (mode) problems.warn('$themes', 'unknown-mode', `mode "${mode}" was asked for, but the export has no $themes; every set is used`);
    return { light: merge(undefined) };
  }
  const groups = new Map<string, StudioTheme[]>();
  for (const theme of themes) groups.set(theme.group, [...(groups.get(theme.group) ?? []), theme]);
  const named = (list: StudioTheme[], pattern: RegExp) => list.find((theme) => pattern.test(theme.name));
  if (mode && !themes.some((theme) => theme.name.toLowerCase() === mode.toLowerCase())) {
    problems.warn('$themes', 'unknown-mode', `mode "${mode}" is not one of the themes (${themes.map((t) => t.name).join(', ')})`);
  }
  const pick = (dark: boolean) => {
    const sets = new Set<string>();
    for (const list of groups.values()) {
      const chosen =
        (mode ? list.find((theme) => theme.name.toLowerCase() === mode.toLowerCase()) : undefined) ??
        (dark ? named(list, /dark/i) : undefined) ??
        named(list, /light|default|base/i) ??
        list.find((theme) => !/dark/i.test(theme.name)) ??
        list[0]!;
      for (const set of chosen.sets) sets.add(set);
    }
    return sets;
  };
  const light = pick(false);
  const hasDark = !mode && themes.some((theme) => /dark/i.test(theme.name));
  return hasDark ? { light: merge(light), dark: merge(pick(true)) } : { light: merge(light) };
}

function setOrder(input: Record<string, unknown>, setNames: string[], problems: ThemeProblems): string[] {
  const metadata = input.$metadata;
  const listed = isPlainObject(metadata) && Array.isArray(metadata.tokenSetOrder) ? metadata.tokenSetOrder.filter((name): name is string => typeof name === 'string') : [];
  for (const name of listed) if (!setNames.includes(name)) problems.warn('$metadata.tokenSetOrder', 'unknown-set', `lists the set "${name}", which the export does not contain`);
  const order = listed.filter((name) => setNames.includes(name));
  return [...order, ...setNames.filter((name) => !order.includes(name))];
}

function readThemes(value: unknown, setNames: Set<string>, problems: ThemeProblems): StudioTheme[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.warn('$themes', 'schema-violation', '$themes must be an array of themes; ignored');
    return [];
  }
  const themes: StudioTheme[] = [];
  value.forEach((theme, index) => {
    if (!isPlainObject(theme) || typeof theme.name !== 'string' || !isPlainObject(theme.selectedTokenSets)) {
      problems.warn(`$themes.${index}`, 'schema-violation', 'a theme needs a name and selectedTokenSets; ignored');
      return;
    }
    const selected = theme.selectedTokenSets;
    const sets = new Set<string>();
    for (const set of Object.keys(selected)) {
      // "source" sets are read for references, "enabled" ones are output; both are needed here.
      if (selected[set] === 'disabled') continue;
      if (!setNames.has(set)) problems.warn(`$themes.${index}`, 'unknown-set', `theme "${theme.name}" selects the set "${set}", which the export does not contain`);
      else sets.add(set);
    }
    themes.push({ name: theme.name, group: typeof theme.group === 'string' && hasOwn(theme, 'group') ? theme.group : '', sets });
  });
  return themes;
}
