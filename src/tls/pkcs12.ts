import {createHash, webcrypto, X509Certificate} from 'node:crypto';
import {DialError, ExitCode} from '../errors/index.js';

/**
 * PKCS#12 (.p12/.pfx) bundles through PKIjs, which does the PBES2 encryption
 * and the password MAC with webcrypto. (node-forge's PKCS#12 writer handles RSA
 * keys only; dial's default keys are ECDSA and Ed25519.)
 */
type Pkijs = typeof import('pkijs');
type Asn1js = typeof import('asn1js');

let loading: Promise<{pkijs: Pkijs; asn1js: Asn1js}> | undefined;
function load(): Promise<{pkijs: Pkijs; asn1js: Asn1js}> {
  loading ??= (async () => {
    const [pkijs, asn1js] = await Promise.all([import('pkijs'), import('asn1js')]);
    pkijs.setEngine('node', new pkijs.CryptoEngine({name: 'node', crypto: webcrypto as never}));
    return {pkijs, asn1js};
  })();
  return loading;
}

const OID = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

/** OpenSSL's defaults for -iter and -maciter. */
const ITERATIONS = 2048;

function ab(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export interface Pkcs12Input {
  /** DER of the leaf certificate. */
  cert: Buffer;
  /** DER of intermediate (and root) certificates to include. */
  chain: Buffer[];
  /** PKCS#8 DER of the private key. */
  key: Buffer;
  password: string;
  friendlyName: string;
}

/** Builds a PKCS#12 bundle: key (PBES2 AES-256-CBC), certificates (AES-256-CBC), HMAC-SHA-256 integrity. */
export async function buildPkcs12(input: Pkcs12Input): Promise<Buffer> {
  const {pkijs, asn1js} = await load();
  const password = ab(Buffer.from(input.password, 'utf8'));
  const localKeyId = createHash('sha1').update(input.cert).digest();
  const attrs = () => [
    new pkijs.Attribute({type: OID.friendlyName, values: [new asn1js.BmpString({value: input.friendlyName})]}),
    new pkijs.Attribute({type: OID.localKeyId, values: [new asn1js.OctetString({valueHex: ab(localKeyId)})]}),
  ];
  const certBag = (der: Buffer, leaf: boolean) => new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({parsedValue: pkijs.Certificate.fromBER(ab(der))}),
    ...(leaf ? {bagAttributes: attrs()} : {}),
  });
  const keyBag = new pkijs.SafeBag({
    bagId: OID.shroudedKeyBag,
    bagValue: new pkijs.PKCS8ShroudedKeyBag({parsedValue: pkijs.PrivateKeyInfo.fromBER(ab(input.key))}),
    bagAttributes: attrs(),
  });
  const encryption = {password, contentEncryptionAlgorithm: {name: 'AES-CBC', length: 256} as never, hmacHashAlgorithm: 'SHA-256', iterationCount: ITERATIONS};
  await (keyBag.bagValue as InstanceType<Pkijs['PKCS8ShroudedKeyBag']>).makeInternalValues(encryption);
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            {privacyMode: 1, value: new pkijs.SafeContents({safeBags: [certBag(input.cert, true), ...input.chain.map((c) => certBag(c, false))]})},
            {privacyMode: 0, value: new pkijs.SafeContents({safeBags: [keyBag]})},
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({safeContents: [encryption, {}]});
  await pfx.makeInternalValues({password, iterations: ITERATIONS, pbkdf2HashAlgorithm: {name: 'SHA-256'}, hmacHashAlgorithm: 'SHA-256'});
  return Buffer.from(pfx.toSchema().toBER(false));
}

export interface Pkcs12Contents {
  certificates: X509Certificate[];
  /** PKCS#8 DER of each private key in the bundle. */
  keys: Buffer[];
}

/** Opens a PKCS#12 bundle; a wrong password or a corrupt file is a clear usage error. */
export async function readPkcs12(data: Buffer, source: string, password = ''): Promise<Pkcs12Contents> {
  const {pkijs} = await load();
  const pwd = ab(Buffer.from(password, 'utf8'));
  let pfx;
  try {
    pfx = pkijs.PFX.fromBER(ab(data));
  } catch (e) {
    throw new DialError('BAD_PKCS12', `${source} is not a PKCS#12 file (${(e as Error).message})`, {hint: 'pass a .p12/.pfx bundle, or a PEM/DER certificate', exitCode: ExitCode.Usage});
  }
  try {
    await pfx.parseInternalValues({password: pwd, checkIntegrity: true});
  } catch (e) {
    const msg = (e as Error).message;
    if (/integrity|mac|password/i.test(msg)) {
      throw new DialError('BAD_PASSWORD', `wrong password for ${source} (its integrity check (MAC) fails with the password given)`, {hint: password ? 'check --password' : 'the bundle has a password: pass --password', exitCode: ExitCode.Usage});
    }
    throw new DialError('BAD_PKCS12', `cannot open ${source}: ${msg}`, {exitCode: ExitCode.Usage});
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new DialError('BAD_PKCS12', `${source} has no authenticated safe`, {exitCode: ExitCode.Usage});
  try {
    await safe.parseInternalValues({safeContents: safe.safeContents.map(() => ({password: pwd}))});
  } catch (e) {
    throw new DialError('BAD_PKCS12', `cannot decrypt ${source}: ${(e as Error).message}`, {hint: 'legacy RC2/3DES bundles are not supported; re-export with AES (openssl pkcs12 -export without -legacy)', exitCode: ExitCode.Usage});
  }
  const out: Pkcs12Contents = {certificates: [], keys: []};
  for (const sc of safe.parsedValue?.safeContents ?? []) {
    for (const bag of sc.value.safeBags) {
      if (bag.bagId === OID.certBag) {
        const cb = bag.bagValue as InstanceType<Pkijs['CertBag']>;
        if (cb.certId === OID.x509Certificate) out.certificates.push(new X509Certificate(Buffer.from((cb.parsedValue as InstanceType<Pkijs['Certificate']>).toSchema().toBER(false))));
      } else if (bag.bagId === OID.shroudedKeyBag) {
        const kb = bag.bagValue as InstanceType<Pkijs['PKCS8ShroudedKeyBag']>;
        // parseInternalValues is protected in PKIjs's typings but is how a shrouded key bag is decrypted.
        await (kb as unknown as {parseInternalValues(p: {password: ArrayBuffer}): Promise<void>}).parseInternalValues({password: pwd});
        if (kb.parsedValue) out.keys.push(Buffer.from(kb.parsedValue.toSchema().toBER(false)));
      } else if (bag.bagId === OID.keyBag) {
        out.keys.push(Buffer.from((bag.bagValue as InstanceType<Pkijs['PrivateKeyInfo']>).toSchema().toBER(false)));
      }
    }
  }
  return out;
}
