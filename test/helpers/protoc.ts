import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import type {TestContext} from 'node:test';
import {fromBinary} from '@bufbuild/protobuf';
import {FileDescriptorSetSchema, type FileDescriptorSet} from '@bufbuild/protobuf/wkt';
import {protoText} from '../../src/rpc/proto-text.js';
import {WELL_KNOWN_FILES} from '../../src/rpc/well-known-files.js';

export const PROTOC = '/usr/bin/protoc';

/** Skips the test (naming the Debian package) when protoc is not installed. */
export function needProtoc(t: TestContext): boolean {
  if (existsSync(PROTOC)) return true;
  t.skip('protoc is not installed: apt-get install -y protobuf-compiler');
  return false;
}

/**
 * A folder with google/protobuf/*.proto for protoc's -I. Debian's
 * protobuf-compiler ships without them (they are in libprotobuf-dev), so
 * they are printed from the built-in descriptors when missing.
 */
export function wellKnownIncludeDir(): string {
  if (existsSync('/usr/include/google/protobuf/timestamp.proto')) return '/usr/include';
  const dir = mkdtempSync(join(tmpdir(), 'dial-wkt-'));
  for (const [name, file] of WELL_KNOWN_FILES) {
    const path = join(dir, name);
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(path, protoText(file));
  }
  return dir;
}

/** Runs protoc --include_imports --descriptor_set_out and returns the set (and its file). */
export function protocDescriptorSet(files: string[], includes: string[], out = join(mkdtempSync(join(tmpdir(), 'dial-protoset-')), 'out.protoset'), extra: string[] = []): {set: FileDescriptorSet; file: string} {
  execFileSync(PROTOC, [...includes.flatMap((i) => ['-I', i]), '--include_imports', ...extra, `--descriptor_set_out=${out}`, ...files], {stdio: ['ignore', 'ignore', 'pipe']});
  return {set: fromBinary(FileDescriptorSetSchema, readFileSync(out)), file: out};
}
