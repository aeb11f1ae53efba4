import assert from 'node:assert/strict';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {createFileRegistry, toJson, type JsonObject} from '@bufbuild/protobuf';
import {FileDescriptorProtoSchema, type FileDescriptorProto} from '@bufbuild/protobuf/wkt';
import {compileProtoFiles} from '../../src/rpc/proto-compiler.js';
import {protoText} from '../../src/rpc/proto-text.js';
import {WELL_KNOWN_FILES} from '../../src/rpc/well-known-files.js';
import {DialError} from '../../src/errors/index.js';
import {ROOT} from '../helpers/cli.js';
import {needProtoc, protocDescriptorSet, wellKnownIncludeDir} from '../helpers/protoc.js';

const FIX = join(ROOT, 'test', 'fixtures', 'proto');

/** Descriptor JSON without source info, nested types in name order (protobufjs does not keep the order of map entries among nested types). */
function canonical(f: FileDescriptorProto): JsonObject {
  const j = toJson(FileDescriptorProtoSchema, f) as JsonObject;
  delete j.sourceCodeInfo;
  const sortNested = (m: JsonObject) => {
    const nested = m.nestedType as JsonObject[] | undefined;
    if (nested) {
      nested.sort((a, b) => String(a.name).localeCompare(String(b.name)));
      nested.forEach(sortNested);
    }
  };
  for (const m of (j.messageType as JsonObject[] | undefined) ?? []) sortNested(m);
  return j;
}

describe('proto compiler (.proto -> descriptors)', () => {
  it('compiles the files and their imports, in dependency order, with well-known types built in', async () => {
    const files = await compileProtoFiles([join(FIX, 'shop/v1/shop.proto')], [FIX]);
    assert.deepEqual(files.map((f) => f.name), ['shop/v1/money.proto', 'shop/v1/shop.proto']);
    const shop = files[1];
    assert.deepEqual(shop.dependency, ['google/protobuf/any.proto', 'google/protobuf/timestamp.proto', 'google/protobuf/wrappers.proto', 'shop/v1/money.proto']);
    const reg = createFileRegistry(...files.map((f) => createFileRegistry(f, (n) => files.find((x) => x.name === n) ?? WELL_KNOWN_FILES.get(n))));
    const order = reg.getMessage('shop.v1.Order')!;
    assert.equal(order.field.customerId.jsonName, 'customer');
    assert.equal(order.field.linesById.fieldKind, 'map');
    assert.equal(order.field.priority.proto.proto3Optional, true);
    assert.equal(order.proto.oneofDecl.map((o) => o.name).join(), 'payment,_priority');
    assert.equal(reg.getService('shop.v1.Orders')!.methods.map((m) => m.methodKind).join(), 'unary,server_streaming,client_streaming,bidi_streaming');
  });

  it('produces the same descriptors as protoc (proto3 with imports and WKTs, proto2 with groups, defaults and extensions)', async (t) => {
    if (!needProtoc(t)) return;
    const wkt = wellKnownIncludeDir();
    const names = ['shop/v1/shop.proto', 'legacy.proto'];
    const {set} = protocDescriptorSet(names.map((n) => join(FIX, n)), [FIX, wkt]);
    const mine = await compileProtoFiles(names.map((n) => join(FIX, n)), [FIX]);
    for (const f of mine) {
      const theirs = set.file.find((x) => x.name === f.name);
      assert.ok(theirs, `protoc also has ${f.name}`);
      assert.deepEqual(canonical(f), canonical(theirs), f.name);
    }
  });

  it('keeps comments, and prints files back as proto text that protoc accepts', async (t) => {
    const files = await compileProtoFiles([join(FIX, 'shop/v1/shop.proto')], [FIX]);
    const reg = createFileRegistry(...files.map((f) => createFileRegistry(f, (n) => files.find((x) => x.name === n) ?? WELL_KNOWN_FILES.get(n))));
    const text = protoText(reg.getService('shop.v1.Orders')!);
    assert.match(text, /^\/\/ Orders and how to place them\.\nservice Orders \{\n {2}\/\/ Places one order\.\n {2}rpc Place\(shop\.v1\.Order\) returns \(shop\.v1\.Receipt\);/);
    assert.match(text, /rpc Chat\(stream shop\.v1\.Order\) returns \(stream shop\.v1\.Receipt\);/);
    const msg = protoText(reg.getMessage('shop.v1.Order')!);
    assert.match(msg, /string customer_id = 1 \[json_name = "customer"\];/);
    assert.match(msg, /map<int64, shop\.v1\.Order\.Line> lines_by_id = 4;/);
    assert.match(msg, /oneof payment \{\n {4}shop\.v1\.Order\.Card card = 5;/);
    assert.match(msg, /optional int32 priority = 7;/);
    assert.match(msg, /reserved 20 to 25, 30;\n {2}reserved "old_field";/);
    if (!needProtoc(t)) return;
    // Every well-known file printed by dial compiles with protoc (wellKnownIncludeDir relies on it).
    const wkt = wellKnownIncludeDir();
    const {set} = protocDescriptorSet([join(FIX, 'shop/v1/shop.proto')], [FIX, wkt]);
    assert.ok(set.file.some((f) => f.name === 'google/protobuf/timestamp.proto'));
  });

  it('finds --proto names relative to the import paths from any folder, as protoc and grpcurl do', async () => {
    const files = await compileProtoFiles(['shop/v1/shop.proto'], [join(ROOT, 'proto'), FIX]);
    assert.deepEqual(files.map((f) => f.name), ['shop/v1/money.proto', 'shop/v1/shop.proto']);
    await assert.rejects(compileProtoFiles(['shop/v1/nope.proto'], [FIX]), (e: DialError) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /cannot read shop\/v1\/nope\.proto: no such file \(looked in the current folder and in the import paths .*fixtures\/proto\)/);
      return true;
    });
  });

  it('names a missing import, the import path searched, and what to do', async () => {
    await assert.rejects(compileProtoFiles([join(FIX, 'broken.proto')], [FIX]), (e: DialError) => {
      assert.equal(e.code, 'MISSING_IMPORT');
      assert.match(e.message, /broken\.proto imports 'shop\/v1\/missing\.proto'/);
      assert.match(e.hint ?? '', /--import-path/);
      assert.equal(e.exitCode, 2);
      return true;
    });
  });

  it('suggests the near miss for an unknown type, and reports parse errors with the line', async () => {
    await assert.rejects(compileProtoFiles([join(FIX, 'typo.proto')], [FIX]), /type 'Ordr' is not defined \(did you mean 'typo\.Order'\?\)/);
    const {mkdtempSync, writeFileSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dial-proto-'));
    writeFileSync(join(dir, 'bad.proto'), 'syntax = "proto3";\nmessage A {\n  string x = ;\n}\n');
    await assert.rejects(compileProtoFiles([join(dir, 'bad.proto')], []), /cannot parse .*bad\.proto: illegal .*line 3/);
    await assert.rejects(compileProtoFiles([join(dir, 'nope.proto')], []), /cannot read .*nope\.proto: no such file/);
  });
});
