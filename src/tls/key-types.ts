import type {KeyObject} from 'node:crypto';
import {usageError} from '../errors/index.js';

/** Key types dial generates (the names of --key). */
export const KEY_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';

/** webcrypto parameters for one key type: how to generate, import and sign. */
export interface KeyAlgorithm {
  generate: {name: string; namedCurve?: string; modulusLength?: number; publicExponent?: Uint8Array; hash?: string};
  import: {name: string; namedCurve?: string; hash?: string};
  sign: {name: string; hash?: string};
}

const RSA_E = new Uint8Array([1, 0, 1]);

export function keyAlgorithm(type: KeyType): KeyAlgorithm {
  switch (type) {
    case 'ecdsa-p256':
      return {generate: {name: 'ECDSA', namedCurve: 'P-256'}, import: {name: 'ECDSA', namedCurve: 'P-256'}, sign: {name: 'ECDSA', hash: 'SHA-256'}};
    case 'ecdsa-p384':
      return {generate: {name: 'ECDSA', namedCurve: 'P-384'}, import: {name: 'ECDSA', namedCurve: 'P-384'}, sign: {name: 'ECDSA', hash: 'SHA-384'}};
    case 'ed25519':
      return {generate: {name: 'Ed25519'}, import: {name: 'Ed25519'}, sign: {name: 'Ed25519'}};
    default: {
      const bits = Number(type.slice(4));
      const rsa = {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'};
      return {generate: {...rsa, modulusLength: bits, publicExponent: RSA_E}, import: rsa, sign: rsa};
    }
  }
}

/** How node:crypto's generateKeyPair makes a key of `type`: its key kind and options. */
export function keyGeneration(type: KeyType): ['ec', {namedCurve: string}] | ['ed25519', object] | ['rsa', {modulusLength: number; publicExponent: number}] {
  switch (type) {
    case 'ecdsa-p256':
      return ['ec', {namedCurve: 'prime256v1'}];
    case 'ecdsa-p384':
      return ['ec', {namedCurve: 'secp384r1'}];
    case 'ed25519':
      return ['ed25519', {}];
    default:
      return ['rsa', {modulusLength: Number(type.slice(4)), publicExponent: 0x10001}];
  }
}

export function parseKeyType(text: string | undefined, flag = '--key'): KeyType {
  if (text === undefined) return DEFAULT_KEY_TYPE;
  const t = text.toLowerCase();
  if ((KEY_TYPES as readonly string[]).includes(t)) return t as KeyType;
  throw usageError(`unknown key type '${text}' for ${flag}`, `use one of: ${KEY_TYPES.join(', ')}`);
}

const CURVES: Record<string, KeyType> = {prime256v1: 'ecdsa-p256', 'P-256': 'ecdsa-p256', secp384r1: 'ecdsa-p384', 'P-384': 'ecdsa-p384'};

/** The dial key type of a node KeyObject, or undefined when dial cannot sign with it. */
export function keyTypeOf(key: KeyObject): KeyType | undefined {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return CURVES[d.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'rsa') {
    const t = `rsa-${d.modulusLength}`;
    return (KEY_TYPES as readonly string[]).includes(t) ? (t as KeyType) : undefined;
  }
  return undefined;
}

/** Human and JSON description of a key: {algorithm: 'ECDSA', size: 256, curve: 'P-256'}. */
export interface KeyDescription {
  algorithm: string;
  size?: number;
  curve?: string;
  /** e.g. "ECDSA P-256", "RSA 2048", "Ed25519" */
  label: string;
}

const CURVE_NAMES: Record<string, {name: string; size: number}> = {
  prime256v1: {name: 'P-256', size: 256}, secp384r1: {name: 'P-384', size: 384}, secp521r1: {name: 'P-521', size: 521}, secp256k1: {name: 'secp256k1', size: 256},
};

export function describeKey(key: KeyObject): KeyDescription {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const c = CURVE_NAMES[d.namedCurve ?? ''] ?? {name: d.namedCurve ?? 'unknown curve', size: undefined};
      return {algorithm: 'ECDSA', curve: c.name, ...(c.size ? {size: c.size} : {}), label: `ECDSA ${c.name}`};
    }
    case 'rsa': case 'rsa-pss':
      return {algorithm: key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', size: d.modulusLength, label: `RSA ${d.modulusLength}`};
    case 'ed25519':
      return {algorithm: 'Ed25519', size: 256, label: 'Ed25519'};
    case 'ed448':
      return {algorithm: 'Ed448', size: 456, label: 'Ed448'};
    default:
      return {algorithm: key.asymmetricKeyType ?? 'unknown', label: key.asymmetricKeyType ?? 'unknown'};
  }
}
