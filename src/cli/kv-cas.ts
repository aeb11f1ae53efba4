import {DialError} from '../errors/index.js';
import type {KvStore} from '../registry/index.js';

/**
 * The error for a failed `--cas INDEX` write or delete of `key`, saying why
 * from the key's current state: it already exists (--cas 0 only creates), it
 * no longer exists, or its modify index moved on.
 */
export async function casFailure(kv: KvStore, key: string, cas: number, what: 'written' | 'deleted'): Promise<DialError> {
  const cur = await kv.get(key).catch(() => undefined);
  const retry = `read it with 'dial kv get ${key} --json'`;
  if (cur && cas === 0) {
    return new DialError('CAS_FAILED', `'${key}' was not ${what}: the key already exists (modify index ${cur.modifyIndex}); --cas 0 only creates a key`, {
      hint: `to replace it, pass --cas ${cur.modifyIndex}; ${retry}`,
    });
  }
  if (!cur) {
    return new DialError('CAS_FAILED', `'${key}' was not ${what}: the key does not exist (any more), so its modify index is not ${cas}`, {
      hint: what === 'written' ? 'create it with --cas 0 (only if absent) or without --cas' : 'there is nothing to delete',
    });
  }
  return new DialError('CAS_FAILED', `'${key}' was not ${what}: its modify index is ${cur.modifyIndex}, not ${cas}`, {
    hint: `${retry} and retry with --cas ${cur.modifyIndex}`,
  });
}
