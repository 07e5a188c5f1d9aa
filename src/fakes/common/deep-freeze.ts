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

/**
 * How a fake keeps its state immutable: {@link deepFreeze}, or {@link trustHandlers} (the same
 * objects, left as they are). Chosen once per fake, by its `freezeState` option.
 */
export type Freeze = <T>(value: T) => T;

/**
 * Leaves a value as it is: a `serve` trusts the handlers not to edit state in place (the tests and
 * scenario runs freeze, and would throw if one did). V8's `JSON.stringify` takes a slower path
 * through frozen arrays, and a `serve` writes each stored object at least twice (its spill record
 * and an answer): freezing cost a confirmed payment 7–20 µs of its ~90 µs of CPU.
 */
export const trustHandlers: Freeze = (value) => value;

/** {@link deepFreeze} when `freezeState` (the default everywhere but `serve`), else {@link trustHandlers}. */
export function freezeFor(freezeState: boolean | undefined): Freeze {
  return freezeState === false ? trustHandlers : deepFreeze;
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
