import {createPrivateKey, createPublicKey, generateKeyPair as generateNodeKeyPair, type KeyObject, type X509Certificate} from 'node:crypto';
import {promisify} from 'node:util';
import {badInput, parsePem, toPem, type PemBlock} from './pem.js';
import {describeKey, keyAlgorithm, keyGeneration, keyTypeOf, type KeyDescription, type KeyType} from './key-types.js';
import {subtle, type CryptoKey} from './x509.js';

/** A key pair dial generated: node KeyObjects, what node:crypto signs with and exports. */
export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const generate = promisify(generateNodeKeyPair) as (type: string, options: object) => Promise<KeyPair>;

/**
 * Generates a key pair of `type` with node:crypto, on libuv's thread pool (RSA
 * takes a while). Not through webcrypto: its key objects would have to become
 * KeyObjects to sign certificates anyway, and loading and running it cost
 * `tls init` ~2 ms more for nothing.
 */
export async function generateKeyPair(type: KeyType): Promise<KeyPair> {
  const [kind, options] = keyGeneration(type);
  return generate(kind, options);
}

/** The private key as PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
export function privateKeyPem(key: KeyObject): string {
  return toPem('PRIVATE KEY', key.export({type: 'pkcs8', format: 'der'}));
}

/** A private key read from a file: node's KeyObject, and what dial knows of it. */
export interface LoadedKey {
  keyObject: KeyObject;
  type: KeyType;
  description: KeyDescription;
}

const KEY_BLOCKS = new Set(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/** Parses a private key (PKCS#8, SEC1 or PKCS#1; PEM or DER) into a KeyObject; bad input is a usage error. */
export function parsePrivateKey(data: Buffer, source: string, passphrase?: string): KeyObject {
  const blocks = parsePem(data, source);
  const block = blocks.find((b) => b.type === undefined || KEY_BLOCKS.has(b.type));
  if (!block) throw badInput('NO_PRIVATE_KEY', `${source} holds no private key (it has: ${blocks.map((b) => b.type).join(', ')})`, 'pass the "-key.pem" file');
  return privateKeyFromBlock(block, source, passphrase);
}

export function isPrivateKeyBlock(block: PemBlock): boolean {
  return block.type !== undefined && KEY_BLOCKS.has(block.type);
}

/** One PEM block (or DER, taken as PKCS#8) as a private key. */
export function privateKeyFromBlock(block: PemBlock, source: string, passphrase?: string): KeyObject {
  try {
    if (block.type === undefined) return createPrivateKey({key: block.der, format: 'der', type: 'pkcs8', passphrase});
    return createPrivateKey({key: toPem(block.type, block.der), format: 'pem', passphrase});
  } catch (e) {
    const msg = (e as Error).message;
    if (block.type === 'ENCRYPTED PRIVATE KEY' || /passphrase|decrypt/i.test(msg)) {
      throw badInput('BAD_PASSWORD', `cannot decrypt the private key in ${source} (wrong or missing password)`, 'pass the right password');
    }
    throw badInput('BAD_PRIVATE_KEY', `${source}: the private key is corrupt or unsupported (${msg})`, 'issue the key again');
  }
}

/** Loads a private key for signing; it must be a key type dial signs with. */
export async function loadSigningKey(data: Buffer, source: string): Promise<LoadedKey> {
  const keyObject = parsePrivateKey(data, source);
  const type = keyTypeOf(keyObject);
  const description = describeKey(keyObject);
  if (!type) throw badInput('UNSUPPORTED_KEY', `${source}: dial cannot sign with a ${description.label} key`, 'use ECDSA P-256/P-384, RSA 2048/3072/4096 or Ed25519');
  return {keyObject, type, description};
}

/** The key as a webcrypto key that signs, for @peculiar/x509 (CRLs): made only where one is needed. */
export async function signingCryptoKey(key: LoadedKey): Promise<CryptoKey> {
  const der = key.keyObject.export({type: 'pkcs8', format: 'der'});
  return subtle.importKey('pkcs8', der, keyAlgorithm(key.type).import as Parameters<typeof subtle.importKey>[2], false, ['sign']);
}

/** True when the private key is the one whose public half the certificate carries. */
export function keyMatchesCertificate(key: KeyObject, cert: X509Certificate): boolean {
  const a = createPublicKey(key).export({type: 'spki', format: 'der'});
  const b = cert.publicKey.export({type: 'spki', format: 'der'});
  return a.equals(b);
}
