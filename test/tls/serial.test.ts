import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {normalizeSerial, randomSerial} from '../../src/tls/index.js';

describe('serial numbers', () => {
  it('normalize to whole bytes of lowercase hex, however they are written', () => {
    for (const s of ['4ab', '04ab', '0x04AB', '04:AB', ' 0004ab ']) assert.equal(normalizeSerial(s), '04ab', s);
    assert.equal(normalizeSerial('f3'), 'f3');
  });

  it('random serials are 128-bit and print the same after normalizing (as issue and revoke show them)', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomSerial();
      assert.equal(s.length, 32);
      assert.equal(normalizeSerial(s), s.replace(/^(00)+/, ''));
    }
  });
});
