/** The id of the customer an object (invoice, subscription, schedule…) belongs to, expanded or not. */
export function customerOf(owner: { customer: string | { id: string } | null }): string {
  return typeof owner.customer === 'string' ? owner.customer : (owner.customer?.id ?? '');
}
