import {join} from 'node:path';
import {homePaths} from '../../config/index.js';
import type {KeyType} from '../../tls/key-types.js';
import type {TlsInitResult} from '../../tls/quickstart.js';
import type {CommandContext} from '../session.js';

/** The flag values `dial tls init` reads (commands/tls/init.ts defines the flags). */
export interface TlsInitFlags {
  out?: string;
  key?: string;
  dns?: string[];
  ip?: string[];
  force?: boolean;
}

/** `dial tls init`: the command's logic, run by oclif (commands/tls/init.ts) or by the fast path (src/cli/fast.ts). */
export async function runTlsInit(ctx: CommandContext, _args: unknown, flags: TlsInitFlags): Promise<TlsInitResult> {
  const {tlsInit} = await import('../../tls/quickstart.js');
  const r = await tlsInit({out: flags.out ?? join(homePaths(ctx.home).tlsDir, 'mtls'), keyType: flags.key as KeyType | undefined, dns: flags.dns, ip: flags.ip, force: flags.force});
  if (!ctx.jsonEnabled()) {
    const {renderCaResult, renderIssueResult} = await import('../render/tls.js');
    ctx.out.line([renderCaResult(ctx.out, r.ca).replace(/\n\nnext:.*$/s, ''), renderIssueResult(ctx.out, r.server), renderIssueResult(ctx.out, r.client)].join('\n\n'));
  }
  return r;
}
