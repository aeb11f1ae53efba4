import {ipVersion} from '../util/ip.js';
import {usageError} from '../errors/index.js';

/** A subject alternative name as dial shows it and @peculiar/x509 takes it. */
export interface SanEntry {
  type: 'dns' | 'ip' | 'uri' | 'email';
  value: string;
}

export interface SanInput {
  dns?: string[];
  ip?: string[];
  uri?: string[];
  email?: string[];
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const SPIFFE_TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const SPIFFE_SEGMENT = /^[A-Za-z0-9._-]+$/;
const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

export function isDnsName(name: string, allowWildcard = true): boolean {
  const n = allowWildcard && name.startsWith('*.') ? name.slice(2) : name;
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => LABEL.test(l));
}

function checkSpiffe(uri: string): void {
  const m = /^spiffe:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(uri);
  const bad = (why: string) => usageError(`invalid SPIFFE ID '${uri}': ${why}`, 'a SPIFFE ID is spiffe://TRUST-DOMAIN/PATH, e.g. spiffe://example.org/ns/prod/sa/api');
  if (!m) throw bad('no query or fragment allowed');
  if (!SPIFFE_TRUST_DOMAIN.test(m[1])) throw bad('the trust domain may hold only lowercase letters, digits, ".", "-" and "_" (no port or user info)');
  const path = m[2] ?? '';
  if (path === '/' || path.endsWith('/')) throw bad('the path must not end with "/"');
  for (const seg of path.split('/').slice(1)) {
    if (!SPIFFE_SEGMENT.test(seg) || seg === '.' || seg === '..') throw bad(`path segment '${seg}' is not allowed`);
  }
}

/** Validates and collects the SANs of --dns, --ip, --uri and --email. */
export function sanEntries(input: SanInput): SanEntry[] {
  const out: SanEntry[] = [];
  for (const d of input.dns ?? []) {
    if (!isDnsName(d)) throw usageError(`'${d}' is not a DNS name for --dns`, 'e.g. api.example.com or *.example.com (IP addresses go in --ip)');
    out.push({type: 'dns', value: d.toLowerCase()});
  }
  for (const ip of input.ip ?? []) {
    const bare = ip.replace(/^\[(.*)\]$/, '$1');
    if (!ipVersion(bare)) throw usageError(`'${ip}' is not an IP address for --ip`, 'e.g. 127.0.0.1 or ::1');
    const zone = bare.indexOf('%');
    if (zone >= 0) throw usageError(`'${ip}' has a zone (${bare.slice(zone)}), which an IP address in a certificate cannot hold`, `give the address alone: --ip ${bare.slice(0, zone)}`);
    out.push({type: 'ip', value: bare});
  }
  for (const u of input.uri ?? []) {
    if (u.toLowerCase().startsWith('spiffe:')) checkSpiffe(u);
    else if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(u) || !URL.canParse(u)) throw usageError(`'${u}' is not a URI for --uri`, 'e.g. spiffe://example.org/ns/prod/sa/api or https://example.com/id');
    out.push({type: 'uri', value: u});
  }
  for (const e of input.email ?? []) {
    if (!EMAIL.test(e)) throw usageError(`'${e}' is not an email address for --email`, 'e.g. alice@example.com');
    out.push({type: 'email', value: e});
  }
  const seen = new Set<string>();
  return out.filter((s) => !seen.has(`${s.type}:${s.value}`) && seen.add(`${s.type}:${s.value}`));
}

/** "DNS:api.example.com", "IP:127.0.0.1", "URI:spiffe://...", "email:a@b.c" */
export function sanLabel(s: SanEntry): string {
  return `${{dns: 'DNS', ip: 'IP', uri: 'URI', email: 'email'}[s.type]}:${s.value}`;
}

const ATTRS = new Set(['CN', 'O', 'OU', 'C', 'ST', 'L', 'STREET', 'DC', 'SERIALNUMBER', 'E', 'EMAILADDRESS', 'T', 'TITLE', 'GN', 'SN', 'UID']);

/** Escapes a value for an RFC 4514 string. */
export function escapeDnValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/**
 * The subject DN for --cn and --subject 'O=Acme, OU=Payments, C=US' (RFC 4514
 * syntax; escape a comma in a value as "\,"). A CN in --subject wins over --cn;
 * otherwise the CN comes last, so 'C=US, O=Acme' gives the conventional C, O, CN order.
 */
export function subjectDn(cn: string | undefined, subject: string | undefined): string {
  const parts: string[] = [];
  let hasCn = false;
  if (subject?.trim()) {
    for (const raw of subject.split(/(?<!\\),/).map((p) => p.trim()).filter(Boolean)) {
      const eq = raw.indexOf('=');
      const key = eq > 0 ? raw.slice(0, eq).trim().toUpperCase() : '';
      if (!ATTRS.has(key) || raw.slice(eq + 1).trim() === '') {
        throw usageError(`'${raw}' in --subject is not ATTRIBUTE=value`, `e.g. --subject 'O=Acme, OU=Payments, C=US' (attributes: ${[...ATTRS].join(', ')})`);
      }
      if (key === 'C' && !/^[A-Za-z]{2}$/.test(raw.slice(eq + 1).trim())) throw usageError(`C in --subject must be a two-letter country code, got '${raw.slice(eq + 1).trim()}'`);
      if (key === 'CN') hasCn = true;
      parts.push(`${key}=${raw.slice(eq + 1).trim()}`);
    }
  }
  if (!hasCn && cn) parts.push(`CN=${escapeDnValue(cn)}`);
  if (parts.length === 0) throw usageError('the certificate needs a subject', 'pass --cn NAME or --subject');
  return parts.join(', ');
}
