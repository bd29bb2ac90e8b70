import { classifyAddress, refusalFor } from './webhook-ip';

describe('webhook address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::', 'private'],
    ['[::1]', 'loopback'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('the loopback switch opens loopback only, never private or metadata ranges', () => {
    expect(refusalFor('127.0.0.1', true)).toBeNull();
    expect(refusalFor('::1', true)).toBeNull();
    expect(refusalFor('::ffff:127.0.0.1', true)).toBeNull();
    expect(refusalFor('10.0.0.1', true)).toBe('private');
    expect(refusalFor('169.254.169.254', true)).toBe('metadata');
    expect(refusalFor('0.0.0.0', true)).toBe('unspecified');
    expect(refusalFor('127.0.0.1', false)).toBe('loopback');
  });

  it('refuses strings that are not addresses', () => {
    expect(classifyAddress('not-an-ip')).toBe('reserved');
    // Forms inet_aton (and ipaddr.js's own parser) read as 127.0.0.1 are not addresses here.
    for (const odd of ['127.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', '[127.0.0.1]']) expect(classifyAddress(odd)).toBe('reserved');
  });
});
