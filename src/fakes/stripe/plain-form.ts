/** Decoded request parameters: strings, arrays and nested objects, as Stripe's form encoding gives. */
export type Params = Record<string, unknown>;

// Percent-encoded brackets: qs turns them into brackets in the whole text first, values too.
const encodedBracket = /%5[BD]/i;
// A bracketed key the fast path reads: a name, then up to three `[word]`, `[index]` or `[]`.
const segmentsMax = 3;
const word = /^[A-Za-z_][\w.-]*$/;
// Array indexes the fast path builds (qs makes arrays up to its limit, far above this).
const index = /^(?:0|[1-9]\d?)$/;
// `[]` appends this many items at most before the fast path hands over to qs.
const appendedMax = 100;

/**
 * What most forms are — flat (`email=…&name=…`) or plainly nested as the SDKs write them
 * (`metadata[plan]=pro`, `expand[]=customer`, `items[0][price]=…`) — decoded here exactly as qs
 * decodes them, without its general machinery (qs takes ~6 µs for a form with one bracket).
 * Undefined (qs's turn) for anything else: encoded brackets or escapes in a bracketed key, a
 * repeated key, a name or segment that is an `Object.prototype` member, array indexes out of
 * order, one name used two ways, more parameters than `parameterLimit`.
 */
export function plainForm(text: string, parameterLimit: number): Params | undefined {
  if (encodedBracket.test(text)) return undefined;
  const parts = text.split('&');
  if (parts.length > parameterLimit) return undefined;
  const params: Params = {};
  let appended: Set<unknown[]> | undefined;
  for (const part of parts) {
    // qs splits at the first `]=` when there is one, else at the first `=`.
    const bracketEquals = part.indexOf(']=');
    const at = bracketEquals === -1 ? part.indexOf('=') : bracketEquals + 1;
    const rawKey = at < 0 ? part : part.slice(0, at);
    const value = at < 0 ? '' : formDecoded(part.slice(at + 1));
    const open = firstBracket(rawKey);
    if (open < 0) {
      const key = formDecoded(rawKey);
      if (key === '') continue;
      if (Object.hasOwn(params, key) || Object.hasOwn(Object.prototype, key)) return undefined;
      params[key] = value;
    } else if (!setNested(params, rawKey, open, value, (appended ??= new Set()))) return undefined;
  }
  return params;
}

/** Where a key's brackets begin; a stray `]` counts too, so such a key is never read as flat. */
function firstBracket(key: string): number {
  const open = key.indexOf('[');
  const close = key.indexOf(']');
  return open < 0 || (close >= 0 && close < open) ? close : open;
}

/** `+` as a space, then percent-decoding; a malformed escape leaves the text as it is (as qs does). */
function formDecoded(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The segments of `name[a][0][]` after the name (`['a', '0', '']`), or undefined if not plain. */
function segmentsOf(key: string, open: number): string[] | undefined {
  const segments: string[] = [];
  for (let at = open; at < key.length;) {
    const close = key.indexOf(']', at);
    if (key[at] !== '[' || close < 0 || segments.length === segmentsMax) return undefined;
    const segment = key.slice(at + 1, close);
    if (segment !== '' && !index.test(segment) && !(word.test(segment) && !isPrototypeName(segment)))
      return undefined;
    segments.push(segment);
    at = close + 1;
  }
  // `a[][b]` repeated is one key to qs, its values combined under `b`: only a last `[]` is plain.
  return segments.slice(0, -1).includes('') ? undefined : segments;
}

const isPrototypeName = (name: string) => Object.hasOwn(Object.prototype, name);

/** Puts `value` at `name[…]…` in `params`, as qs's merge would; false where qs must decide. */
function setNested(
  params: Params,
  key: string,
  open: number,
  value: string,
  appended: Set<unknown[]>,
): boolean {
  const name = key.slice(0, open);
  if (key.includes('%') || key.includes('+') || !word.test(name) || isPrototypeName(name)) return false;
  const segments = segmentsOf(key, open);
  if (segments === undefined) return false;
  let holder: Params | unknown[] = params;
  let slot: string | number = name;
  for (const segment of segments) {
    // What the next segment says the current slot holds: an object, an indexed or an appended array.
    const kind = segment === '' ? 'appended' : index.test(segment) ? 'indexed' : 'object';
    const container = containerAt(holder, slot, kind, appended);
    if (container === undefined) return false;
    holder = container;
    slot =
      kind === 'object' ? segment : kind === 'indexed' ? Number(segment) : (container as unknown[]).length;
  }
  if (Array.isArray(holder)) {
    // An index past the end or already taken, or too many appended items: qs's rules differ there.
    if (slot !== holder.length || holder.length >= appendedMax) return false;
    holder.push(value);
    return true;
  }
  if (Object.hasOwn(holder, slot)) return false;
  holder[slot as string] = value;
  return true;
}

/** The container of `kind` at `holder[slot]`, made if the slot is free; undefined on a clash. */
function containerAt(
  holder: Params | unknown[],
  slot: string | number,
  kind: 'object' | 'indexed' | 'appended',
  appended: Set<unknown[]>,
): Params | unknown[] | undefined {
  const existing = Array.isArray(holder)
    ? (holder[slot as number] as unknown)
    : Object.hasOwn(holder, slot)
      ? holder[slot as string]
      : undefined;
  if (existing === undefined) {
    if (Array.isArray(holder) && slot !== holder.length) return undefined;
    const made: Params | unknown[] = kind === 'object' ? {} : [];
    if (kind === 'appended') appended.add(made as unknown[]);
    if (Array.isArray(holder)) holder.push(made);
    else holder[slot as string] = made;
    return made;
  }
  if (typeof existing !== 'object' || existing === null) return undefined;
  if (kind === 'object') return Array.isArray(existing) ? undefined : (existing as Params);
  if (!Array.isArray(existing) || appended.has(existing) !== (kind === 'appended')) return undefined;
  return existing;
}
