import { isScopeSegment, parseScope } from './scope-syntax';

describe('parseScope', () => {
  it.each([
    ['keys:read', { resource: 'keys', action: 'read' }],
    ['keys:read:key_123', { resource: 'keys', action: 'read', resourceId: 'key_123' }],
    ['*:*', { resource: '*', action: '*' }],
    ['applications:deploy:*', { resource: 'applications', action: 'deploy', resourceId: '*' }],
    ['third_party-api:read', { resource: 'third_party-api', action: 'read' }],
  ])('parses %s', (s, expected) => {
    expect(parseScope(s)).toEqual(expected);
  });

  const malformed = ['', 'keys', 'keys:', ':read', 'keys:read:a:b', 'Keys:read', 'keys:READ', 'ke ys:read', '1keys:read', 'keys:read:', 'keys:read:a b', 'k*:read'];
  it.each([...malformed, `${'a'.repeat(64)}:read`, `keys:read:${'x'.repeat(129)}`])(
    'refuses %j',
    (s) => {
      expect(parseScope(s)).toBeNull();
    },
  );

  it('refuses non-strings without throwing', () => {
    expect(parseScope({ $ne: null } as unknown as string)).toBeNull();
    expect(parseScope(undefined as unknown as string)).toBeNull();
  });
});

describe('isScopeSegment', () => {
  it('accepts lower-case names and the wildcard, nothing else', () => {
    for (const s of ['keys', 'third_party-api', '*', 'a1']) expect(isScopeSegment(s)).toBe(true);
    for (const s of ['', 'Keys', '1keys', 'k*', 'ke ys', 'a'.repeat(64)]) expect(isScopeSegment(s)).toBe(false);
  });
});
