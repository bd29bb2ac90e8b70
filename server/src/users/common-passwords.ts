/**
 * The most common passwords and password stems from public breach corpora (the usual
 * top-100 lists), lower-case. A password is refused when what remains after removing
 * these, keyboard walks, sequences and repeats is too short (see password.ts).
 */
export const COMMON_PASSWORDS: readonly string[] = [
  'password', 'passw0rd', 'p@ssword', 'qwerty', 'qwertyuiop', 'asdfgh', 'zxcvbn', 'letmein', 'welcome',
  'admin', 'administrator', 'root', 'login', 'master', 'dragon', 'monkey', 'football', 'baseball',
  'soccer', 'hockey', 'basketball', 'iloveyou', 'princess', 'sunshine', 'shadow', 'superman',
  'batman', 'trustno1', 'starwars', 'whatever', 'freedom', 'michael', 'jennifer', 'jordan', 'hunter',
  'ranger', 'buster', 'thomas', 'robert', 'charlie', 'daniel', 'jessica', 'ashley', 'bailey',
  'access', 'secret', 'changeme', 'default', 'computer', 'internet', 'cheese', 'summer', 'winter',
  'spring', 'autumn', 'flower', 'hello', 'mustang', 'harley', 'killer', 'pepper', 'ginger', 'maggie',
  'cookie', 'chocolate', 'michelle', 'tigger', 'orange', 'banana', 'purple', 'matrix', 'pokemon',
  'naruto', 'liverpool', 'chelsea', 'arsenal', 'samsung', 'google', 'apple', 'microsoft', 'letmein',
  'loveme', 'lovely', 'qazwsx', 'zaq12wsx', 'abc123', 'iloveu', 'azerty', 'passwort', 'motdepasse',
  'contrasena', 'senha', 'latchkey', 'apikey', 'token', 'test', 'testing', 'guest', 'user', 'demo',
];

/** Keyboard rows and alphabets whose runs are as guessable as a dictionary word. */
export const SEQUENCES: readonly string[] = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qazwsxedcrfvtgbyhnujmikolp',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'azertyuiop',
  'qwertzuiop',
];
