/**
 * Freezes a value and everything it holds, stopping at what is frozen already. A fake's state
 * is immutable by rule (a change puts a new object), so an event can keep the object it was
 * emitted with instead of a copy, and a handler that edited state in place would throw at once.
 * Cheap on updates: `{ ...existing, status }` shares its frozen children, so only the new top
 * level is walked.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
