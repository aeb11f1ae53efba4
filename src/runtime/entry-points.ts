import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

let root: string | undefined;

/** The package root (the folder holding package.json), found from this module. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('dial: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  root = dir;
  return dir;
}

/**
 * The compiled entry of a child process (daemon, demo instance). Child
 * processes always run from dist/, also when the caller runs from TS source
 * (tests), so `npm run build` must have run.
 */
export function distEntry(relFromSrc: string): string {
  const path = join(packageRoot(), 'dist', 'src', relFromSrc);
  if (!existsSync(path)) throw new Error(`dial: ${path} is missing; run 'npm run build'`);
  return path;
}
