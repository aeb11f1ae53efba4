import {setFlagsFromString} from 'node:v8';
import {request as undiciRequest} from 'undici';

/**
 * undici's request(), for short-lived processes. undici parses HTTP/1.1 with
 * llhttp compiled to WebAssembly. V8 runs it on its baseline compiler
 * (Liftoff) and, once the parser is hot, which a few responses make it,
 * compiles it again with TurboFan on a background thread: about 50 ms of
 * CPU, and Node waits for that job before the process exits. A dial command
 * makes a handful of requests, so the optimized parser would never pay off;
 * it only made `dial discover` and every other registry command exit ~50 ms
 * (a quarter of their time) after their output.
 *
 * The first request of the process (when undici compiles llhttp) runs with
 * a tiering budget out of reach, so the module stays on the baseline tier;
 * V8 reads the budget when it compiles a module, and the flag goes back to
 * its default as soon as that request is answered (V8 11-13: Node 20-24).
 */
const V8_MAJOR = Number(process.versions.v8.split('.')[0]);
const BUDGET_FLAG = V8_MAJOR >= 11 && V8_MAJOR <= 13 ? '--wasm-tiering-budget' : undefined;
const DEFAULT_BUDGET = 1_800_000;
let first = true;

export const request = (async (...args: Parameters<typeof undiciRequest>) => {
  if (!first || !BUDGET_FLAG) return undiciRequest(...args);
  first = false;
  setFlagsFromString(`${BUDGET_FLAG}=2000000000`);
  try {
    return await undiciRequest(...args);
  } finally {
    setFlagsFromString(`${BUDGET_FLAG}=${DEFAULT_BUDGET}`);
  }
}) as typeof undiciRequest;
