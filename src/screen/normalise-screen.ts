import { findComponent, type Catalog } from '../catalog/catalog.js';
import type { ComponentMeta } from '../catalog/component-meta.js';
import { HandlerNameSchema, propsSchemaFor } from '../catalog/props-schema.js';
import { InputError, type ErrorIssue } from '../errors.js';
import {
  BlueprintSchema,
  formatPath,
  joinPath,
  LAYOUT_SLOTS,
  ScreenLimitsSchema,
  TektonScreenSchema,
  type RawNode,
  type Screen,
  type ScreenChild,
  type ScreenElement,
  type ScreenLimits,
  type ScreenLimitsInput,
  type ScreenRegion,
} from './screen-model.js';

/** Most issues one rejection lists; a hostile document could otherwise produce thousands. */
const MAX_ISSUES = 50;

/** Props a component without metadata (Tier 2) may not receive: they bypass React's escaping or its reconciliation. */
const FORBIDDEN_PROPS = new Set(['dangerouslySetInnerHTML', 'ref', 'key', '__proto__', 'constructor', 'prototype']);
const JSX_PROP_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$|^(aria|data)-[a-z0-9-]+$/;
const HANDLER_PROP = /^on[A-Z]/;

/**
 * Reads a screen in either form (Tekton definition or blueprint) into the one `Screen` tree,
 * checking sizes first (iteratively, so depth alone cannot overflow a stack), then the shape,
 * then every node's props against its catalog component. All problems are thrown together as
 * one InputError whose issues name their place in the input (`sections[0].components[2].props.variant`).
 */
export function normaliseScreen(input: unknown, catalog: Catalog, limitsInput: ScreenLimitsInput = {}): Screen {
  const limits = ScreenLimitsSchema.parse(limitsInput);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputError('The screen must be a JSON object: a Tekton screen definition or a blueprint.');
  }
  const sizeIssues = checkScreenLimits(input, limits);
  if (sizeIssues.length) throw rejection('The screen exceeds the export limits', sizeIssues);

  const record = input as Record<string, unknown>;
  const isTekton = 'sections' in record || 'shell' in record || 'page' in record;
  const isBlueprint = 'layout' in record || 'components' in record;
  if (!isTekton && !isBlueprint) {
    throw new InputError('The screen is neither a Tekton screen definition (shell, page, sections) nor a blueprint (layout, components).', {
      suggestion: 'Send { id, name, shell, page, sections: [...] } or { id, name, layout, components: [...] }.',
    });
  }
  const screen = isTekton ? fromTekton(record) : fromBlueprint(record);
  const issues: ErrorIssue[] = [];
  for (const region of screen.regions) for (const element of region.children) checkElement(element, catalog, issues);
  if (issues.length) throw rejection(`The screen "${screen.id}" has invalid components`, issues);
  screen.componentName = uniqueScreenName(screen, catalog);
  return screen;
}

function rejection(message: string, issues: ErrorIssue[]): InputError {
  const shown = issues.slice(0, MAX_ISSUES);
  const first = shown[0];
  return new InputError(`${message}: ${first ? `${first.path}: ${first.message}` : ''}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, {
    issues: shown,
    suggestion: 'Fix the listed paths of the screen definition and export again.',
  });
}

/** Keys whose array elements are component nodes: each level below one of them is one level of depth. */
const NODE_LIST_KEYS = new Set(['components', 'children']);

/**
 * Size limits over the raw JSON, walked with an explicit stack: node depth and count, the
 * longest string, all strings together, and raw JSON nesting of any kind.
 */
export function checkScreenLimits(input: unknown, limits: ScreenLimits): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const reported = new Set<string>();
  // One issue per kind (one per string for long texts), so a hostile document yields a short list.
  const report = (code: string, path: Array<string | number>, message: string, key = code) => {
    if (reported.has(key)) return;
    reported.add(key);
    issues.push({ path: formatPath(path), code, message });
  };
  let nodes = 0;
  let textBytes = 0;
  const stack: Array<{ value: unknown; path: Array<string | number>; nodeDepth: number; jsonDepth: number; isNode: boolean }> = [{ value: input, path: [], nodeDepth: 0, jsonDepth: 0, isNode: false }];
  while (stack.length) {
    const { value, path, nodeDepth, jsonDepth, isNode } = stack.pop()!;
    if (isNode && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      nodes++;
      if (nodes > limits.maxNodes) report('too-many-nodes', path, `the screen has more than ${limits.maxNodes} component nodes`);
      if (nodeDepth > limits.maxDepth) report('too-deep', path, `components are nested ${nodeDepth} deep; the limit is ${limits.maxDepth}`);
    }
    if (typeof value === 'string') {
      textBytes += Buffer.byteLength(value);
      if (value.length > limits.maxTextLength) report('text-too-long', path, `text of ${value.length} characters; the limit is ${limits.maxTextLength}`, `text:${formatPath(path)}`);
      if (textBytes > limits.maxTotalTextBytes) report('text-total-too-large', path, `the screen's text exceeds ${limits.maxTotalTextBytes} bytes in all`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (jsonDepth > limits.maxJsonDepth) {
      report('json-too-deep', path, `JSON nested more than ${limits.maxJsonDepth} levels`);
      continue;
    }
    if (issues.length >= MAX_ISSUES || reported.has('too-many-nodes')) break;
    if (Array.isArray(value)) {
      const key = path[path.length - 1];
      const holdsNodes = typeof key === 'string' && NODE_LIST_KEYS.has(key) && !isPropsPath(path);
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index], path: [...path, index], nodeDepth: holdsNodes ? nodeDepth + 1 : nodeDepth, jsonDepth: jsonDepth + 1, isNode: holdsNodes });
      }
    } else {
      const entries: Array<[string, unknown]> = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index]!;
        textBytes += Buffer.byteLength(key);
        stack.push({ value: child, path: [...path, key], nodeDepth, jsonDepth: jsonDepth + 1, isNode: false });
      }
    }
  }
  return issues;
}

/** Whether a path runs through a `props` object (a prop called `children` there is not a node list). */
function isPropsPath(path: ReadonlyArray<string | number>): boolean {
  return path.includes('props');
}

function zodIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }> }, base = ''): ErrorIssue[] {
  return error.issues.map((issue) => ({ path: joinPath(base, ...issue.path), code: issue.code ?? 'invalid', message: issue.message }));
}

function fromTekton(record: Record<string, unknown>): Screen {
  const parsed = TektonScreenSchema.safeParse(record);
  if (!parsed.success) throw rejection('The Tekton screen definition does not match its schema', zodIssues(parsed.error));
  const definition = parsed.data;
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  const regions: ScreenRegion[] = definition.sections.map((section, sectionIndex) => {
    const path = formatPath(['sections', sectionIndex]);
    if (seen.has(section.id)) issues.push({ path: `${path}.id`, code: 'duplicate-id', message: `section id "${section.id}" is used twice` });
    seen.add(section.id);
    return {
      id: section.id,
      pattern: section.pattern.slice('section.'.length),
      responsive: section.responsive ?? {},
      children: section.components.map((node, index) => toElement(node, `${path}.components[${index}]`, 'slot', issues)),
      path,
    };
  });
  if (issues.length) throw rejection('The Tekton screen definition is inconsistent', issues);
  return {
    id: definition.id,
    name: definition.name,
    componentName: '',
    description: definition.description,
    source: 'tekton',
    shell: definition.shell,
    page: definition.page,
    regions,
    warnings: [],
  };
}

function fromBlueprint(record: Record<string, unknown>): Screen {
  const parsed = BlueprintSchema.safeParse(record);
  if (!parsed.success) throw rejection('The blueprint does not match its schema', zodIssues(parsed.error));
  const blueprint = parsed.data;
  const layout = LAYOUT_SLOTS[blueprint.layout];
  const issues: ErrorIssue[] = [];
  const bySlot = new Map<string, ScreenElement[]>(layout.slots.map((slot) => [slot, []]));
  blueprint.components.forEach((node, index) => {
    const path = `components[${index}]`;
    // `area` is the name earlier dspec versions used; `slot` is Tekton's.
    if (node.slot !== undefined && node.area !== undefined && node.slot !== node.area) {
      issues.push({ path: `${path}.area`, code: 'slot-twice', message: `"area" ("${node.area}") and "slot" ("${node.slot}") disagree; give only "slot"` });
      return;
    }
    const key = node.slot === undefined && node.area !== undefined ? 'area' : 'slot';
    const slot = node.slot ?? node.area ?? layout.main;
    const list = bySlot.get(slot);
    if (!list) {
      issues.push({ path: `${path}.${key}`, code: 'unknown-slot', message: `layout "${blueprint.layout}" has no slot "${slot}"; its slots are ${layout.slots.join(', ')}` });
      return;
    }
    list.push(toElement({ ...node, slot, area: undefined }, path, 'slot', issues));
  });
  if (issues.length) throw rejection('The blueprint is inconsistent', issues);
  const warnings = layout.required
    .filter((slot) => !bySlot.get(slot)?.length)
    .map((slot) => `components: layout "${blueprint.layout}" expects something in its "${slot}" slot; none of the components has slot "${slot}"`);
  const regions: ScreenRegion[] = layout.slots
    .map((slot) => ({ id: slot, pattern: slot, responsive: {}, children: bySlot.get(slot) ?? [], path: 'components' }))
    .filter((region) => region.children.length > 0);
  return { id: blueprint.id, name: blueprint.name, componentName: '', description: blueprint.description, source: 'blueprint', layout: blueprint.layout, regions, warnings };
}

/** A raw node → element; `placement` names the key that may only appear on a region's direct components. */
function toElement(node: RawNode, path: string, placement: 'slot' | undefined, issues: ErrorIssue[]): ScreenElement {
  const misplaced = placement === 'slot' ? node.area : (node.slot ?? node.area);
  if (misplaced !== undefined) {
    const key = node.slot !== undefined && placement !== 'slot' ? 'slot' : 'area';
    issues.push({
      path: `${path}.${key}`,
      code: 'misplaced-placement',
      message: placement ? `"${key}" does not apply to a Tekton screen definition; use "slot"` : `"${key}" only applies to a section's (or the blueprint's) direct components`,
    });
  }
  const children: ScreenChild[] = (node.children ?? []).map((child, index) =>
    typeof child === 'string' ? { kind: 'text', text: child, path: `${path}.children[${index}]` } : toElement(child, `${path}.children[${index}]`, undefined, issues),
  );
  return {
    kind: 'element',
    type: node.type,
    props: { ...(node.props ?? {}) },
    droppedHandlers: [],
    children,
    slot: placement === 'slot' ? node.slot : undefined,
    path,
  };
}

/**
 * Checks one element and its subtree. Catalog types: props against the component's strict
 * schema; children only where it takes `children`. Other types (Tier 2): prop names must be
 * plain JSX attribute names. For both, handler names on `on*` props are dropped (recorded in
 * `droppedHandlers`): a JSON document names a function, it cannot supply one.
 */
function checkElement(element: ScreenElement, catalog: Catalog, issues: ErrorIssue[]): void {
  const entry = findComponent(catalog, element.type);
  if (entry) checkCatalogProps(element, entry.meta, issues);
  else checkOpenProps(element, issues);
  for (const child of element.children) if (child.kind === 'element') checkElement(child, catalog, issues);
}

function checkCatalogProps(element: ScreenElement, meta: ComponentMeta, issues: ErrorIssue[]): void {
  const propsPath = `${element.path}.props`;
  const result = propsSchemaFor(meta).safeParse(element.props);
  if (!result.success) {
    issues.push(
      ...result.error.issues.map((issue) => ({
        path: joinPath(propsPath, ...issue.path),
        code: issue.code ?? 'invalid',
        message: issue.code === 'unrecognized_keys' ? `${issue.message}; ${meta.name} takes ${Object.keys(meta.props).join(', ')}` : issue.message,
      })),
    );
    return;
  }
  if (element.children.length && !meta.props['children']) {
    issues.push({ path: `${element.path}.children`, code: 'children-not-accepted', message: `${meta.name} takes no children; use its props (${Object.keys(meta.props).join(', ')})` });
  }
  if (element.children.length && element.props['children'] !== undefined) {
    issues.push({ path: `${propsPath}.children`, code: 'children-twice', message: 'children are given both as a prop and as child nodes' });
  }
  for (const [name, spec] of Object.entries(meta.props)) {
    const value = element.props[name];
    if (value === undefined) continue;
    if (spec.type === 'function') {
      // The strict schema above accepted it, so it is a handler name; parsing again gives it that type.
      element.droppedHandlers.push({ prop: name, handler: HandlerNameSchema.parse(value) });
      delete element.props[name];
    } else if (spec.type === 'array' && spec.items.type === 'object' && Array.isArray(value)) {
      const handlerFields = Object.entries(spec.items.fields)
        .filter(([, field]) => field.type === 'function')
        .map(([field]) => field);
      if (!handlerFields.length) continue;
      element.props[name] = value.map((item: Record<string, unknown>, index) => {
        const copy = { ...item };
        for (const field of handlerFields) {
          if (copy[field] === undefined) continue;
          element.droppedHandlers.push({ prop: `${name}[${index}].${field}`, handler: HandlerNameSchema.parse(copy[field]) });
          delete copy[field];
        }
        return copy;
      });
    }
  }
}

function checkOpenProps(element: ScreenElement, issues: ErrorIssue[]): void {
  for (const [name, value] of Object.entries(element.props)) {
    const path = joinPath(`${element.path}.props`, name);
    if (!JSX_PROP_NAME.test(name) || FORBIDDEN_PROPS.has(name)) {
      issues.push({ path, code: 'prop-name-invalid', message: `"${name}" cannot be a prop of a screen component` });
      continue;
    }
    if (HANDLER_PROP.test(name)) {
      const handler = HandlerNameSchema.safeParse(value);
      if (!handler.success) {
        issues.push({ path, code: 'handler-invalid', message: 'an on* prop must name a handler, e.g. "handleSubmit"' });
        continue;
      }
      element.droppedHandlers.push({ prop: name, handler: handler.data });
      delete element.props[name];
    }
  }
  if (element.children.length && element.props['children'] !== undefined) {
    issues.push({ path: `${element.path}.props.children`, code: 'children-twice', message: 'children are given both as a prop and as child nodes' });
  }
}

/** `user-detail-screen` → `UserDetailScreen`; never the name of a component the screen uses. */
export function toPascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return /^[A-Z]/.test(joined) ? joined : `Screen${joined}`;
}

function uniqueScreenName(screen: Screen, catalog: Catalog): string {
  const taken = new Set<string>();
  const visit = (element: ScreenElement) => {
    const entry = findComponent(catalog, element.type);
    taken.add(entry ? entry.meta.name : toPascalCase(element.type));
    for (const child of element.children) if (child.kind === 'element') visit(child);
  };
  for (const region of screen.regions) region.children.forEach(visit);
  let name = toPascalCase(screen.id).slice(0, 80);
  if (taken.has(name) || catalog.lookup.has(name.toLowerCase())) name = `${name}Screen`;
  if (taken.has(name) || catalog.lookup.has(name.toLowerCase())) name = `${name}View`;
  return name;
}

/** Every element of the screen, depth first. */
export function* walkElements(screen: Screen): Generator<ScreenElement> {
  const stack: ScreenElement[] = [];
  for (let r = screen.regions.length - 1; r >= 0; r--) {
    const region = screen.regions[r]!;
    for (let i = region.children.length - 1; i >= 0; i--) stack.push(region.children[i]!);
  }
  while (stack.length) {
    const element = stack.pop()!;
    yield element;
    for (let i = element.children.length - 1; i >= 0; i--) {
      const child = element.children[i]!;
      if (child.kind === 'element') stack.push(child);
    }
  }
}
