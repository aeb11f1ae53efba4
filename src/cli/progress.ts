import {ux} from '@oclif/core';
import type {Output} from './output.js';

/**
 * Runs `fn` with a spinner on stderr when stderr is a terminal (and not under
 * --json); `update` changes the spinner's status text. Without a terminal it
 * is silent, so logs and pipes stay clean.
 */
export async function withSpinner<T>(out: Output, title: string, fn: (update: (status: string) => void) => Promise<T>): Promise<T> {
  if (!out.progress) return fn(() => undefined);
  ux.action.start(title, undefined, {stdout: false});
  try {
    const result = await fn((status) => {
      ux.action.status = status;
    });
    ux.action.stop(out.errColor.green('done'));
    return result;
  } catch (e) {
    ux.action.stop(out.errColor.red('failed'));
    throw e;
  }
}
