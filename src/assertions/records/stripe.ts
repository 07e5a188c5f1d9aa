import {
  customerIdMetadataKey,
  defaultObligationMetadataKeys,
  type MoneyMovement,
  type MovementKind,
  type PspCustomerRecord,
  type PspObjectRecord,
  type PspRecords,
} from '../psp-records.ts';

/** A Stripe store dump: `{ [scope: 'platform' | acct_…]: { [objectType]: objects[] } }`. */
export type StripeDump = Readonly<Record<string, Readonly<Record<string, readonly object[]>>>>;

/** Options for {@link stripeRecords}. */
export interface StripeRecordsOptions {
  /** Metadata keys whose values name an obligation (default {@link defaultObligationMetadataKeys}). */
  readonly obligationMetadataKeys?: readonly string[];
}

// The Stripe fields read here, loosely typed: a dump is data, not SDK objects.
type Loose = Record<string, unknown> & { readonly id: string; readonly object: string };

interface EventFacts {
  readonly id: string;
  readonly type: string;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
  readonly object: Loose;
}

interface ScopeIndex {
  readonly scope: string;
  readonly objects: ReadonlyMap<string, Loose>;
  readonly customers: ReadonlyMap<string, string | null>;
  readonly eventsByObject: ReadonlyMap<string, readonly EventFacts[]>;
  readonly invoicesByIntent: ReadonlyMap<string, string[]>;
  readonly sessionsByIntent: ReadonlyMap<string, string[]>;
  readonly metadataKeys: readonly string[];
}

const str = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as Loose).id === 'string') {
    return (value as Loose).id;
  }
  return null;
};
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const metadataOf = (object: Loose): Record<string, unknown> =>
  (object.metadata ?? {}) as Record<string, unknown>;
const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function indexScope(
  scope: string,
  types: Readonly<Record<string, readonly object[]>>,
  keys: readonly string[],
) {
  const objects = new Map<string, Loose>();
  const customers = new Map<string, string | null>();
  const eventsByObject = new Map<string, EventFacts[]>();
  const invoicesByIntent = new Map<string, string[]>();
  const sessionsByIntent = new Map<string, string[]>();
  for (const [type, list] of Object.entries(types)) {
    for (const raw of list) {
      const object = raw as Loose;
      if (type !== 'event') objects.set(object.id, object);
      if (type === 'customer') customers.set(object.id, str(metadataOf(object)[customerIdMetadataKey]));
      if (type === 'invoice_payment') {
        const payment = (object.payment ?? {}) as Record<string, unknown>;
        const intent = str(payment.payment_intent);
        const invoice = str(object.invoice);
        if (intent !== null && invoice !== null && object.status === 'paid')
          pushTo(invoicesByIntent, intent, invoice);
      }
      if (type === 'checkout.session') {
        const intent = str(object.payment_intent);
        if (intent !== null) pushTo(sessionsByIntent, intent, object.id);
      }
      if (type === 'event') {
        const data = (object.data ?? {}) as { object?: Loose };
        const request = (object.request ?? {}) as Record<string, unknown>;
        if (data.object === undefined) continue;
        pushTo(eventsByObject, data.object.id, {
          id: object.id,
          type: String(object.type),
          requestId: str(request.id),
          idempotencyKey: str(request.idempotency_key),
          object: data.object,
        });
      }
    }
  }
  return {
    scope,
    objects,
    customers,
    eventsByObject,
    invoicesByIntent,
    sessionsByIntent,
    metadataKeys: keys,
  };
}

function eventsOf(index: ScopeIndex, objectId: string | null, types: readonly string[]): EventFacts[] {
  if (objectId === null) return [];
  return (index.eventsByObject.get(objectId) ?? []).filter((event) => types.includes(event.type));
}

function createdOf(index: ScopeIndex, transactionId: unknown, fallback: unknown): string {
  const transaction = index.objects.get(str(transactionId) ?? '');
  return isoSeconds(num(transaction?.created ?? fallback));
}

function customerOf(index: ScopeIndex, charge: Loose | undefined) {
  const pspCustomerId = str(charge?.customer);
  const fromCustomer = pspCustomerId === null ? null : (index.customers.get(pspCustomerId) ?? null);
  const fromCharge = charge === undefined ? null : str(metadataOf(charge)[customerIdMetadataKey]);
  return { pspCustomerId, customerId: fromCustomer ?? fromCharge };
}

function obligationKeys(index: ScopeIndex, charge: Loose, events: readonly EventFacts[]): string[] {
  const keys = new Set<string>();
  for (const event of events)
    if (event.idempotencyKey !== null) keys.add(`idempotency:${event.idempotencyKey}`);
  const metadata = metadataOf(charge);
  for (const key of index.metadataKeys) {
    const value = metadata[key];
    if (typeof value === 'string' && value !== '') keys.add(`metadata:${key}=${value}`);
  }
  const intent = str(charge.payment_intent);
  for (const invoice of intent === null ? [] : (index.invoicesByIntent.get(intent) ?? [])) {
    keys.add(`invoice:${invoice}`);
  }
  return [...keys].sort();
}

/** Extras of a movement beyond its kind, object, charge, amount and time. */
interface MovementExtras {
  readonly aliases?: string[];
  readonly obligationKeys?: string[];
  /** The scope the charge lives in, when not the movement's own (a direct charge's fee). */
  readonly chargeIndex?: ScopeIndex;
  readonly destination?: string;
  readonly status?: string;
}

function movement(
  index: ScopeIndex,
  base: { kind: MovementKind; object: Loose; parent: Loose | undefined; amountMinor: number; at: string },
  events: readonly EventFacts[],
  extra: MovementExtras = {},
): MoneyMovement {
  const charge = base.parent ?? base.object;
  const owner = customerOf(extra.chargeIndex ?? index, charge);
  const requestIds: string[] = [];
  for (const event of events) {
    if (event.requestId !== null && !requestIds.includes(event.requestId)) requestIds.push(event.requestId);
  }
  // One fixed object shape (no spreads): this runs once per PSP object, 100k times in the benchmark.
  const result: MoneyMovement = {
    psp: 'stripe',
    kind: base.kind,
    objectId: base.object.id,
    objectType: base.object.object,
    parentId: base.parent?.id ?? null,
    aliases: extra.aliases ?? [],
    account: index.scope === 'platform' ? null : index.scope,
    pspCustomerId: owner.pspCustomerId,
    customerId: owner.customerId,
    amountMinor: base.amountMinor,
    currency: String(base.object.currency),
    at: base.at,
    obligationKeys: extra.obligationKeys ?? [],
    status: extra.status ?? String(base.object.status),
    eventIds: events.map((event) => event.id),
    requestIds,
  };
  if (extra.destination !== undefined) (result as { destination?: string }).destination = extra.destination;
  return result;
}

const captureEventTypes = ['charge.succeeded', 'charge.captured'];
const succeededEventTypes = ['payment_intent.succeeded'];
const createdEventTypes = ['payment_intent.created'];

function chargeMovements(index: ScopeIndex, charge: Loose): MoneyMovement[] {
  // A destination charge's `py_` payment in the connected account is a transfer, not a capture.
  if (charge.captured !== true || charge.status !== 'succeeded' || charge.source_transfer) return [];
  const intent = str(charge.payment_intent);
  const events = eventsOf(index, charge.id, captureEventTypes);
  for (const event of eventsOf(index, intent, succeededEventTypes)) {
    if (str(event.object.latest_charge) === charge.id) events.push(event);
  }
  const keyEvents = events.concat(eventsOf(index, intent, createdEventTypes));
  const aliases: string[] = [];
  if (intent !== null) {
    aliases.push(intent);
    for (const invoice of index.invoicesByIntent.get(intent) ?? []) aliases.push(invoice);
    for (const session of index.sessionsByIntent.get(intent) ?? []) aliases.push(session);
  }
  const at = createdOf(index, charge.balance_transaction, charge.created);
  const base = {
    kind: 'capture' as const,
    object: charge,
    parent: undefined,
    amountMinor: num(charge.amount_captured),
    at,
  };
  return [
    movement(index, base, events, { aliases, obligationKeys: obligationKeys(index, charge, keyEvents) }),
  ];
}

function refundMovements(index: ScopeIndex, refund: Loose): MoneyMovement[] {
  const charge = index.objects.get(str(refund.charge) ?? '');
  const amountMinor = num(refund.amount);
  const at = createdOf(index, refund.balance_transaction, refund.created);
  if (refund.balance_transaction === null || refund.status === 'canceled') return [];
  const created = eventsOf(index, refund.id, ['refund.created']);
  const result = [
    movement(index, { kind: 'refund', object: refund, parent: charge, amountMinor, at }, created),
  ];
  if (refund.status === 'failed' && refund.failure_balance_transaction) {
    const failedAt = createdOf(index, refund.failure_balance_transaction, refund.created);
    const failed = eventsOf(index, refund.id, ['refund.failed']);
    const base = {
      kind: 'refund_reversal' as const,
      object: refund,
      parent: charge,
      amountMinor,
      at: failedAt,
    };
    result.push(movement(index, base, failed));
  }
  return result;
}

function disputeMovements(index: ScopeIndex, dispute: Loose): MoneyMovement[] {
  const charge = index.objects.get(str(dispute.charge) ?? '');
  const transactions = (dispute.balance_transactions ?? []) as Loose[];
  const result: MoneyMovement[] = [];
  for (const transaction of transactions) {
    const amount = num(transaction.amount);
    const kind = amount < 0 ? 'dispute_withdrawal' : 'dispute_reinstatement';
    const types =
      kind === 'dispute_withdrawal'
        ? ['charge.dispute.created', 'charge.dispute.funds_withdrawn']
        : ['charge.dispute.funds_reinstated'];
    const at = isoSeconds(num(transaction.created));
    const base = { kind, object: dispute, parent: charge, amountMinor: Math.abs(amount), at } as const;
    result.push(movement(index, base, eventsOf(index, dispute.id, types)));
  }
  return result;
}

/** A charge and the scope it lives in: the platform's, else the connected account's (a direct charge). */
function chargeIn(indexes: ReadonlyMap<string, ScopeIndex>, id: string | null, account: string | null) {
  for (const scope of ['platform', account]) {
    const index = scope === null ? undefined : indexes.get(scope);
    const charge = id === null ? undefined : index?.objects.get(id);
    if (index !== undefined && charge !== undefined) return { index, charge };
  }
  return undefined;
}

/** A destination charge's transfer: money leaving the platform for the connected account. */
function transferMovements(
  index: ScopeIndex,
  indexes: ReadonlyMap<string, ScopeIndex>,
  transfer: Loose,
): MoneyMovement[] {
  const amountMinor = num(transfer.amount);
  const destination = str(transfer.destination);
  if (amountMinor <= 0 || destination === null) return [];
  const source = chargeIn(indexes, str(transfer.source_transaction), null);
  const at = createdOf(index, transfer.balance_transaction, transfer.created);
  const base = { kind: 'transfer', object: transfer, parent: source?.charge, amountMinor, at } as const;
  const events = eventsOf(index, transfer.id, ['transfer.created']);
  const status = transfer.reversed === true ? 'reversed' : 'paid';
  return [movement(index, base, events, { chargeIndex: source?.index ?? index, destination, status })];
}

/** An application fee: money the platform keeps back from a connected account's payment. */
function applicationFeeMovements(
  index: ScopeIndex,
  indexes: ReadonlyMap<string, ScopeIndex>,
  fee: Loose,
): MoneyMovement[] {
  const amountMinor = num(fee.amount);
  const destination = str(fee.account);
  if (amountMinor <= 0 || destination === null) return [];
  const source = chargeIn(indexes, str(fee.originating_transaction) ?? str(fee.charge), destination);
  const at = createdOf(index, fee.balance_transaction, fee.created);
  const base = { kind: 'application_fee', object: fee, parent: source?.charge, amountMinor, at } as const;
  const accountIndex = indexes.get(destination);
  const types = ['application_fee.created'];
  const events = [
    ...eventsOf(index, fee.id, types),
    ...(accountIndex ? eventsOf(accountIndex, fee.id, types) : []),
  ];
  const status = fee.refunded === true ? 'refunded' : 'collected';
  return [movement(index, base, events, { chargeIndex: source?.index ?? index, destination, status })];
}

const describedTypes = new Set([
  'charge',
  'refund',
  'dispute',
  'transfer',
  'application_fee',
  'payment_intent',
  'invoice',
  'checkout.session',
]);

/** The charge an object follows from, by the field Stripe names it with. */
function parentFieldOf(object: Loose): unknown {
  if (object.object === 'refund' || object.object === 'dispute') return object.charge;
  if (object.object === 'transfer') return object.source_transaction;
  if (object.object === 'application_fee') return object.originating_transaction ?? object.charge;
  return null;
}

function objectRecord(index: ScopeIndex, object: Loose): PspObjectRecord {
  const parentField = parentFieldOf(object);
  const parent = index.objects.get(str(parentField) ?? '');
  const described = describedTypes.has(object.object);
  const owner = object.object === 'charge' ? object : parent;
  const customer =
    owner !== undefined
      ? customerOf(index, owner)
      : { pspCustomerId: str(object.customer), customerId: null };
  return {
    psp: 'stripe',
    objectId: object.id,
    objectType: object.object,
    status: described && typeof object.status === 'string' ? object.status : null,
    ...customer,
    amountMinor: described && typeof object.amount === 'number' ? object.amount : null,
    currency: typeof object.currency === 'string' ? object.currency : null,
    parentId: str(parentField),
  };
}

/**
 * Builds the checker's view of what the fake Stripe did from its store dump, across the
 * platform and every Connect account.
 *
 * @example
 * const records = stripeRecords(fake.runtime.store.dump());
 * reconcile({ ledger, psps: [records], journal: sim.journal });
 */
export function stripeRecords(dump: StripeDump, options: StripeRecordsOptions = {}): PspRecords {
  const keys = options.obligationMetadataKeys ?? defaultObligationMetadataKeys;
  const movements: MoneyMovement[] = [];
  const objects: PspObjectRecord[] = [];
  const customers: PspCustomerRecord[] = [];
  const indexes = new Map<string, ScopeIndex>();
  for (const [scope, types] of Object.entries(dump)) indexes.set(scope, indexScope(scope, types, keys));
  for (const index of indexes.values()) {
    for (const [pspCustomerId, customerId] of index.customers)
      customers.push({ psp: 'stripe', pspCustomerId, customerId });
    for (const object of index.objects.values()) {
      // Balance transactions move no money of their own (their source does), but ledgers may
      // name them, e.g. for a fee booked apart from its charge: they are known objects.
      if (object.object === 'balance_transaction') {
        objects.push(objectRecord(index, object));
        continue;
      }
      const moved =
        object.object === 'charge'
          ? chargeMovements(index, object)
          : object.object === 'refund'
            ? refundMovements(index, object)
            : object.object === 'dispute'
              ? disputeMovements(index, object)
              : object.object === 'transfer'
                ? transferMovements(index, indexes, object)
                : object.object === 'application_fee'
                  ? applicationFeeMovements(index, indexes, object)
                  : [];
      for (const movement of moved) movements.push(movement);
      // An object that moved money is known through its movements; list only the others.
      if (moved.length === 0) objects.push(objectRecord(index, object));
    }
  }
  return { psp: 'stripe', movements, objects, customers };
}
