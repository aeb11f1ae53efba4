import assert from 'node:assert/strict';
import {isIP} from 'node:net';
import {describe, it} from 'node:test';
import {ipVersion} from '../../src/util/ip.js';

describe('ipVersion', () => {
  it('answers as net.isIP does', () => {
    const cases = [
      '127.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', ' 1.2.3.4', '', 'localhost', 'example.com',
      '::1', '::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', '::ffff:1.2.3.4', '::ffff:1.2.3', 'fe80::1%eth0', 'fe80::1%1', 'fe80::%25eth0',
      '::1%', '::1%eth 0', '::1%e/th', '[::1]', '::1 ', 'a:b', 'g::1', '1.2.3.4:80', ':::', '2001:db8::1', '2001:DB8::A', '::1.2.3.4', 'a::b:c:d:e:f:1.2.3.4',
      '2001:0db8:0000:0000:0000:0000:0000:00011%eth0', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:0db8:0000:0000:0000:0000:0000:00011', 'fe80::1%eth0%x', 'fe80::1%%',
    ];
    for (const s of cases) assert.equal(ipVersion(s), isIP(s), JSON.stringify(s));
  });

  it('agrees with net.isIP on random strings of address characters', () => {
    const alphabet = '0123456789abcdefABCDEFg:.%';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let n = next() % 16; n > 0; n--) s += alphabet[next() % alphabet.length];
      assert.equal(ipVersion(s), isIP(s), JSON.stringify(s));
    }
    // Near-valid addresses: a valid one with one group, separator or character changed, some with a zone.
    const groups = () => Array.from({length: 8}, () => (next() % 65536).toString(16).padStart(next() % 2 ? 4 : 1, '0'));
    for (let i = 0; i < 5_000; i++) {
      const g = groups();
      if (next() % 3 === 0) g[next() % 8] += alphabet[next() % alphabet.length];
      let s = next() % 2 ? g.join(':') : `${g.slice(0, 3).join(':')}::${g.slice(5).join(':')}`;
      if (next() % 4 === 0) s += `%${['eth0', '1', '', 'a%b', 'lo'][next() % 5]}`;
      assert.equal(ipVersion(s), isIP(s), JSON.stringify(s));
    }
  });
});
