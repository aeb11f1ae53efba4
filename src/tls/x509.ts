import {webcrypto} from 'node:crypto';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import type * as X509 from '@peculiar/x509';
import {requireVendored} from '../util/vendor.js';

/** The @peculiar/x509 module. */
export type X509Lib = typeof X509;

/** @peculiar/x509 with the ASN.1 modules it is made of (one instance of each, shared). */
export interface PkiLibs {
  x509: X509Lib;
  asn1Schema: typeof Asn1Schema;
  asn1X509: typeof Asn1X509;
}

let loading: Promise<PkiLibs> | undefined;

/**
 * Loads @peculiar/x509 on first use, so commands that do not touch
 * certificates never pay for it. The build makes dist/vendor/pki.cjs
 * (scripts/vendor.mjs: reflect-metadata, which must come first, then the
 * libraries) with a V8 code cache, which makes loading and the first
 * certificates about twice as fast; without that file the packages are
 * imported. It signs and verifies through node's webcrypto.
 */
export function loadPki(): Promise<PkiLibs> {
  loading ??= (async () => {
    const libs = requireVendored<PkiLibs>('pki') ?? (await importPki());
    libs.x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof libs.x509.cryptoProvider.set>[0]);
    return libs;
  })();
  return loading;
}

/** The same libraries from node_modules (when dist/vendor/pki.cjs is missing). */
export async function importPki(): Promise<PkiLibs> {
  await import('reflect-metadata');
  const [x509, asn1Schema, asn1X509] = await Promise.all([import('@peculiar/x509'), import('@peculiar/asn1-schema'), import('@peculiar/asn1-x509')]);
  return {x509, asn1Schema, asn1X509};
}

/** The @peculiar/x509 module, loaded on first use (see loadPki). */
export async function loadX509(): Promise<X509Lib> {
  return (await loadPki()).x509;
}

/** node's webcrypto, typed (the project's lib has no DOM types). */
export const subtle = webcrypto.subtle;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
