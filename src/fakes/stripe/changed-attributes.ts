/** The top-level attributes that changed, with their old values: an event's `previous_attributes`. */
export function changedAttributes<T extends object>(before: T, after: T): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(before)) {
    if (JSON.stringify(value) !== JSON.stringify((after as Record<string, unknown>)[name]))
      previous[name] = value;
  }
  return previous;
}
