/**
 * Freezes a value and everything it holds, stopping at what is frozen already. A fake's state
 * is immutable by rule (a change puts a new object), so an event can keep the object it was
 * emitted with instead of a copy, and a handler that edited state in place would throw at once.
 * Cheap on updates: `{ ...existing, status }` shares its frozen children, so only the new top
 * level is walked.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) freezeTree(value);
  return value;
}

// Every stored object passes here: members are looked at in place, no array of them is made.
function freezeTree(value: object): void {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) deepFreeze(item);
    return;
  }
  const members = value as Record<string, unknown>;
  for (const key in members) {
    const member = members[key];
    if (typeof member === 'object' && member !== null && !Object.isFrozen(member)) freezeTree(member);
  }
}
