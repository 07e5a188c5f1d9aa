// How many objects' texts are kept: the answer to a request is written in its own commit, a few
// objects before the next request's.
const slots = 8;
const values: Array<object | undefined> = new Array<object | undefined>(slots);
const texts: string[] = new Array<string>(slots).fill('');
const indents: Array<number | undefined> = new Array<number | undefined>(slots).fill(-1);
let next = 0;

/**
 * JSON of `value` indented by `indent`, as an answer is written, remembered for a moment: the
 * answer to a request that makes or changes an object is that object, and a spilling store has
 * just written it in these very bytes (Stripe's spill writes its objects indented, so the answer
 * is not serialised twice). Objects are matched by identity; stored objects never change in place.
 */
export function answerText(value: object, indent: number): string {
  const text = JSON.stringify(value, null, indent);
  values[next] = value;
  texts[next] = text;
  indents[next] = indent;
  next = (next + 1) % slots;
  return text;
}

/** The answer's bytes: the text {@link answerText} just made for it, or made now. */
export function renderedAnswer(value: unknown, indent: number | undefined): string {
  if (typeof value === 'object' && value !== null) {
    for (let slot = 0; slot < slots; slot++)
      if (values[slot] === value && indents[slot] === indent) return texts[slot]!;
  }
  return JSON.stringify(value, null, indent);
}
