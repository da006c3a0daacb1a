import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { InputError } from '../../src/errors.js';
import { normaliseScreen, walkElements } from '../../src/screen/normalise-screen.js';
import { describeWithShared, sharedPath } from '../helpers/shared-fixtures.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function rejectionOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected the screen to be rejected');
}

const issuePaths = (error: InputError) => error.issues.map((issue) => issue.path);

function tekton(components: unknown[], extra: Record<string, unknown> = {}) {
  return { id: 'test-screen', name: 'Test', shell: 'shell.web.dashboard', page: 'page.dashboard', sections: [{ id: 'main', pattern: 'section.stack', components }], ...extra };
}

describeWithShared('the Tekton fixture screens normalise to one tree', () => {
  for (const [file, name, sections] of [
    ['dashboard-screen.json', 'DashboardScreen', 2],
    ['detail-screen.json', 'UserDetailScreen', 4],
    ['settings-screen.json', 'SettingsScreen', 3],
  ] as const) {
    it(file, () => {
      const screen = normaliseScreen(JSON.parse(readFileSync(sharedPath('fixtures/tekton-screens', file), 'utf8')), catalog);
      expect(screen.componentName).toBe(name);
      expect(screen.source).toBe('tekton');
      expect(screen.regions).toHaveLength(sections);
      const elements = [...walkElements(screen)];
      expect(elements.length).toBeGreaterThan(5);
      // Every node keeps its place in the input, for error messages and warnings.
      expect(elements.every((element) => /^sections\[\d+\]\.components\[\d+\]/.test(element.path))).toBe(true);
    });
  }

  it('keeps props and text exactly, and sets handler names aside instead of emitting them', () => {
    const screen = normaliseScreen(JSON.parse(readFileSync(sharedPath('fixtures/tekton-screens', 'detail-screen.json'), 'utf8')), catalog);
    const modal = [...walkElements(screen)].find((element) => element.type === 'Modal')!;
    expect(modal.props).toEqual({ open: false, title: 'Edit User Profile' });
    expect(modal.droppedHandlers).toEqual([{ prop: 'onClose', handler: 'handleModalClose' }]);
    const heading = [...walkElements(screen)].find((element) => element.type === 'Heading')!;
    expect(heading.children).toEqual([{ kind: 'text', text: 'John Doe', path: 'sections[0].components[0].children[1].children[0]' }]);
  });
});

describe('blueprints place components by Tekton slot', () => {
  const blueprint = (layout: string, components: unknown[]) => ({ id: 'team-page', name: 'Team', layout, components });
  const placement = (screen: ReturnType<typeof normaliseScreen>) => screen.regions.map((region) => [region.id, region.children.map((child) => child.type)]);

  it('places components in the slots of their layout, in order, the main slot by default', () => {
    const screen = normaliseScreen(
      blueprint('sidebar-left', [
        { type: 'Heading', props: { level: 1 }, children: ['Team'], slot: 'header' },
        { type: 'List', props: { items: ['Ada', 'Grace'] }, slot: 'sidebar' },
        { type: 'Dialog', props: { title: 'Invite', trigger: 'Invite someone' } },
        { type: 'Link', props: { href: '#all' }, children: ['Everyone'], slot: 'sidebar' },
      ]),
      catalog,
    );
    expect(screen.source).toBe('blueprint');
    expect(screen.componentName).toBe('TeamPage');
    expect(placement(screen)).toEqual([
      ['header', ['Heading']],
      ['sidebar', ['List', 'Link']],
      ['main', ['Dialog']],
    ]);
    expect(screen.warnings).toEqual([]);
  });

  it("uses Tekton's slot names per layout: two-column is left/right, landing is hero/features/cta", () => {
    const two = normaliseScreen(
      blueprint('two-column', [
        { type: 'Text', children: ['a'] },
        { type: 'Text', children: ['b'], slot: 'right' },
      ]),
      catalog,
    );
    expect(placement(two)).toEqual([
      ['left', ['Text']],
      ['right', ['Text']],
    ]);
    const landing = normaliseScreen(
      blueprint('landing', [
        { type: 'Heading', children: ['Hi'], slot: 'hero' },
        { type: 'Card', children: ['x'] },
        { type: 'Button', children: ['Go'], slot: 'cta' },
      ]),
      catalog,
    );
    expect(placement(landing)).toEqual([
      ['hero', ['Heading']],
      ['features', ['Card']],
      ['cta', ['Button']],
    ]);
  });

  it("refuses a slot the layout does not have, listing the layout's slots", () => {
    const error = rejectionOf(() => normaliseScreen(blueprint('landing', [{ type: 'Button', children: ['Go'], slot: 'sidebar' }]), catalog));
    expect(error.issues[0]).toMatchObject({ path: 'components[0].slot', code: 'unknown-slot', message: 'layout "landing" has no slot "sidebar"; its slots are hero, features, cta, footer' });
    const two = rejectionOf(() => normaliseScreen(blueprint('two-column', [{ type: 'Button', children: ['Go'], slot: 'main' }]), catalog));
    expect(two.issues[0]!.message).toContain('header, left, right, footer');
  });

  it('warns for each required slot left empty', () => {
    const screen = normaliseScreen(blueprint('dashboard', [{ type: 'Text', children: ['only main'] }]), catalog);
    expect(screen.warnings).toHaveLength(2);
    expect(screen.warnings[0]).toContain('"header" slot');
    expect(screen.warnings[1]).toContain('"sidebar" slot');
  });

  it('still reads `area`, the earlier name, and refuses the two disagreeing', () => {
    const screen = normaliseScreen(
      blueprint('sidebar-left', [
        { type: 'List', props: { items: ['a'] }, area: 'sidebar' },
        { type: 'Text', children: ['x'] },
      ]),
      catalog,
    );
    expect(placement(screen)).toEqual([
      ['sidebar', ['List']],
      ['main', ['Text']],
    ]);
    const error = rejectionOf(() => normaliseScreen(blueprint('sidebar-left', [{ type: 'Text', children: ['x'], slot: 'main', area: 'sidebar' }]), catalog));
    expect(error.issues[0]!.code).toBe('slot-twice');
  });

  it('a slot below a direct component is refused', () => {
    const error = rejectionOf(() => normaliseScreen(blueprint('single-column', [{ type: 'Card', children: [{ type: 'Text', children: ['x'], slot: 'footer' }] }]), catalog));
    expect(error.issues[0]).toMatchObject({ path: 'components[0].children[0].slot', code: 'misplaced-placement' });
  });

  it('refuses an unknown layout', () => {
    const error = rejectionOf(() => normaliseScreen({ id: 'x', name: 'X', layout: 'three-column', components: [{ type: 'Button' }] }, catalog));
    expect(issuePaths(error)).toEqual(['layout']);
  });
});

describeWithShared('the Tekton fixture blueprints normalise with their slots', () => {
  it('account-sidebar-left.json and launch-landing.json', () => {
    const account = normaliseScreen(JSON.parse(readFileSync(sharedPath('fixtures/tekton-blueprints', 'account-sidebar-left.json'), 'utf8')), catalog);
    expect(account.regions.map((region) => [region.id, region.children.map((child) => child.type)])).toEqual([
      ['header', ['Heading']],
      ['sidebar', ['List']],
      ['main', ['Card']],
      ['footer', ['Text']],
    ]);
    const launch = normaliseScreen(JSON.parse(readFileSync(sharedPath('fixtures/tekton-blueprints', 'launch-landing.json'), 'utf8')), catalog);
    expect(launch.regions.map((region) => [region.id, region.children.length])).toEqual([
      ['hero', 2],
      ['features', 3],
      ['cta', 1],
      ['footer', 1],
    ]);
    expect(launch.warnings).toEqual([]);
  });
});

describe('props are checked against each component, with paths into the input', () => {
  it('an enum value the component does not have', () => {
    const error = rejectionOf(() =>
      normaliseScreen(tekton([{ type: 'Card', props: {}, children: [{ type: 'Text', props: {} }, { type: 'Text' }, { type: 'Button', props: { variant: 'huge' } }] }]), catalog),
    );
    expect(error.issues[0]!.path).toBe('sections[0].components[0].children[2].props.variant');
    expect(error.message).toContain('sections[0].components[0].children[2].props.variant');
  });

  it('an unknown prop, listing the props the component takes', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'Button', props: { colour: 'red' } }]), catalog));
    expect(error.issues[0]!.path).toBe('sections[0].components[0].props');
    expect(error.issues[0]!.message).toMatch(/colour.*Button takes variant, size/);
  });

  it('a missing required prop, through an alias (Dialog is Modal, whose title is required)', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'Dialog', props: { open: false } }]), catalog));
    expect(error.issues[0]!.path).toBe('sections[0].components[0].props.title');
  });

  it('children on a component that takes none', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'Input', props: {}, children: ['text'] }]), catalog));
    expect(error.issues[0]).toMatchObject({ path: 'sections[0].components[0].children', code: 'children-not-accepted' });
  });

  it('a handler prop that is not a handler name', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'Button', props: { onClick: 'alert(1)' } }]), catalog));
    expect(error.issues[0]!.path).toBe('sections[0].components[0].props.onClick');
  });

  it('dangerous prop names on components outside the catalog', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'Sparkline', props: { dangerouslySetInnerHTML: { __html: '<img onerror=alert(1)>' }, 'x onload': 1 } }]), catalog));
    expect(issuePaths(error)).toEqual(['sections[0].components[0].props.dangerouslySetInnerHTML', 'sections[0].components[0].props["x onload"]']);
  });

  it('shape errors of the Tekton definition', () => {
    const error = rejectionOf(() => normaliseScreen({ ...tekton([{ type: 'Button' }]), shell: 'dashboard', sections: [{ id: 's', pattern: 'grid', components: [] }] }, catalog));
    expect(issuePaths(error).sort()).toEqual(['sections[0].components', 'sections[0].pattern', 'shell']);
  });

  it('refuses what is not a screen at all', () => {
    expect(() => normaliseScreen([], catalog)).toThrow(InputError);
    expect(() => normaliseScreen({ hello: 'world' }, catalog)).toThrow(/neither a Tekton screen definition/);
  });
});

describe('hostile screens are refused with the path of the problem', () => {
  function nested(depth: number): Record<string, unknown> {
    let node: Record<string, unknown> = { type: 'Card', props: {}, children: ['deepest'] };
    for (let level = 1; level < depth; level++) node = { type: 'Card', props: {}, children: [node] };
    return node;
  }

  it('components nested 40 deep (the limit is 32)', () => {
    const error = rejectionOf(() => normaliseScreen(tekton([nested(40)]), catalog));
    expect(error.issues[0]!.code).toBe('too-deep');
    expect(error.issues[0]!.path).toBe(`sections[0].components[0]${'.children[0]'.repeat(32)}`);
  });

  it('32 levels are fine', () => {
    expect(() => normaliseScreen(tekton([nested(32)]), catalog)).not.toThrow();
  });

  it('3,000 nodes (the limit is 2,000)', () => {
    const components = Array.from({ length: 3000 }, () => ({ type: 'Badge', props: {}, children: ['x'] }));
    const error = rejectionOf(() => normaliseScreen(tekton(components), catalog));
    expect(error.issues[0]).toMatchObject({ code: 'too-many-nodes', path: 'sections[0].components[2000]' });
  });

  it('2 MB of text (the limit is 1 MB in all, 10,000 characters per text)', () => {
    const components = Array.from({ length: 210 }, () => ({ type: 'Text', props: {}, children: ['x'.repeat(10_000)] }));
    const error = rejectionOf(() => normaliseScreen(tekton(components), catalog));
    expect(error.issues.map((issue) => issue.code)).toContain('text-total-too-large');
    const long = rejectionOf(() => normaliseScreen(tekton([{ type: 'Text', props: {}, children: ['x'.repeat(2_000_000)] }]), catalog));
    expect(long.issues[0]).toMatchObject({ code: 'text-too-long', path: 'sections[0].components[0].children[0]' });
  });

  it('a prop value nested thousands of levels deep does not overflow a stack', () => {
    let value: unknown = 'leaf';
    for (let level = 0; level < 5000; level++) value = [value];
    const error = rejectionOf(() => normaliseScreen(tekton([{ type: 'List', props: { items: value } }]), catalog));
    expect(error.issues[0]!.code).toBe('json-too-deep');
  });

  it('limits are options', () => {
    const components = Array.from({ length: 12 }, () => ({ type: 'Badge', props: {}, children: ['x'] }));
    expect(() => normaliseScreen(tekton(components), catalog, { maxNodes: 10 })).toThrow(/more than 10 component nodes/);
    expect(() => normaliseScreen(tekton([{ type: 'Text', children: ['too long'] }]), catalog, { maxTextLength: 4 })).toThrow(/limit is 4/);
  });
});
