/** Whether granted scopes cover `resource:action` (wildcards on either part, as the API treats them). */
export function holds(granted: readonly string[], required: string): boolean {
  const [resource, action] = required.split(':');
  return granted.some((g) => {
    const [r, a, id] = g.split(':');
    if (id !== undefined) return false;
    return (r === '*' || r === resource) && (a === '*' || a === action);
  });
}
