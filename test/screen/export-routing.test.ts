import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { exportScreen, type ExportProgress } from '../../src/screen/export-screen.js';
import type { GeneratedComponent, GenerateUnknown } from '../../src/screen/route-components.js';
import { testGate } from '../helpers/test-gate.js';

function screenOf(components: unknown[]) {
  return { id: 'routing-screen', name: 'Routing', shell: 'shell.web.dashboard', page: 'page.dashboard', sections: [{ id: 'main', pattern: 'section.stack', components }] };
}

/** A Tier 2 component as a generator would return it: valid, themed, accessible. */
function generated(name: string): GeneratedComponent {
  return {
    name,
    files: [
      {
        path: `${name}.tsx`,
        contents: `import type { ComponentPropsWithRef } from 'react';
import styles from './${name}.module.css';

export interface ${name}Props extends ComponentPropsWithRef<'div'> {
  label: string;
  values?: number[];
}

export function ${name}({ label, values = [], className, ...rest }: ${name}Props) {
  return (
    <div {...rest} role="img" aria-label={label} className={[styles.root, className].filter(Boolean).join(' ')}>
      {values.join(', ')}
    </div>
  );
}
`,
      },
      { path: `${name}.module.css`, contents: `.root {\n  color: var(--dspec-color-text);\n  padding: var(--dspec-space-2);\n}\n` },
    ],
    dependencies: { react: '^19.0.0' },
  };
}

describe('routing each distinct component type once', () => {
  it('resolves aliases to one catalog component (Dialog and Modal are one Modal)', async () => {
    const result = await exportScreen(
      {
        screen: screenOf([
          { type: 'Dialog', props: { title: 'One', trigger: 'Open one' } },
          { type: 'Modal', props: { title: 'Two', trigger: 'Open two' } },
          { type: 'Button', props: { label: 'Go' } },
        ]),
      },
      { gate: testGate() },
    );
    expect(result.success).toBe(true);
    expect(result.components).toEqual([
      { type: 'Button', requestedAs: ['Button'], tier: 'tier1', status: 'ok' },
      { type: 'Modal', requestedAs: ['Dialog', 'Modal'], tier: 'tier1', status: 'ok' },
    ]);
    const screen = result.files.find((file) => file.path === 'RoutingScreen.tsx')!.contents;
    expect(screen).toContain('import { Modal } from "./components/Modal";');
    expect(screen).not.toContain('Dialog');
    expect(
      result.files
        .filter((file) => file.path.startsWith('components/Modal/'))
        .map((file) => file.path)
        .sort(),
    ).toEqual(['components/Modal/Modal.module.css', 'components/Modal/Modal.stories.tsx', 'components/Modal/Modal.test.tsx', 'components/Modal/Modal.tsx', 'components/Modal/index.ts']);
    expect(result.dependencies['@radix-ui/react-dialog']).toMatch(/^\^1\./);
    expect(JSON.parse(result.files.find((file) => file.path === 'package.fragment.json')!.contents)).toEqual({ dependencies: result.dependencies, devDependencies: result.devDependencies });
  });

  it('fails with a per-component error when a type is not in the catalog and no provider is given', async () => {
    const result = await exportScreen(
      {
        screen: screenOf([
          { type: 'Sparkline', props: { label: 'Trend' } },
          { type: 'Button', props: { label: 'Go' } },
        ]),
      },
      { gate: testGate() },
    );
    expect(result.success).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.components).toContainEqual({ type: 'Sparkline', requestedAs: ['Sparkline'], tier: 'tier2', status: 'failed', errors: [expect.stringMatching(/needs an LLM provider/)] });
    expect(result.components).toContainEqual({ type: 'Button', requestedAs: ['Button'], tier: 'tier1', status: 'ok' });
  });

  it('generates unknown types through the injected generator, once per type, at most 3 at a time', async () => {
    const calls: string[] = [];
    let active = 0;
    let peak = 0;
    // Calls wait together until three run at once (or every type has started), then finish
    // together: a fourth running alongside would raise the peak, with no timer deciding it.
    let releaseBatch!: () => void;
    let batch = new Promise<void>((resolve) => (releaseBatch = resolve));
    const generateUnknown: GenerateUnknown = async (type, description, _signal, options) => {
      calls.push(type);
      expect(description).toContain(`named ${type}`);
      expect(options).toEqual(expect.objectContaining({ cacheOnly: true, themeCss: expect.objectContaining({ css: expect.any(String) }) }));
      active++;
      peak = Math.max(peak, active);
      const myBatch = batch;
      if (active === 3 || calls.length === types.length) {
        releaseBatch();
        batch = new Promise<void>((resolve) => (releaseBatch = resolve));
      }
      await myBatch;
      active--;
      return generated(type);
    };
    const types = ['Sparkline', 'Gauge', 'Heatmap', 'Timeline', 'Kanban'];
    const result = await exportScreen(
      { screen: screenOf([...types.map((type) => ({ type, props: { label: type, values: [1, 2, 3] } })), { type: 'Sparkline', props: { label: 'again' } }]) },
      { gate: testGate(), generateUnknown, cacheOnly: true },
    );
    expect(result.findings).toEqual([]);
    expect(result.success).toBe(true);
    expect(calls.sort()).toEqual([...types].sort());
    expect(peak).toBe(3);
    expect(result.components.filter((component) => component.tier === 'tier2')).toHaveLength(5);
    // A generated component without an index gets one.
    expect(result.files.find((file) => file.path === 'components/Gauge/index.ts')!.contents).toBe("export { Gauge } from './Gauge';\n");
  });

  it('type-checks the screen against the generated component: a missing required prop fails the export', async () => {
    const result = await exportScreen({ screen: screenOf([{ type: 'Sparkline', props: { values: [1] } }]) }, { gate: testGate(), generateUnknown: async (type) => generated(type) });
    expect(result.success).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.findings).toContainEqual(expect.objectContaining({ file: 'RoutingScreen.tsx', code: 'TS2741', message: expect.stringContaining("'label'") }));
  });

  it('reports a generated component that fails the gate on that component', async () => {
    const bad = generated('Sparkline');
    bad.files[1]!.contents = '.root {\n  color: #ff0000;\n}\n';
    const result = await exportScreen({ screen: screenOf([{ type: 'Sparkline', props: { label: 'x' } }]) }, { gate: testGate(), generateUnknown: async () => bad });
    expect(result.success).toBe(false);
    const sparkline = result.components.find((component) => component.type === 'Sparkline')!;
    expect(sparkline.status).toBe('failed');
    expect(sparkline.errors?.join('\n')).toMatch(/components\/Sparkline\/Sparkline.module.css:2:\d+ colour-literal/);
  });

  it('reports a generator failure on its component', async () => {
    const result = await exportScreen(
      { screen: screenOf([{ type: 'Sparkline', props: { label: 'x' } }]) },
      { gate: testGate(), generateUnknown: async () => Promise.reject(new Error('model overloaded')) },
    );
    expect(result.success).toBe(false);
    expect(result.components[0]).toMatchObject({ type: 'Sparkline', status: 'failed', errors: ['generation failed: model overloaded'] });
  });
});

describe('progress and cancellation', () => {
  it('reports progress once per component, then assembly and validation', async () => {
    const events: ExportProgress[] = [];
    await exportScreen(
      {
        screen: screenOf([
          { type: 'Button', props: { label: 'a' } },
          { type: 'Badge', children: ['b'] },
          { type: 'Button', props: { label: 'c' } },
        ]),
      },
      { gate: testGate(), onProgress: (event) => events.push(event) },
    );
    expect(events.map((event) => event.progress)).toEqual([1, 2, 3, 4]);
    expect(events.every((event) => event.total === 4)).toBe(true);
    expect(events.map((event) => event.message)).toEqual(expect.arrayContaining(['Badge: catalog', 'Button: catalog', 'RoutingScreen: assembled', 'RoutingScreen: validated']));
  });

  it('stops when the signal is aborted during generation', async () => {
    const controller = new AbortController();
    const generateUnknown: GenerateUnknown = (_type, _description, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        setTimeout(() => controller.abort(new Error('cancelled by the client')), 10);
      });
    await expect(exportScreen({ screen: screenOf([{ type: 'Sparkline', props: { label: 'x' } }]) }, { gate: testGate(), generateUnknown, signal: controller.signal })).rejects.toThrow(
      'cancelled by the client',
    );
  });

  it('does not start when the signal is already aborted', async () => {
    await expect(exportScreen({ screen: screenOf([{ type: 'Button', props: { label: 'x' } }]) }, { gate: testGate(), signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
  });
});

describe('formats and options', () => {
  it('jsx: every source file is JavaScript with JSX and no type syntax', async () => {
    const result = await exportScreen({ screen: screenOf([{ type: 'Button', props: { label: 'Go' } }]), format: 'jsx' }, { gate: testGate() });
    expect(result.success).toBe(true);
    expect(result.files.some((file) => /\.tsx?$/.test(file.path))).toBe(false);
    const screen = result.files.find((file) => file.path === 'RoutingScreen.jsx')!.contents;
    expect(() => parse(screen, { sourceType: 'module', plugins: ['jsx'] })).not.toThrow();
    expect(result.files.find((file) => file.path === 'index.js')!.contents).not.toContain('export type');
  });

  it('includeTests: false leaves out tests, stories and their dev dependencies', async () => {
    const result = await exportScreen({ screen: screenOf([{ type: 'Button', props: { label: 'Go' } }]), includeTests: false }, { gate: testGate() });
    expect(result.files.map((file) => file.path).filter((file) => /\.(test|stories)\./.test(file))).toEqual([]);
    expect(Object.keys(result.devDependencies)).not.toContain('vitest');
  });

  it('the barrel exports the screen, each component and its props type', async () => {
    const result = await exportScreen({ screen: screenOf([{ type: 'Button', props: { label: 'Go' } }]) }, { gate: testGate() });
    expect(result.files.find((file) => file.path === 'index.ts')!.contents).toBe(
      "export { RoutingScreen } from './RoutingScreen';\nexport { Button } from './components/Button';\nexport type { ButtonProps } from './components/Button';\n",
    );
  });
});
