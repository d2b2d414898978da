import assert from 'node:assert/strict';
import test from 'node:test';
import { isLoopbackHost, parseListen } from '../../src/runtime/listen.js';

test('mi.listen parses host:port and [ipv6]:port, and names the key when it cannot', () => {
  assert.deepEqual(parseListen('127.0.0.1:8888'), { host: '127.0.0.1', port: 8888 });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListen('localhost:9'), { host: 'localhost', port: 9 });
  for (const bad of ['8888', '127.0.0.1', '127.0.0.1:99999', '::1:8888', 'host:port']) {
    assert.throws(() => parseListen(bad), (error: Error & { code?: string }) => error.code === 'HERALD_ERR_CONFIG' && /mi\.listen/.test(error.message), bad);
  }
});

test('only literal loopback addresses count as loopback; everything else is exposed', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org', 'localhost.example.org', '::ffff:10.0.0.1']) assert.equal(isLoopbackHost(host), false, host);
});
