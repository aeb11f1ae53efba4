import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checkArgvIntent} from '../../src/metrics/check-cli.js';
import {evaluateCheck, NAGIOS_EXIT, zabbixValue, type CheckMeasurement} from '../../src/metrics/check.js';

const base: CheckMeasurement = {service: 'greeter', healthy: 3, total: 3, unscraped: [], windowMs: 1000,
  stats: {rps: 50, errorRate: 0.002, p50Ms: 1, p99Ms: 12, inFlight: 0, requests: 50, errors: 0}};

describe('dial check: states, exit codes and perfdata (Nagios plugin convention)', () => {
  it('OK exits 0 with one status line and perfdata', () => {
    const r = evaluateCheck(base, {minHealthy: 2, maxP99Ms: 250, maxErrorRate: 0.01});
    assert.equal(r.state, 'OK');
    assert.equal(r.exitCode, 0);
    assert.match(r.line, /^DIAL OK - greeter: 3\/3 healthy, 50\.0 req\/s, error rate 0\.20%, p99 12\.0ms \| /);
    assert.match(r.perfdata, /^healthy=3;;2:;0;3 rps=50\.00;;;0; error_rate=0\.0020;;0\.01;0;1 p99=12\.00ms;;250;0;$/);
    assert.equal(r.line.split('\n').length, 1);
  });
  it('WARNING (1) when an instance is not passing or a --warn threshold is exceeded', () => {
    assert.equal(evaluateCheck({...base, healthy: 2}, {minHealthy: 2}).exitCode, NAGIOS_EXIT.WARNING);
    const r = evaluateCheck(base, {minHealthy: 1, warnP99Ms: 10, maxP99Ms: 100});
    assert.equal(r.state, 'WARNING');
    assert.match(r.line, /p99 12\.0ms > 10ms/);
  });
  it('CRITICAL (2) below --min-healthy, above --max-p99 or --max-error-rate, or with no instance', () => {
    assert.equal(evaluateCheck({...base, healthy: 1}, {minHealthy: 2}).exitCode, 2);
    assert.equal(evaluateCheck(base, {minHealthy: 1, maxP99Ms: 5}).exitCode, 2);
    const r = evaluateCheck({...base, stats: {...base.stats!, errorRate: 0.2}}, {minHealthy: 1, maxErrorRate: 0.05, warnP99Ms: 1});
    assert.equal(r.state, 'CRITICAL');
    assert.match(r.line, /error rate 20\.00% > 5\.00%; p99 12\.0ms > 1ms/);
    assert.equal(evaluateCheck({...base, healthy: 0, total: 0}, {minHealthy: 0}).state, 'CRITICAL');
  });
  it('no traffic in the window is not an error, and zabbix items are single numbers', () => {
    const idle = evaluateCheck({...base, stats: {rps: 0, errorRate: 0, inFlight: 0, requests: 0, errors: 0}}, {minHealthy: 1, maxP99Ms: 1, maxErrorRate: 0});
    assert.equal(idle.state, 'OK');
    assert.match(idle.line, /p99 n\/a/);
    const crit = evaluateCheck({...base, healthy: 0}, {minHealthy: 1});
    assert.equal(zabbixValue(crit, 'state'), '2');
    assert.equal(zabbixValue(crit, 'healthy'), '0');
    assert.equal(zabbixValue(crit, 'p99_ms'), '12.000');
  });
  it('reads the service and --format from a command line that failed to parse, skipping flag values', () => {
    const flags = {'max-p99': {type: 'option'}, format: {type: 'option'}, json: {type: 'boolean'}, window: {type: 'option', char: 'w'}};
    assert.deepEqual(checkArgvIntent(['--max-p99', 'abc', 'greeter'], flags), {service: 'greeter', format: 'nagios'});
    assert.deepEqual(checkArgvIntent(['greeter', '--format=zabbix', '--max-p99', 'abc'], flags), {service: 'greeter', format: 'zabbix'});
    assert.deepEqual(checkArgvIntent(['--json', '-w', '2s', '--format', 'json', 'svc'], flags), {service: 'svc', format: 'json'});
    assert.deepEqual(checkArgvIntent(['--max-p99=5', '--', 'x'], flags), {service: 'x', format: 'nagios'});
  });
});

