import { mergeGroups } from './parse-dtcg.js';
import type { ThemeProblems } from './theme-problems.js';
import { MAX_NESTING_DEPTH, createRecord, hasOwn, isPlainObject } from './token-graph.js';

/** The token trees a Tokens Studio export selects: `light` always, `dark` when a theme is named dark. */
export interface StudioTrees {
  light: Record<string, unknown>;
  dark?: Record<string, unknown>;
}

/** Which sets to read: the `$themes` entry named `mode`, plus sets no theme selects that the user asks for. */
export interface StudioReadOptions {
  mode?: string;
  /** Set names to merge in beside the chosen themes' sets (in set order); `"*"` names every set. */
  includeSets?: readonly string[];
}

interface StudioTheme {
  name: string;
  group: string;
  sets: Set<string>;
}

/**
 * A Tokens Studio export: either one token tree (a `$value` file in Tokens Studio's types, without
 * sets), or a multi-set export where each top-level key is a token set (`"global"`, `"brand/color"`)
 * whose name is not part of any token's name, so references cross sets (`{color.white}` in one set
 * names a token of another). Sets merge in `$metadata.tokenSetOrder` (later wins; sets it does not
 * list follow in document order). `$themes` choose the sets: per theme group, the theme named by
 * `mode`, else one named "light" (or the group's first); the dark tree swaps in a theme named
 * "dark" where a group has one. Without `$themes`, every set is used. A multi-set export without
 * `$metadata` and `$themes` is recognised by its shape (see findUnlabelledSets).
 */
export function flattenTokensStudio(input: Record<string, unknown>, problems: ThemeProblems, read: StudioReadOptions = {}): StudioTrees {
  const { mode } = read;
  const labelled = hasStudioMetadata(input);
  const unlabelled = labelled ? undefined : findUnlabelledSets(input);
  if (!labelled && !unlabelled) return { light: input };
  if (unlabelled) {
    const examples = unlabelled.sets
      .slice(0, 3)
      .map((name) => `"${name}"`)
      .join(', ');
    problems.warn(
      '(theme)',
      'token-sets',
      `no $metadata or $themes, but the top-level keys are Tokens Studio set names (${unlabelled.sets.length} sets: ${examples}, …) and ${unlabelled.crossSetReferences} references resolve only across sets: read as a Tokens Studio multi-set export, every set merged in file order (later sets override earlier ones), set names not part of the token names`,
    );
  }
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
  const included = includedSets(setNames, themes, read.includeSets, problems);
  const groups = new Map<string, StudioTheme[]>();
  for (const theme of themes) groups.set(theme.group, [...(groups.get(theme.group) ?? []), theme]);
  const named = (list: StudioTheme[], pattern: RegExp) => list.find((theme) => pattern.test(theme.name));
  if (mode && !themes.some((theme) => theme.name.toLowerCase() === mode.toLowerCase())) {
    problems.warn('$themes', 'unknown-mode', `mode "${mode}" is not one of the themes (${themes.map((t) => t.name).join(', ')})`);
  }
  const pick = (dark: boolean) => {
    const sets = new Set<string>(included);
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

/** `$metadata.tokenSetOrder` or `$themes`: the export says itself that its top-level keys are sets. */
export function hasStudioMetadata(input: Record<string, unknown>): boolean {
  const metadata = input.$metadata;
  return (isPlainObject(metadata) && Array.isArray(metadata.tokenSetOrder)) || Array.isArray(input.$themes);
}

/**
 * Sets no `$themes` entry selects are left out, as Tokens Studio leaves them out of every theme;
 * one warning names them. The ones `includeSets` names (`"*"`: all of them) are read after all.
 */
function includedSets(setNames: string[], themes: StudioTheme[], include: readonly string[] | undefined, problems: ThemeProblems): Set<string> {
  const selected = new Set(themes.flatMap((theme) => [...theme.sets]));
  const unselected = setNames.filter((name) => !selected.has(name));
  const all = include?.includes('*') ?? false;
  const asked = new Set(include?.filter((name) => name !== '*'));
  for (const name of asked) {
    if (!setNames.includes(name))
      problems.warn('includeSets', 'unknown-set', `includeSets names "${name}", which is not a set of this export (sets: ${setNames.slice(0, 10).join(', ')}${setNames.length > 10 ? ', …' : ''})`);
  }
  const included = new Set(unselected.filter((name) => all || asked.has(name)));
  const dropped = unselected.filter((name) => !included.has(name));
  if (dropped.length) {
    problems.warn(
      '$themes',
      'unselected-sets',
      `${dropped.length} set${dropped.length === 1 ? ' is' : 's are'} selected by no $themes entry and left out: ${dropped.map((name) => `"${name}"`).join(', ')}; read them with option includeSets (CLI --include-sets ${JSON.stringify(dropped.join(','))}, or "*" for every set)`,
    );
  }
  return included;
}

/** What reading a file without `$metadata` as Tokens Studio sets rests on. */
export interface UnlabelledSets {
  sets: string[];
  /** References that name no token as written but one in the merged sets. */
  crossSetReferences: number;
}

/**
 * A Tokens Studio multi-set export stripped of `$metadata` and `$themes` (as token-transformer
 * writes `src/generated/<theme>/tokens.json`): most top-level keys are set paths (`brand/color`,
 * `components/button`), AND more references resolve only once the sets are merged than resolve
 * only as written. A DTCG or Style Dictionary file whose top-level groups merely contain a "/"
 * names its tokens with the group, so its references resolve as written and it is not taken for one.
 */
export function findUnlabelledSets(input: Record<string, unknown>): UnlabelledSets | undefined {
  const sets = Object.keys(input).filter((key) => !key.startsWith('$') && isPlainObject(input[key]));
  if (sets.length < 2 || sets.filter((name) => name.includes('/')).length * 2 <= sets.length) return undefined;
  let merged = createRecord<unknown>();
  for (const name of sets) merged = mergeGroups(merged, input[name] as Record<string, unknown>, 0);
  let crossSet = 0;
  let asWritten = 0;
  for (const reference of collectReferences(input)) {
    const direct = namesToken(input, reference);
    const viaMerge = namesToken(merged, reference);
    if (viaMerge && !direct) crossSet++;
    else if (direct && !viaMerge) asWritten++;
  }
  return crossSet > 0 && crossSet > asWritten ? { sets, crossSetReferences: crossSet } : undefined;
}

const REFERENCE = /\{([^{}]+)\}/g;

/** Every distinct `{a.b}` reference in token values (a legacy `{a.b.value}` without its `.value`). */
function collectReferences(root: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_NESTING_DEPTH) return;
    if (typeof value === 'string') {
      for (const match of value.matchAll(REFERENCE)) found.add(match[1]!.trim().replace(/\.value$/, ''));
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) if (key === '$value' || key === 'value' || !key.startsWith('$')) visit(value[key], depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

/** Whether a dotted reference reaches a token (`$value` or `value`) in the tree, reading own properties only. */
function namesToken(tree: Record<string, unknown>, reference: string): boolean {
  let node: unknown = tree;
  for (const segment of reference.split('.')) {
    if (!isPlainObject(node) || !hasOwn(node, segment)) return false;
    node = node[segment];
  }
  return isPlainObject(node) && (hasOwn(node, '$value') || hasOwn(node, 'value'));
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
