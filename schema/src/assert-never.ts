/**
 * The last branch of an exhaustive `switch`: the compiler refuses a call that a new enum
 * member could reach, and a value that slips past the types (bad data) fails loudly.
 */
export function assertNever(x: never): never {
  throw new Error(`unreachable case: ${JSON.stringify(x)}`);
}
