import type { SpillFile } from '../common/spill-file.ts';
import type { StripeObject } from './store-collections.ts';

/** The key of the stand-in for an object whose record is in the file already: no Stripe object has it. */
const recordKey = 'fakepsp:record';

/** Where this very version of an object was spilled, if it was. */
export type SpilledAt = (object: StripeObject) => number | undefined;

interface WithData {
  readonly data?: { readonly object?: unknown };
}

function isStripeObject(value: unknown): value is StripeObject {
  return typeof value === 'object' && value !== null && typeof (value as StripeObject).id === 'string';
}

/**
 * The text an object is spilled as. An event carries the object it was made with, which the same
 * commit spilled a moment before: the event's record points at that record instead of repeating
 * it (a created customer's event is then 400 bytes, not 1,100).
 */
export function spilledText(object: StripeObject, spilledAt: SpilledAt): string {
  const data = (object as WithData).data;
  const inner = data?.object;
  const at = isStripeObject(inner) ? spilledAt(inner) : undefined;
  if (at === undefined) return JSON.stringify(object);
  return JSON.stringify({ ...object, data: { ...data, object: { [recordKey]: at } } });
}

/** The object a spilled text holds, with the record it points at (if any) read back in place. */
export function spilledObject(text: string, file: SpillFile): StripeObject {
  const object = JSON.parse(text) as StripeObject & { data?: { object?: Record<string, unknown> } };
  const at = object.data?.object?.[recordKey];
  if (typeof at === 'number') object.data!.object = JSON.parse(file.read(at).text) as Record<string, unknown>;
  return object;
}
