import type { JournalLine, JournalRecord } from '../sim/journal.ts';
import { formatMoney, type Money } from '../sim/money.ts';
import { moneyOf } from './breaks.ts';
import { is2xx } from './journal-index.ts';
import type { MoneyMovement } from './psp-records.ts';

const pspTitles: Readonly<Record<string, string>> = {
  stripe: 'Stripe',
  adyen: 'Adyen',
  razorpay: 'Razorpay',
};

/** `Stripe`, `Adyen`, `Razorpay`. */
export function pspTitle(psp: string): string {
  return pspTitles[psp] ?? psp;
}

/** Money for people: `30.00 USD`, tolerating a currency code the ledger got wrong. */
export function formatAmount(amount: Money | null): string {
  if (amount === null) return 'nothing';
  try {
    return formatMoney(amount);
  } catch {
    return `${amount.amountMinor} ${String(amount.currency).toUpperCase()} (minor units)`;
  }
}

/** `30.00 USD` from minor units and a code. */
export function amountText(amountMinor: number, currency: string): string {
  return formatAmount(moneyOf(amountMinor, currency));
}

/** `customer c_1`, or a phrase for an unknown one. */
export function customerText(customer: string | null): string {
  return customer === null ? 'an unidentified customer' : `customer ${customer}`;
}

/** The phrase with its first letter in upper case, to open a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What happened at the PSP, as a verb phrase: `captured 30.00 USD on charge ch_1`. */
export function movementText(movement: MoneyMovement): string {
  const amount = amountText(movement.amountMinor, movement.currency);
  const parent = movement.parentId === null ? '' : ` of ${movement.parentId}`;
  switch (movement.kind) {
    case 'capture':
      return `captured ${amount} on ${movement.objectType} ${movement.objectId}`;
    case 'refund':
      return `refunded ${amount} (${movement.objectType} ${movement.objectId}${parent})`;
    case 'refund_reversal':
      return `gave back ${amount} when refund ${movement.objectId}${parent} failed`;
    case 'capture_reversal':
      return `took back ${amount} when capture ${movement.objectId}${parent} failed`;
    case 'dispute_withdrawal':
      return `withdrew ${amount} for dispute ${movement.objectId}${parent} (status ${movement.status})`;
    case 'dispute_reinstatement':
      return `reinstated ${amount} when dispute ${movement.objectId}${parent} was won`;
    case 'transfer':
      return (
        `transferred ${amount} to connected account ${movement.destination ?? '?'} ` +
        `(transfer ${movement.objectId}${parent})`
      );
    case 'application_fee':
      return (
        `kept ${amount} as application fee ${movement.objectId}${parent} from connected account ` +
        `${movement.destination ?? '?'}`
      );
  }
}

/** Why a request was refused, from its journal line's `error`: ` (resource_missing: No such customer…)`. */
export function refusalText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const fields = error as Record<string, unknown>;
  const code = fields.code ?? fields.errorCode ?? fields.type;
  const message = fields.message ?? fields.description;
  const said = [code, message].filter((part) => typeof part === 'string' && part !== '').join(': ');
  return said === '' ? '' : ` (${said})`;
}

/** One journal line, in a few words: `#12 request POST /v1/refunds`. */
export function journalLineText(record: JournalRecord): string {
  const at = `#${record.seq}`;
  switch (record.kind) {
    case 'request':
      return `${at} request ${record.data.method} ${record.data.path}`;
    case 'response':
      return `${at} response ${record.data.status}${refusalText(record.data.error)}`;
    case 'event':
      return `${at} event ${record.data.type} ${record.data.id}`;
    case 'webhook_attempt': {
      const { status, error, fault, eventType, attempt } = record.data;
      const answer = status === undefined ? `failed (${String(error)})` : `answered ${status}`;
      const faulted = fault === undefined ? '' : ` with a ${fault} fault`;
      return `${at} webhook ${String(eventType)} attempt ${String(attempt)}${faulted} ${answer}`;
    }
    case 'fault': {
      const data = record.data;
      const said = 'effect' in data ? data.effect : 'rule' in data ? data.rule : null;
      return `${at} fault ${JSON.stringify(said ?? null)}`;
    }
    case 'action':
      return `${at} harness action "${String(record.data.action)}"`;
    default:
      return `${at} ${record.kind}`;
  }
}

/** A closing sentence naming the journal evidence, or nothing when there is none. */
export function journalSentence(records: readonly JournalRecord[]): string {
  if (records.length === 0) return '';
  const acknowledged = records.find(
    (record): record is JournalLine<'webhook_attempt'> =>
      record.kind === 'webhook_attempt' && is2xx(record.data.status),
  );
  const told =
    acknowledged === undefined
      ? ''
      : ` The billing system acknowledged the ${String(acknowledged.data.eventType)} webhook ` +
        `(line #${acknowledged.seq}), so it was told.`;
  return ` Journal lines ${records.map((record) => `#${record.seq}`).join(', ')} witness it.${told}`;
}
