import { isCrossSite, isSameOriginScript, SCRIPT_HEADER } from './csrf';

const h = (init: Record<string, string>) => new Headers(init);

describe('cross-site guard', () => {
  it('trusts fetch metadata when the browser sends it', () => {
    expect(isCrossSite(h({ 'sec-fetch-site': 'same-origin' }))).toBe(false);
    expect(isCrossSite(h({ 'sec-fetch-site': 'none' }))).toBe(false);
    expect(isCrossSite(h({ 'sec-fetch-site': 'cross-site', origin: 'https://console.example', host: 'console.example' }))).toBe(true);
    expect(isCrossSite(h({ 'sec-fetch-site': 'same-site' }))).toBe(true);
  });

  it('without fetch metadata, compares Origin with the host the request reached', () => {
    expect(isCrossSite(h({ origin: 'https://console.example', host: 'console.example' }))).toBe(false);
    expect(isCrossSite(h({ origin: 'https://evil.example', host: 'console.example' }))).toBe(true);
    expect(isCrossSite(h({ origin: 'https://console.example', host: 'internal:3000', 'x-forwarded-host': 'console.example' }))).toBe(false);
    expect(isCrossSite(h({ origin: 'https://console.example' }))).toBe(true);
    // No-referrer pages send Origin: null even for same-origin posts.
    expect(isCrossSite(h({ origin: 'null', host: 'console.example' }))).toBe(false);
    expect(isCrossSite(h({}))).toBe(false);
  });

  it('counts only a console page’s own script as same-origin script', () => {
    expect(isSameOriginScript(h({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }))).toBe(true);
    expect(isSameOriginScript(h({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' }))).toBe(false);
    expect(isSameOriginScript(h({ 'sec-fetch-site': 'cross-site', [SCRIPT_HEADER]: '1' }))).toBe(false);
    expect(isSameOriginScript(h({ [SCRIPT_HEADER]: '1', origin: 'http://console.example', host: 'console.example' }))).toBe(true);
    expect(isSameOriginScript(h({ origin: 'http://console.example', host: 'console.example' }))).toBe(false);
  });
});
