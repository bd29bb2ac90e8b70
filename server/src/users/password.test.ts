import { generatePassword, hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './password';

describe('password rules', () => {
  it.each([
    'correct horse battery staple 42',
    'Tr0ub4dor&3-glacier-velvet',
    'mY fAvourite b1cycle is blue',
    'zq8#Lp2!vN6@xT4w',
  ])('accepts %j', (p) => {
    expect(passwordProblem(p, 'someone@example.test')).toBeNull();
  });

  it.each([
    ['short1!A', /at least 12/],
    ['password1234', /easy to guess/],
    ['P@ssw0rd2024!', /easy to guess/],
    ['Qwertyuiop123', /easy to guess/],
    ['123456789012', /easy to guess/],
    ['abcdefghijklmn', /easy to guess/],
    ['aaaaaaaaaaaaaaaa', /different characters/],
    ['ababababababab', /different characters/],
    ['iloveyou-iloveyou', /easy to guess/],
    ['letmein!letmein!', /easy to guess/],
    ['welcome-admin-2024', /easy to guess/],
    ['jane.doe.rocks.1987', /email address/],
  ])('refuses %j', (p, why) => {
    expect(passwordProblem(p, 'jane.doe@example.test')).toMatch(why);
  });

  it('refuses passwords longer than 256 characters (argon2 work is bounded)', () => {
    expect(passwordProblem('x9!'.repeat(100))).toMatch(/at most 256/);
  });

  it('generated passwords always pass', () => {
    for (let i = 0; i < 200; i++) expect(passwordProblem(generatePassword(), 'admin@latchkey.local')).toBeNull();
  });
});

describe('argon2id hashing', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('correct horse battery staple 42');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery staple 42')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery staple 43')).toBe(false);
  });

  it('never throws on a malformed hash', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('the dummy verification always fails', async () => {
    expect(await verifyAgainstDummy('anything at all')).toBe(false);
  });
});
