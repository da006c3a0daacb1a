import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileJobStore } from '../../src/jobs/file-job-store.js';
import { jobHandleOf } from '../../src/jobs/job-handle.js';
import { STALE_AFTER_MS, statusOf, type JobRecord } from '../../src/jobs/job-record.js';
import { JobRunner, JobWaitAborted, type JobProgress, type JobResult } from '../../src/jobs/job-runner.js';

function setup() {
  const home = mkdtempSync(path.join(tmpdir(), 'dspec-jobs-'));
  const warnings: string[] = [];
  const store = new FileJobStore(home, { warn: (_fields, message) => warnings.push(message) });
  let now = Date.parse('2026-12-06T10:00:00.000Z');
  const clock = () => new Date(now);
  const advance = (ms: number) => (now += ms);
  const runner = new JobRunner({ store, clock, logger: { warn: (_fields, message) => warnings.push(message) }, progressIntervalMs: 1000 });
  return { home, store, runner, warnings, advance, clock };
}

/** Work that waits until the test lets it finish, reporting what it is asked to. */
function gatedWork() {
  let release!: (result: JobResult) => void;
  const done = new Promise<JobResult>((resolve) => (release = resolve));
  let calls = 0;
  let signal: AbortSignal | undefined;
  let report: ((progress: JobProgress) => void) | undefined;
  const work = (reporter: (progress: JobProgress) => void, workSignal: AbortSignal) => {
    calls++;
    signal = workSignal;
    report = reporter;
    return done;
  };
  return { work, release: (result: JobResult) => release(result), calls: () => calls, signal: () => signal, report: (progress: JobProgress) => report!(progress) };
}

const ok: JobResult = { content: [{ type: 'text', text: 'done' }], structuredContent: { value: 42 } };
const handle = jobHandleOf('generate_component', { name: 'StatCard' });

describe('job handles', () => {
  it('are the same for the same tool and arguments in any key order, and differ otherwise', () => {
    expect(jobHandleOf('t', { a: 1, b: 2 })).toBe(jobHandleOf('t', { b: 2, a: 1 }));
    expect(jobHandleOf('t', { a: 1 })).not.toBe(jobHandleOf('t', { a: 2 }));
    expect(jobHandleOf('t', { a: 1 })).not.toBe(jobHandleOf('u', { a: 1 }));
    expect(handle).toMatch(/^job_[0-9a-f]{32}$/);
  });
});

describe('JobRunner', () => {
  it('runs one job per handle: a second identical call joins the first and both get its result', async () => {
    const { runner, store } = setup();
    const gate = gatedWork();
    const first = runner.run(handle, 'generate_component', gate.work, { detach: true });
    const second = runner.run(handle, 'generate_component', gate.work, { detach: true });
    await expect.poll(async () => (await store.get(handle))?.state).toBe('running');
    await expect.poll(() => gate.calls()).toBe(1);
    gate.release(ok);
    expect(await first).toEqual(ok);
    expect(await second).toEqual(ok);
    expect(gate.calls()).toBe(1);
    const record = await store.get(handle);
    expect(record?.state).toBe('succeeded');
    expect(record?.result).toEqual(ok);
    expect(runner.handles()).toEqual([]);
  });

  it('tells a caller that joined a run in flight apart from the one that started it', async () => {
    const { runner } = setup();
    const gate = gatedWork();
    const asJoined = (result: JobResult): JobResult => ({ ...result, joined: true });
    const first = runner.run(handle, 'generate_component', gate.work, { detach: true, asJoined });
    await expect.poll(() => gate.calls()).toBe(1);
    const second = runner.run(handle, 'generate_component', gate.work, { detach: true, asJoined });
    gate.release(ok);
    expect(await first).toEqual(ok);
    expect(await second).toEqual({ ...ok, joined: true });
  });

  it('detached: a waiter whose stream dropped stops waiting, the work goes on and its result is kept', async () => {
    const { runner, store } = setup();
    const gate = gatedWork();
    const request = new AbortController();
    const waiting = runner.run(handle, 'export_screen', gate.work, { detach: true, signal: request.signal });
    await expect.poll(() => gate.calls()).toBe(1);
    request.abort();
    await expect(waiting).rejects.toBeInstanceOf(JobWaitAborted);
    expect(gate.signal()?.aborted).toBe(false);
    gate.release(ok);
    await expect.poll(async () => (await store.get(handle))?.state).toBe('succeeded');
    expect((await store.get(handle))?.result).toEqual(ok);
  });

  it('attached: when the last waiter cancels, the work is cancelled; while another waits, it is not', async () => {
    const { runner } = setup();
    const gate = gatedWork();
    const a = new AbortController();
    const b = new AbortController();
    const first = runner.run(handle, 'generate_component', gate.work, { detach: false, signal: a.signal });
    const second = runner.run(handle, 'generate_component', gate.work, { detach: false, signal: b.signal });
    await expect.poll(() => gate.calls()).toBe(1);
    a.abort();
    await expect(first).rejects.toBeInstanceOf(JobWaitAborted);
    expect(gate.signal()?.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toBeInstanceOf(JobWaitAborted);
    expect(gate.signal()?.aborted).toBe(true);
    gate.release({ isError: true, content: [{ type: 'text', text: 'cancelled' }] });
  });

  it('writes progress at most once a second unless the stage changes, and passes every step to the waiter', async () => {
    const { runner, store, advance } = setup();
    const gate = gatedWork();
    const seen: string[] = [];
    const waiting = runner.run(handle, 'generate_component', gate.work, { detach: true, onProgress: (progress) => seen.push(progress.message ?? progress.stage) });
    await expect.poll(() => gate.calls()).toBe(1);
    gate.report({ stage: 'streaming', message: '100 tokens' });
    gate.report({ stage: 'streaming', message: '200 tokens' });
    await expect.poll(async () => (await store.get(handle))?.progress?.message).toBe('100 tokens');
    advance(1500);
    gate.report({ stage: 'streaming', message: '300 tokens' });
    await expect.poll(async () => (await store.get(handle))?.progress?.message).toBe('300 tokens');
    gate.report({ stage: 'validating' });
    await expect.poll(async () => (await store.get(handle))?.progress?.stage).toBe('validating');
    expect(seen).toEqual(['100 tokens', '200 tokens', '300 tokens', 'validating']);
    gate.release(ok);
    await waiting;
  });

  it('records a failed job with its message, and a tool error result as failed', async () => {
    const { runner, store } = setup();
    await expect(runner.run(handle, 'export_screen', () => Promise.reject(new Error('screen has no components')), { detach: true })).rejects.toThrow('screen has no components');
    const record = await store.get(handle);
    expect(record?.state).toBe('failed');
    expect(JSON.stringify(record?.result)).toContain('screen has no components');
    const other = jobHandleOf('export_screen', { screen: 2 });
    await runner.run(other, 'export_screen', () => Promise.resolve({ isError: true, content: [{ type: 'text', text: 'budget exceeded' }] }), { detach: true });
    expect((await store.get(other))?.state).toBe('failed');
  });
});

describe('FileJobStore and status', () => {
  it('reports a corrupt record and treats it as absent; refuses a handle that is not one', async () => {
    const { store, home, warnings } = setup();
    mkdirSync(path.join(home, 'jobs'), { recursive: true });
    writeFileSync(path.join(home, 'jobs', `${handle}.json`), '{"handle": "job_');
    expect(await store.get(handle)).toBeUndefined();
    expect(warnings).toEqual(['job record is corrupt; skipped']);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a job handle/);
  });

  it('calls a running job stale once its owner stopped refreshing it', () => {
    const record: JobRecord = { handle, tool: 't', state: 'running', startedAt: '2026-12-06T10:00:00.000Z', updatedAt: '2026-12-06T10:00:00.000Z' };
    expect(statusOf(record, new Date(Date.parse(record.updatedAt) + STALE_AFTER_MS - 1))).toBe('running');
    expect(statusOf(record, new Date(Date.parse(record.updatedAt) + STALE_AFTER_MS + 1))).toBe('stale');
    expect(statusOf({ ...record, state: 'succeeded' }, new Date(Date.parse(record.updatedAt) + 10 * STALE_AFTER_MS))).toBe('succeeded');
  });
});
