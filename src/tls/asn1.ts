import {createRequire} from 'node:module';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import type * as Asn1js from 'asn1js';
import {requireVendored} from '../util/vendor.js';

/** @peculiar/asn1-schema with the X.509 schema built on it (one instance of each, shared). */
export interface Asn1Libs {
  asn1Schema: typeof Asn1Schema;
  asn1X509: typeof Asn1X509;
  /** asn1js, which both are written over. */
  asn1js: typeof Asn1js;
}

let libs: Asn1Libs | undefined;

/**
 * The ASN.1 schema libraries that src/tls/cert-builder.ts builds certificates
 * with, loaded on first use and synchronously (the builder's API is). They are
 * decorated classes over asn1js, without @peculiar/x509's class stack,
 * dependency injection and reflect-metadata, which cost more than half of a
 * `tls init` (issue 19). The build makes dist/vendor/asn1.cjs with a V8 code
 * cache (scripts/vendor.mjs), holding only the asn1-x509 modules a certificate
 * is made of; without it the packages come from node_modules.
 */
export function asn1(): Asn1Libs {
  if (!libs) {
    const vendored = requireVendored<Asn1Libs>('asn1');
    if (vendored) {
      libs = vendored;
    } else {
      const load = createRequire(import.meta.url);
      libs = {asn1Schema: load('@peculiar/asn1-schema') as typeof Asn1Schema, asn1X509: load('@peculiar/asn1-x509') as typeof Asn1X509, asn1js: load('asn1js') as typeof Asn1js};
    }
  }
  return libs;
}
