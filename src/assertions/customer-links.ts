import type { PspName } from '../fakes/common/psp-core.ts';
import type { PspRecords } from './psp-records.ts';

/** A PSP customer the billing service said stands for one of its customers (`createCustomer`'s answer). */
export interface CustomerLink {
  readonly psp: PspName;
  readonly pspCustomerId: string;
  readonly customerId: string;
}

/**
 * The records with the service's own customer mapping applied: what it answered wins over a
 * metadata tag or Adyen's shopperReference convention, because it is what the service meant.
 *
 * @example
 * linkCustomers(stripeRecords(dump), [{ psp: 'stripe', pspCustomerId: 'cus_1', customerId: 'c_1' }]);
 */
export function linkCustomers(records: PspRecords, links: readonly CustomerLink[]): PspRecords {
  const mine = new Map(
    links.filter((link) => link.psp === records.psp).map((link) => [link.pspCustomerId, link.customerId]),
  );
  if (mine.size === 0) return records;
  const relink = <T extends { readonly pspCustomerId: string | null; readonly customerId: string | null }>(
    entry: T,
  ): T => {
    const linked = entry.pspCustomerId === null ? undefined : mine.get(entry.pspCustomerId);
    return linked === undefined || linked === entry.customerId ? entry : { ...entry, customerId: linked };
  };
  const known = new Set(records.customers.map((customer) => customer.pspCustomerId));
  const missing = [...mine]
    .filter(([pspCustomerId]) => !known.has(pspCustomerId))
    .map(([pspCustomerId, customerId]) => ({ psp: records.psp, pspCustomerId, customerId }));
  return {
    psp: records.psp,
    movements: records.movements.map(relink),
    objects: records.objects.map(relink),
    customers: [...records.customers.map(relink), ...missing],
  };
}
