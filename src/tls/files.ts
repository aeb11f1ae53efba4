import {chmodSync, existsSync, mkdirSync, renameSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {DialError, ExitCode} from '../errors/index.js';

/** A file a TLS command writes; secret files (private keys, PKCS#12) get mode 0600. */
export interface OutputFile {
  path: string;
  content: string | Buffer;
  secret?: boolean;
}

/**
 * Writes every file or none: refuses (FILE_EXISTS) when any already exists
 * unless `force`; creates folders 0700; writes through a temp file and a
 * rename, so a crash never leaves half a key behind.
 */
export function writeOutputs(files: OutputFile[], force: boolean): void {
  const existing = files.filter((f) => existsSync(f.path)).map((f) => f.path);
  if (existing.length && !force) {
    throw new DialError('FILE_EXISTS', `refusing to overwrite ${existing.join(', ')}`, {
      hint: 'pass --force to replace them, or --out to write somewhere else',
      exitCode: ExitCode.Failed,
    });
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), {recursive: true, mode: 0o700});
    const tmp = `${f.path}.${process.pid}.tmp`;
    const mode = f.secret ? 0o600 : 0o644;
    writeFileSync(tmp, f.content, {mode});
    chmodSync(tmp, mode);
    renameSync(tmp, f.path);
  }
}

/** A folder or file name made from a free-text name: "Acme Root CA" -> "acme-root-ca". */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'ca';
}
