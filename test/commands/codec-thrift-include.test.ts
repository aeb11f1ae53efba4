import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import {after, describe, it} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';
import {generate, INCLUDE_DIR, INTEROP_IDL, PYTHON, thriftMissing} from '../helpers/thrift.js';

/** A struct whose field is a type from shared.thrift, which interop.thrift includes from include/ (not beside it). */
const NOTE = {text: 'héllo', note: {text: 'n', at: '9007199254740993'}};

describe('dial codec --codec thrift-*: -I finds the IDL\'s includes', () => {
  const home = tempHome();
  after(() => rmSync(home, {recursive: true, force: true}));
  const dial = (args: string[]) => runDial(args, {home});

  for (const codec of ['thrift-binary', 'thrift-compact']) {
    it(`${codec}: encode and decode with -I; without it, a usage error that names the include and the folders searched`, async () => {
      const enc = await dial(['codec', 'encode', '--codec', codec, '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, '--type', 'Everything', '-d', JSON.stringify(NOTE), '--out', 'base64', '--json']);
      assert.equal(enc.code, 0, enc.stderr);
      const {data} = enc.json<{data: string}>();
      const dec = await dial(['codec', 'decode', '--codec', codec, '--import-path', INCLUDE_DIR, '--schema', INTEROP_IDL, '--type', 'Everything', '-d', data, '--in', 'base64']);
      assert.equal(dec.code, 0, dec.stderr);
      assert.deepEqual(JSON.parse(dec.stdout), NOTE);
      const missing = await dial(['codec', 'encode', '--codec', codec, '--schema', INTEROP_IDL, '--type', 'Everything', '-d', '{}']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /include "shared\.thrift" not found \(searched .*fixtures\/thrift\)/);
    });
  }

  it('compare: -I applies to the Thrift IDL too', async () => {
    const r = await dial(['codec', 'compare', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, '--type', 'Everything', '-d', JSON.stringify(NOTE), '--iterations', '10', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.json<{rows: {codec: string; bytes: number}[]}>().rows;
    assert.deepEqual(rows.filter((x) => x.codec.startsWith('thrift')).map((x) => x.codec).sort(), ['thrift-binary', 'thrift-compact']);
  });

  it('the bytes are what Apache Thrift\'s Python library reads (python3-thrift, code from thrift --gen py)', {skip: thriftMissing()}, async (t) => {
    const gen = generate('py', INTEROP_IDL, [INCLUDE_DIR]);
    t.after(() => rmSync(gen, {recursive: true, force: true}));
    const enc = await dial(['codec', 'encode', '--codec', 'thrift-compact', '--schema', INTEROP_IDL, '-I', INCLUDE_DIR, '--type', 'Everything', '-d', JSON.stringify(NOTE), '--out', 'hex']);
    assert.equal(enc.code, 0, enc.stderr);
    const script = [
      'import sys', `sys.path.insert(0, ${JSON.stringify(gen)})`,
      'from interop.ttypes import Everything', 'from thrift.TSerialization import deserialize', 'from thrift.protocol.TCompactProtocol import TCompactProtocolFactory',
      'e = deserialize(Everything(), bytes.fromhex(sys.stdin.read().strip()), TCompactProtocolFactory())',
      'print(e.text, e.note.text, e.note.at)',
    ].join('\n');
    const out = execFileSync(PYTHON, ['-c', script], {input: enc.stdout, encoding: 'utf8', timeout: 20_000});
    assert.equal(out.trim(), 'héllo n 9007199254740993');
  });
});
