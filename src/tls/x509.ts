import {webcrypto} from 'node:crypto';
import type * as X509 from '@peculiar/x509';

/** The @peculiar/x509 module. */
export type X509Lib = typeof X509;

let loading: Promise<X509Lib> | undefined;

/**
 * Loads @peculiar/x509 on first use (it costs ~80 ms to import, so commands
 * that do not touch certificates never pay for it). reflect-metadata must be
 * imported before it, and it signs and verifies through node's webcrypto.
 */
export function loadX509(): Promise<X509Lib> {
  loading ??= (async () => {
    await import('reflect-metadata');
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto as unknown as Parameters<typeof lib.cryptoProvider.set>[0]);
    return lib;
  })();
  return loading;
}

/** node's webcrypto, typed (the project's lib has no DOM types). */
export const subtle = webcrypto.subtle;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
