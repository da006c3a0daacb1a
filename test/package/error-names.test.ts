import { expect, it } from 'vitest';
import * as errors from '../../src/errors.js';
import { BrowserUnavailableError } from '../../src/preview/headless-browser.js';

/** Constructors differ in their parameters; every one takes strings first (see below). */
type ErrorClass = new (...args: unknown[]) => errors.DspecError;

/**
 * The published bundle is minified without keeping class names, so every error class sets its
 * `name` by hand (logs type errors by it). Here, in the source, the class names are intact:
 * each class must name itself exactly as it is called, so a new one that forgets shows.
 */
it('every dspec error class names itself as it is called', () => {
  const exported: unknown[] = [...Object.values(errors), BrowserUnavailableError];
  const classes = exported.filter((value): value is ErrorClass => typeof value === 'function' && (value === errors.DspecError || value.prototype instanceof errors.DspecError));
  expect(classes.length).toBeGreaterThanOrEqual(10);
  for (const ErrorClass of classes) {
    // Every constructor takes strings first; the arguments only have to make an instance.
    const instance = new ErrorClass('INTERNAL', 'message', 1, 'detail');
    expect(instance.name, ErrorClass.name).toBe(ErrorClass.name);
  }
});
