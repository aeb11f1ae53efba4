import type {CaResult} from '../../tls/ca.js';
import type {CertInfo} from '../../tls/cert-info.js';
import type {CrlResult, RevokeResult} from '../../tls/crl.js';
import type {InspectFileResult} from '../../tls/inspect.js';
import type {InspectRemoteResult} from '../../tls/inspect-remote.js';
import type {IssueResult} from '../../tls/issue.js';
import type {VerifyResult} from '../../tls/verify.js';
import type {Output} from '../output.js';

const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
const rows = (pairs: [string, string | undefined][]) => pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join('\n');

export function renderCaResult(out: Output, r: CaResult): string {
  const c = out.color;
  return [
    c.green(`created ${r.kind} CA "${r.name}"`),
    rows([
      ['subject', r.subject], ...(r.kind === 'intermediate' ? [['issuer', r.issuer] as [string, string]] : []),
      ['key', r.key], ['serial', r.serial], ['valid until', when(r.notAfter)],
      ['path length', r.pathLen === null ? 'no limit' : r.pathLen === 0 ? '0 (it signs leaf certificates only, no further CAs)' : `${r.pathLen} (at most ${r.pathLen} more CA level${r.pathLen === 1 ? '' : 's'} below it)`],
      ['certificate', r.files.cert], ['private key', `${r.files.key}  (0600)`], ['chain', r.files.chain],
      ...(r.files.root ? [['trust', r.files.root] as [string, string]] : []),
    ]),
    `\nnext: dial tls issue NAME --ca ${r.dir} --dns HOST`,
  ].join('\n');
}

export function renderIssueResult(out: Output, r: IssueResult): string {
  const c = out.color;
  return [
    c.green(`issued ${r.profile === 'both' ? 'server+client' : r.profile} certificate "${r.name}"${r.fromCsr ? ' from the CSR' : ''}`),
    rows([
      ['subject', r.subject], ['issuer', r.issuer], ['names', r.sans.join(', ') || '(none)'], ['key', r.key], ['serial', r.serial],
      ['valid', `${when(r.notBefore)} -> ${when(r.notAfter)}`],
      ['certificate', r.files.cert], ['full chain', r.files.fullchain], ['private key', r.files.key ? `${r.files.key}  (0600)` : '(kept by whoever made the CSR)'],
      ['trust', `${r.trust}  (the root peers must trust)`],
    ]),
  ].join('\n');
}

function validity(out: Output, ci: CertInfo): string {
  const c = out.color;
  const span = `${when(ci.notBefore)} -> ${when(ci.notAfter)}`;
  if (ci.status === 'expired') return `${span}  ${c.red(`EXPIRED ${-ci.daysLeft} day(s) ago`)}`;
  if (ci.status === 'not yet valid') return `${span}  ${c.yellow('NOT YET VALID')}`;
  return `${span}  (${ci.daysLeft < 30 ? c.yellow(`${ci.daysLeft} days left`) : `${ci.daysLeft} days left`})`;
}

export function renderCertInfo(out: Output, ci: CertInfo, title: string): string {
  return [
    out.color.bold(title),
    rows([
      ['subject', ci.subject], ['issuer', ci.issuer], ['serial', ci.serial],
      ['names', ci.sans.join(', ') || undefined], ['valid', validity(out, ci)],
      ['key', ci.key.label], ['signature', ci.signatureAlgorithm],
      ['CA', ci.isCa ? `yes${ci.pathLen === null ? ', no path length limit' : `, pathLen ${ci.pathLen}`}${ci.selfSigned ? ', self-signed root' : ''}` : 'no'],
      ['key usage', ci.keyUsage.join(', ') || undefined], ['ext. usage', ci.extendedKeyUsage.join(', ') || undefined],
      ['SHA-256', ci.fingerprints.sha256], ['SHA-1', ci.fingerprints.sha1],
    ]),
  ].join('\n');
}

function role(i: number, n: number, ci: CertInfo): string {
  if (ci.selfSigned) return 'root';
  if (i === 0 && !ci.isCa) return 'leaf';
  return ci.isCa ? 'intermediate' : 'certificate';
}

function certList(out: Output, certs: CertInfo[]): string[] {
  return certs.map((ci, i) => renderCertInfo(out, ci, `certificate ${i + 1} of ${certs.length} (${role(i, certs.length, ci)})`));
}

function chainLine(out: Output, chain: {inOrder: boolean; problems: string[]}, certs: CertInfo[]): string | undefined {
  if (certs.length < 2) return undefined;
  return chain.inOrder ? `chain: ${certs.map((c) => c.subject).join(' -> ')}  ${out.color.green('(in order, each signed by the next)')}` : out.color.red(`chain out of order: ${chain.problems.join('; ')}`);
}

export function renderInspectFile(out: Output, r: InspectFileResult): string {
  const parts = certList(out, r.certificates);
  const chain = chainLine(out, r.chain, r.certificates);
  if (chain) parts.push(chain);
  for (const k of r.keys) parts.push(`private key: ${k.key.label}${k.matchesCertificate === undefined ? '' : k.matchesCertificate ? out.color.green(', matches certificate 1') : out.color.red(', does NOT match certificate 1')}`);
  for (const q of r.requests) parts.push(`${out.color.bold('certificate request')}\n${rows([['subject', q.subject], ['names', q.sans.join(', ') || undefined], ['key', q.key.label], ['signature', q.signatureValid ? 'valid' : out.color.red('INVALID')]])}`);
  for (const crl of r.crls) parts.push(`${out.color.bold('CRL')}\n${rows([['issuer', crl.issuer], ['updated', when(crl.thisUpdate)], ['next update', crl.nextUpdate ? when(crl.nextUpdate) : undefined], ['revoked', crl.revoked.length ? crl.revoked.map((e) => `${e.serial} (${when(e.revokedAt)}${e.reason ? `, ${e.reason}` : ''})`).join('\n               ') : 'none']])}`);
  for (const w of r.warnings.filter((w) => !r.chain.problems.includes(w))) parts.push(out.color.yellow(`warning: ${w}`));
  return parts.join('\n\n');
}

export function renderInspectRemote(out: Output, r: InspectRemoteResult): string {
  const c = out.color;
  const head = rows([
    ['address', r.address], ['servername', r.servername], ['protocol', r.protocol],
    ['cipher', `${r.cipher.standardName ?? r.cipher.name}`], ['ALPN', r.alpn],
    ['trusted', r.trusted ? c.green('yes') : c.yellow(`no (${r.trustError ?? 'not verified'})`)],
    ['client cert', r.clientCertificate.refused ? c.red(`refused: ${r.clientCertificate.refused}`) : r.clientCertificate.sent ? 'sent, accepted' : 'none sent'],
  ]);
  const parts = [`${c.bold('TLS connection')}\n${head}`, ...certList(out, r.certificates)];
  const chain = chainLine(out, r.chain, r.certificates);
  if (chain) parts.push(chain);
  return parts.join('\n\n');
}

export function renderVerify(out: Output, r: VerifyResult): string {
  const c = out.color;
  const lines = [r.ok ? c.green(`OK: ${r.certificate}`) : c.red(`FAILED: ${r.reason}`)];
  for (const ch of r.checks) lines.push(`  ${ch.ok ? c.green('ok  ') : c.red('FAIL')}  ${ch.name.padEnd(11)} ${ch.detail}`);
  return lines.join('\n');
}

export function renderCrl(out: Output, r: CrlResult | RevokeResult): string {
  const c = out.color;
  const head = 'serial' in r ? (r.alreadyRevoked ? c.yellow(`serial ${r.serial} was already revoked`) : c.green(`revoked serial ${r.serial}${r.subject ? ` (${r.subject})` : ''}`)) : c.green(`wrote CRL #${r.crlNumber}`);
  return [head, rows([['CRL', r.file], ['issuer', r.issuer], ['number', String(r.crlNumber)], ['next update', when(r.nextUpdate)], ['revoked', String(r.revoked.length)]])].join('\n');
}
