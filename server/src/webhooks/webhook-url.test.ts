import { checkWebhookUrl, parseWebhookUrl, WebhookUrlRefused, type Resolver } from './webhook-url';

const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const check = (url: string, resolve: Resolver = resolvesTo('93.184.216.34'), allowLoopback = false) =>
  checkWebhookUrl(url, { allowLoopback, resolve });

describe('webhook URL check', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[fd00:ec2::254]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
  ])('refuses %s', async (url) => {
    await expect(check(url)).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('refuses a host name that resolves to a private address, even if only one answer is private', async () => {
    await expect(check('https://hooks.example.com/x', resolvesTo('93.184.216.34', '10.1.2.3'))).rejects.toThrow(/10\.1\.2\.3 is a private address/);
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(check('https://nowhere.example/', failing)).rejects.toThrow(/does not resolve/);
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'https://user:pw@example.com/', 'not a url', ''])('refuses %j', async (url) => {
    await expect(check(url)).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('accepts a public https URL and returns it normalized', async () => {
    await expect(check('HTTPS://Hooks.Example.COM:443/in?x=1')).resolves.toBe('https://hooks.example.com/in?x=1');
  });

  it('with the loopback switch accepts 127.0.0.1 and localhost but still refuses private ranges', async () => {
    await expect(check('http://127.0.0.1:9999/', undefined, true)).resolves.toBe('http://127.0.0.1:9999/');
    await expect(check('http://localhost:9999/', resolvesTo('127.0.0.1'), true)).resolves.toBe('http://localhost:9999/');
    await expect(check('http://10.0.0.1/', undefined, true)).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('canonicalizes integer IPv4 spellings before checking', () => {
    expect(parseWebhookUrl('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(parseWebhookUrl('http://0177.0.0.1/').hostname).toBe('127.0.0.1');
  });
});
