// dist/vendor: code that short commands load, each as one CommonJS file with
// a V8 code cache beside it (src/util/vendor.ts loads them through vm.Script:
// Node 20 has no compile cache for modules, and compiling is most of what
// loading a big library costs).
//
// - fast.cjs: the fast path of bin/run.js for `dial call`, `dial discover` and `dial sub`
//   (src/cli/fast.ts), dial's code and the libraries every call needs
//   (connect, protobuf) in one file; fast-tls.cjs the same for `dial tls init`
//   (src/cli/fast.ts FAST_FILES: one file per entry, each with only its
//   commands' code). Heavy libraries that only some runs
//   need are not in it: each is an "island" of its own below, which fast.cjs
//   loads when the code that imports it first runs.
// - islands: undici (registry lookups), @grpc/grpc-js (--lb), soap,
//   protobufjs (--proto files), msgpackr, node-zookeeper-client.
// - pki.cjs: @peculiar/x509 and its ASN.1 modules (tls commands that parse
//   CSRs, CRLs, inspect; also under oclif).
// - asn1.cjs: @peculiar/asn1-schema, asn1-x509 and asn1js without x509, for
//   the certificate builder (src/tls/cert-builder.ts: tls init, issue, ca).
// - loader.cjs: src/util/vendor.ts, the loader of these files, for bin/run.js.
//
// The caches are recorded by running real commands with DIAL_CODE_CACHE_WRITE=1
// (against a cluster the build starts): every function they compiled is in
// them, so the next run compiles nothing of it. A failure here costs speed,
// not function: without fast.cjs bin/run.js takes the oclif path, and without
// an island or pki.cjs dial requires the package from node_modules, so the
// build warns and goes on.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {EXTERNAL} from './bundle.mjs';

/** Libraries bundled alone, by island name: what the file exports. */
const LIBRARIES = {
  // reflect-metadata first: @peculiar/x509's dependency injection needs it in place.
  pki: "require('reflect-metadata');\nmodule.exports = {x509: require('@peculiar/x509'), asn1Schema: require('@peculiar/asn1-schema'), asn1X509: require('@peculiar/asn1-x509')};\n",
  // The ASN.1 schema alone (src/tls/asn1.ts): what dial builds certificates with (tls init, issue, ca create).
  // Only the modules of asn1-x509 a certificate is made of, not its index (CRLs, policies, name constraints ...):
  // each module's decorators run when it loads, and the whole index costs about a third more.
  asn1: "module.exports = {asn1Schema: require('@peculiar/asn1-schema'), asn1js: require('asn1js'), asn1X509: Object.assign({}, require('@peculiar/asn1-x509/build/cjs/certificate.js'), require('@peculiar/asn1-x509/build/cjs/tbs_certificate.js'), require('@peculiar/asn1-x509/build/cjs/name.js'), require('@peculiar/asn1-x509/build/cjs/validity.js'), require('@peculiar/asn1-x509/build/cjs/extension.js'), require('@peculiar/asn1-x509/build/cjs/algorithm_identifier.js'), require('@peculiar/asn1-x509/build/cjs/subject_public_key_info.js'), require('@peculiar/asn1-x509/build/cjs/types.js'), require('@peculiar/asn1-x509/build/cjs/general_name.js'), require('@peculiar/asn1-x509/build/cjs/extensions/basic_constraints.js'), require('@peculiar/asn1-x509/build/cjs/extensions/key_usage.js'), require('@peculiar/asn1-x509/build/cjs/extensions/extended_key_usage.js'), require('@peculiar/asn1-x509/build/cjs/extensions/subject_alternative_name.js'), require('@peculiar/asn1-x509/build/cjs/extensions/subject_key_identifier.js'), require('@peculiar/asn1-x509/build/cjs/extensions/authority_key_identifier.js'))};\n",
  // undici: only what dial imports from it (Agent, request), not its index, which also loads fetch,
  // WebSocket, EventSource, the caches, mocks and interceptors (half of the file's code). request(url, opts)
  // is undici's documented Dispatcher#request with the URL split into origin and path, as its index does.
  undici: [
    "const Dispatcher = require('undici/lib/dispatcher/dispatcher');",
    "Object.assign(Dispatcher.prototype, require('undici/lib/api'));",
    "const {getGlobalDispatcher} = require('undici/lib/global');",
    'module.exports = {',
    "  Agent: require('undici/lib/dispatcher/agent'),",
    '  request(url, opts = {}) {',
    '    const u = url instanceof URL ? url : new URL(url);',
    '    const {dispatcher = getGlobalDispatcher(), ...rest} = opts;',
    "    return dispatcher.request({...rest, origin: u.origin, path: u.pathname + u.search, method: opts.method || (opts.body ? 'PUT' : 'GET')});",
    '  },',
    '};',
    '',
  ].join('\n'),
  grpc: "module.exports = require('@grpc/grpc-js');\n",
  soap: "module.exports = require('soap');\n",
  protobufjs: "module.exports = require('protobufjs');\n",
  msgpackr: "module.exports = require('msgpackr');\n",
  zookeeper: "module.exports = require('node-zookeeper-client');\n",
};

/** Package -> island, for imports from dial's own code in fast.cjs. */
const ISLAND_OF = {'undici': 'undici', '@grpc/grpc-js': 'grpc', 'soap': 'soap', 'protobufjs': 'protobufjs', 'msgpackr': 'msgpackr', 'node-zookeeper-client': 'zookeeper'};

/** Commands whose compiled functions go into the caches, in order; each run adds to what the last one recorded. */
const TRAINING = [
  ['call', '{grpc}', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'],
  ['call', '{grpc}', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '--json'],
  ['call', '{grpc}', 'helloworld.Greeter/SayHelloStreamReply', '-d', '{"name":"ada","count":3}'],
  ['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'],
  ['discover', 'greeter'],
  ['pub', 'dial.train', '--broker', 'kafka://{kafka}', '--partitions', '1', '-d', 'x', '-k', 'k', '-H', 'h: v'],
  ['sub', 'dial.train', '--broker', 'kafka://{kafka}', '--from-beginning'],
  ['sub', 'dial.train', '--broker', 'kafka://{kafka}', '--from-beginning', '--json'],
  ['tls', 'init', '--out', '{tmp}/ecdsa'],
  ['tls', 'init', '--key', 'rsa-2048', '--out', '{tmp}/rsa'],
  ['tls', 'issue', 'svc.test', '--ca', '{tmp}/ecdsa/ca', '--both', '--dns', 'svc.test', '--ip', '127.0.0.2', '--uri', 'spiffe://dial.test/svc', '--email', 'ops@dial.test', '--out', '{tmp}/leaf'],
  ['tls', 'inspect', '{tmp}/leaf/svc.test-fullchain.pem'],
  ['tls', 'verify', '{tmp}/leaf/svc.test.pem', '--ca', '{tmp}/ecdsa/ca/ca.pem', '--host', 'svc.test'],
];

/**
 * In fast.cjs, an import of an island's package from dial's code becomes
 * `requireVendored(island)` (one shared loader, src/util/vendor.ts), or the
 * package from node_modules when the island file is missing.
 */
function islands(vendorJs) {
  return {
    name: 'dial-vendor-islands',
    setup(b) {
      b.onResolve({filter: /^[^./]/}, (args) => {
        const island = ISLAND_OF[args.path];
        if (!island || args.namespace === 'dial-island' || args.importer.includes('/node_modules/')) return undefined;
        return {path: args.path, namespace: 'dial-island', pluginData: {island}};
      });
      b.onLoad({filter: /.*/, namespace: 'dial-island'}, (args) => ({
        // `load` is not esbuild's `require`, so the fallback stays a runtime require of node_modules.
        contents: `const {requireVendored} = require(${JSON.stringify(vendorJs)});\nconst load = require;\nmodule.exports = requireVendored(${JSON.stringify(args.pluginData.island)}) ?? load(${JSON.stringify(args.path)});\n`,
        resolveDir: join(vendorJs, '..'),
        loader: 'js',
      }));
    },
  };
}

/**
 * The broker client libraries of dial sub (src/broker/clients): required from
 * node_modules when their scheme is used, not bundled (every fast command
 * would compile a file with all four in it). Not esbuild externals: their
 * `await import(...)` would stay a dynamic import, which a vm.Script cannot do.
 */
const BROKER_LIBRARIES = /^(kafkajs|amqplib|mqtt|@nats-io\/[^/]+)$/;

function fromNodeModules(filter) {
  return {
    name: 'dial-from-node-modules',
    setup(b) {
      b.onResolve({filter}, (args) => (args.importer.includes('/node_modules/') ? undefined : {path: args.path, namespace: 'dial-node-modules'}));
      // `load` is not esbuild's `require`, so it stays a runtime require of node_modules.
      b.onLoad({filter: /.*/, namespace: 'dial-node-modules'}, (args) => ({contents: `const load = require;\nmodule.exports = load(${JSON.stringify(args.path)});\n`, loader: 'js'}));
    },
  };
}

/**
 * In the fast-path files, chalk's colour detection (its `#supports-color`
 * import) is src/cli/no-color-detection.ts: dial gives every Chalk its level
 * (src/cli/output.ts), so detecting one at import is work no command uses.
 */
function noColorDetection(dist) {
  return {
    name: 'dial-no-color-detection',
    setup(b) {
      b.onResolve({filter: /^#supports-color$/}, (args) => (args.importer.includes('/node_modules/chalk/') ? {path: join(dist, 'src', 'cli', 'no-color-detection.js')} : undefined));
    },
  };
}

/**
 * asn1.cjs is loaded by every `tls init` (src/tls/asn1.ts), so it carries no
 * more than the certificate builder runs:
 * - CommonJS packages in their CommonJS form: without `conditions: []`
 *   esbuild applies the "module" condition, which picks tslib's ES module copy
 *   and wraps it in an ES-to-CommonJS shim.
 * - @peculiar/asn1-schema names two helpers of @peculiar/utils, both from its
 *   `bytes` part: the package's index also loads its PEM, encoding,
 *   converter and legacy modules. The build checks every name asn1-schema
 *   takes from @peculiar/utils against what `bytes` exports, and leaves the
 *   index in place (with a warning) when one is missing.
 */
function asn1Trim(root) {
  const load = createRequire(join(root, 'package.json'));
  const schemaDir = dirname(load.resolve('@peculiar/asn1-schema'));
  const used = new Set();
  for (const f of readdirSync(schemaDir, {recursive: true}).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(join(schemaDir, f), 'utf8').matchAll(/\butils_1\.([A-Za-z_$][\w$]*)/g)) used.add(m[1]);
  }
  const schemaLoad = createRequire(join(schemaDir, 'index.js'));
  const bytes = schemaLoad('@peculiar/utils/bytes');
  const whole = schemaLoad('@peculiar/utils');
  const missing = [...used].filter((n) => typeof bytes[n] !== 'function' || bytes[n] !== whole[n]);
  if (used.size === 0 || missing.length) process.stderr.write(`dial build: warning: asn1.cjs keeps all of @peculiar/utils (asn1-schema uses ${missing.join(', ') || 'no helper this build recognizes'} beyond @peculiar/utils/bytes)\n`);
  const bytesOnly = used.size > 0 && missing.length === 0;
  return {
    conditions: [],
    plugins: bytesOnly ? [{
      name: 'dial-asn1-utils-bytes',
      setup(b) {
        b.onResolve({filter: /^@peculiar\/utils$/}, (args) => (args.importer.includes('/@peculiar/asn1-schema/') ? b.resolve('@peculiar/utils/bytes', {kind: args.kind, resolveDir: args.resolveDir}) : undefined));
      },
    }] : [],
  };
}

export async function buildVendor(root) {
  const dist = join(root, 'dist');
  const out = join(dist, 'vendor');
  rmSync(out, {recursive: true, force: true});
  mkdirSync(out, {recursive: true});
  const common = {bundle: true, format: 'cjs', platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning'};
  // As in the ESM bundles (scripts/bundle.mjs): code that names the global Headers gets dial's class, and
  // undici's cookie helpers, which read globalThis.Headers when they load, undici's own; never node's lazy
  // global, whose first use loads node's whole fetch stack.
  const headers = {inject: [join(dist, 'src', 'util', 'headers.js')], define: {'globalThis.Headers': 'Headers'}};
  for (const [name, contents] of Object.entries(LIBRARIES)) {
    await build({
      ...common, ...(name === 'pki' ? {} : headers), ...(name === 'asn1' ? asn1Trim(root) : {}),
      stdin: {contents, resolveDir: root, sourcefile: `vendor-${name}.cjs`, loader: 'js'}, outfile: join(out, `${name}.cjs`),
    });
  }
  const vendorJs = join(dist, 'src', 'util', 'vendor.js');
  // One file per entry of FAST_FILES (src/cli/fast.ts), each from its entry function alone: tree
  // shaking leaves out the other files' commands, so `tls init` reads none of the RPC code.
  const fastJs = join(dist, 'src', 'cli', 'fast.js');
  const {FAST_FILES} = await import(pathToFileURL(fastJs).href);
  for (const [file, {entry}] of Object.entries(FAST_FILES)) {
    await build({
      ...common,
      stdin: {contents: `export {${entry} as runFast} from ${JSON.stringify(fastJs)};\n`, resolveDir: root, sourcefile: `vendor-${file}.mjs`, loader: 'js'},
      outfile: join(out, `${file}.cjs`),
      // The PKI libraries come from pki.cjs (src/tls/x509.ts), or from node_modules without it.
      external: [...EXTERNAL, '@peculiar/*', 'reflect-metadata'],
      plugins: [islands(vendorJs), noColorDetection(dist), fromNodeModules(BROKER_LIBRARIES)],
      inject: headers.inject,
      define: {...headers.define, 'import.meta.url': '__dialFileUrl'},
      banner: {js: "var __dialFileUrl = require('node:url').pathToFileURL(__filename).href;"},
    });
  }
  // The loader itself, for bin/run.js (CommonJS: an ES module would bring in Node's ESM loader).
  await build({...common, entryPoints: [vendorJs], outfile: join(out, 'loader.cjs'), define: {'import.meta.url': '__dialFileUrl'}, banner: {js: "var __dialFileUrl = require('node:url').pathToFileURL(__filename).href;"}});
  await recordCaches(root, Object.keys(LIBRARIES).concat(Object.keys(FAST_FILES)));
  writeFileSync(join(out, 'README'), 'Built by scripts/vendor.mjs: the fast path and heavy libraries as CommonJS files, with their V8 code caches (see src/util/vendor.ts).\n');
}

/** Runs TRAINING against a one-instance cluster in a temporary DIAL_HOME, recording the caches. */
async function recordCaches(root, names) {
  const tmp = mkdtempSync(join(tmpdir(), 'dial-vendor-'));
  const bin = join(root, 'bin', 'run.js');
  const env = {...process.env, DIAL_HOME: join(tmp, 'home'), NO_COLOR: '1', CI: 'true'};
  delete env.NODE_OPTIONS; // flags change V8's flag hash, and a cache made under other flags is rejected
  delete env.DIAL_FAST_PATH;
  let up;
  try {
    up = JSON.parse(execFileSync(process.execPath, [bin, 'cluster', 'up', '--port', '0', '--instances', '1', '--demos', 'grpc', '--json'], {env, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']}).toString());
  } catch (e) {
    process.stderr.write(`dial build: warning: no cluster to record the call path's code cache against (${e.message.split('\n')[0]}); only the TLS part is recorded\n`);
  }
  const grpc = up?.instances.find((i) => i.id.startsWith('greeter-grpc'));
  try {
    for (const args of TRAINING) {
      if (!grpc && (args[0] !== 'tls')) continue;
      const argv = args.map((a) => a.replace('{tmp}', tmp).replace('{grpc}', grpc ? `127.0.0.1:${grpc.port}` : '').replace('{kafka}', up?.kafka?.bootstrap ?? ''));
      const r = spawnSync(process.execPath, [bin, ...argv], {env: {...env, DIAL_CODE_CACHE_WRITE: '1'}, encoding: 'utf8', timeout: 60_000});
      if (r.status !== 0) {
        process.stderr.write(`dial build: warning: recording the code cache failed at 'dial ${args.join(' ')}' (exit ${r.status}: ${(r.stderr || r.stdout || r.error?.message || '').trim()}); dial still works, only it starts slower\n`);
        for (const name of names) rmSync(join(root, 'dist', 'vendor', `${name}.cjs.cache`), {force: true});
        break;
      }
    }
  } finally {
    if (up) spawnSync(process.execPath, [bin, 'cluster', 'down'], {env, timeout: 60_000});
    rmSync(tmp, {recursive: true, force: true});
  }
}
