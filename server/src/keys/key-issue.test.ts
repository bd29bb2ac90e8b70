import { ErrorCode } from '@latchkey/schema';
import { assertCustomKeyAcceptable } from './key-issue';

const refusal = (value: string) => {
  try {
    assertCustomKeyAcceptable(value, ['input', 'customKey']);
    return null;
  } catch (e) {
    return e as { code: string; message: string; details?: { fields?: { path: (string | number)[]; message: string }[] } };
  }
};

describe('a custom key value', () => {
  const strong = 'Zq8xN3vK1mB7tR2wY5pL9cH4dF6gJ0sA';

  it('is accepted when strong and not shaped like a Latchkey credential', () => {
    expect(refusal(strong)).toBeNull();
  });

  it('is refused when it starts with lks_: /graphql would read it as a session token and never authenticate it', () => {
    const e = refusal(`lks_${strong}`);
    expect(e?.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(e?.message).toBe('customKey must not start with lks_, the prefix of Latchkey session tokens');
    expect(e?.details?.fields).toEqual([{ path: ['input', 'customKey'], message: 'must not start with lks_, the prefix of Latchkey session tokens' }]);
  });
});
