import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@babel/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyDefaultProps, readDefaultProps } from '../../src/catalog/apply-default-props.js';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function sourceOf(name: string): string {
  return readFileSync(path.resolve('ui-reference', name, `${name}.tsx`), 'utf8');
}

function metaOf(name: string) {
  return catalog.components.get(name)!.meta;
}

function parses(source: string): boolean {
  parse(source, { sourceType: 'module', plugins: ['typescript', 'jsx'] });
  return true;
}

describe('applyDefaultProps', () => {
  it('replaces an existing destructuring default and leaves the rest of the source as written', () => {
    const source = sourceOf('Button');
    const output = applyDefaultProps(source, 'Button', { variant: 'secondary', size: 'lg' }, metaOf('Button'));
    expect(readDefaultProps(output, 'Button')).toMatchObject({ variant: 'secondary', size: 'lg', type: 'button' });
    expect(output).toContain('variant = "secondary"');
    expect(output.replace('variant = "secondary"', "variant = 'primary'").replace('size = "lg"', "size = 'md'")).toBe(source);
    expect(parses(output)).toBe(true);
  });

  it('adds a default to a prop that had none, including shorthand and renamed bindings', () => {
    const output = applyDefaultProps(sourceOf('Button'), 'Button', { label: 'Save changes' }, metaOf('Button'));
    expect(output).toContain('label = "Save changes"');
    expect(readDefaultProps(output, 'Button')['label']).toBe('Save changes');
    const card = applyDefaultProps(sourceOf('Card'), 'Card', { as: 'section' }, metaOf('Card'));
    expect(card).toContain('as: Element = "section"');
  });

  it('writes arrays and objects as literals', () => {
    const items = ['Signed up', 'Paid'];
    const list = applyDefaultProps(sourceOf('List'), 'List', { items, ordered: true }, metaOf('List'));
    expect(readDefaultProps(list, 'List')).toMatchObject({ items, ordered: true });
    const tabs = [
      { id: 'a', label: 'A' },
      { id: 'b', label: 'B', disabled: true },
    ];
    const output = applyDefaultProps(sourceOf('Tabs'), 'Tabs', { tabs, defaultTab: 'b' }, metaOf('Tabs'));
    expect(readDefaultProps(output, 'Tabs')).toMatchObject({ tabs, defaultTab: 'b' });
    expect(parses(output)).toBe(true);
  });

  it('handles numbers, negative numbers and booleans', () => {
    const output = applyDefaultProps(sourceOf('Slider'), 'Slider', { min: -10, max: 10, step: 0.5, showValue: true }, metaOf('Slider'));
    expect(readDefaultProps(output, 'Slider')).toMatchObject({ min: -10, max: 10, step: 0.5, showValue: true });
  });

  it.each([
    ['quotes', `"; alert(1); const x = "`],
    ['single quotes', `'); alert(1); ('`],
    ['a script end tag', '</script><script>alert(1)</script>'],
    ['backticks and template holes', '`${process.exit(1)}`'],
    ['backslashes', '\\"; alert(1); //'],
    ['line separators', 'a\u2028b\u2029c\nd'],
    ['a comment opener', '*/ alert(1); /*'],
  ])('cannot be made to inject code with %s in a string', (_, hostile) => {
    const source = sourceOf('Button');
    const output = applyDefaultProps(source, 'Button', { label: hostile }, metaOf('Button'));
    expect(readDefaultProps(output, 'Button')['label']).toBe(hostile);
    expect(output).not.toContain('</script>');
    expect(output).not.toContain('alert(1);\n');
    const statements = (text: string) => parse(text, { sourceType: 'module', plugins: ['typescript', 'jsx'] }).program.body.length;
    expect(statements(output)).toBe(statements(source));
    // The only change is one inserted ` = "…"`: a single string literal with every quote escaped.
    let prefix = 0;
    while (source[prefix] === output[prefix]) prefix += 1;
    const inserted = output.slice(prefix, prefix + output.length - source.length);
    expect(output.slice(0, prefix) + output.slice(prefix + inserted.length)).toBe(source);
    expect(inserted).toMatch(/^ = "(?:[^"\\\n<>`]|\\.)*"$/);
  });

  it('refuses props the component does not have, naming them', () => {
    expect(() => applyDefaultProps(sourceOf('Button'), 'Button', { colour: 'red', shape: 'round' }, metaOf('Button'))).toThrow(/Button has no props "colour", "shape"/);
    // Without metadata the AST decides: the prop must be destructured by the component.
    expect(() => applyDefaultProps(sourceOf('Button'), 'Button', { colour: 'red' })).toThrow(/no destructured prop "colour"/);
  });

  it('validates values against the props schema first', () => {
    let error: unknown;
    try {
      applyDefaultProps(sourceOf('Button'), 'Button', { variant: 'huge', disabled: 'yes' }, metaOf('Button'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path).sort()).toEqual(['disabled', 'variant']);
  });

  it('refuses handlers, non-JSON values and prototype keys', () => {
    expect(() => applyDefaultProps(sourceOf('Button'), 'Button', { onClick: 'handleClick' }, metaOf('Button'))).toThrow(/event handler/);
    expect(() => applyDefaultProps(sourceOf('Slider'), 'Slider', { max: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => applyDefaultProps(sourceOf('Button'), 'Button', { label: () => 'x' })).toThrow(InputError);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "id": "a", "label": "A"}');
    expect(() => applyDefaultProps(sourceOf('Tabs'), 'Tabs', { tabs: [hostile] })).toThrow(/__proto__/);
  });

  it('reports a missing component and an unparsable source clearly', () => {
    expect(() => applyDefaultProps(sourceOf('Button'), 'Modal', { size: 'lg' })).toThrow(/No top-level function component named Modal/);
    expect(() => applyDefaultProps('export function Button({ a = 1 }) { return <div>', 'Button', { a: 2 })).toThrow(/does not parse/);
  });

  it('finds components written as arrow functions and forwardRef calls', () => {
    const arrow = "export const Pill = ({ tone = 'info', text }: { tone?: string; text?: string }) => <span>{text}</span>;";
    expect(readDefaultProps(applyDefaultProps(arrow, 'Pill', { tone: 'ok', text: 'Hi' }), 'Pill')).toEqual({ tone: 'ok', text: 'Hi' });
    const forwarded = "const Field = forwardRef(function Field({ size = 'md' }: Props, ref) { return null; });";
    expect(readDefaultProps(applyDefaultProps(forwarded, 'Field', { size: 'lg' }), 'Field')).toEqual({ size: 'lg' });
  });

  it('keeps every catalog component parsable with its own declared defaults applied', () => {
    for (const [name, entry] of catalog.components) {
      const defaults = Object.fromEntries(Object.entries(entry.meta.props).flatMap(([prop, spec]) => ('default' in spec && spec.default !== undefined ? [[prop, spec.default]] : [])));
      const output = applyDefaultProps(sourceOf(name), name, defaults, entry.meta);
      expect(readDefaultProps(output, name)).toEqual(readDefaultProps(sourceOf(name), name));
    }
  });
});
