import { stripeApiVersion } from './context.ts';

/**
 * Rendering for older API versions. Objects are stored in the shape of the version the
 * installed `stripe` package pins; a request (or webhook endpoint) on an older version gets
 * the fields that version had. Only the changes that matter to billing are modelled: basil
 * (2025-03-31) moved subscription periods onto items and took `paid`, `payment_intent`,
 * `charge` and `subscription` off invoices.
 */
const basil = '2025-03-31';

/** Whether a version string is valid: `YYYY-MM-DD` optionally followed by `.name`. */
export function isKnownVersionFormat(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version);
}

/** Whether objects must be reshaped for `version`. */
export function needsReshaping(version: string): boolean {
  return version.slice(0, 10) < basil && version !== stripeApiVersion;
}

type Node = Record<string, unknown>;

/** Returns `body` reshaped for `version` (a deep copy when anything changes). */
export function renderForVersion(body: unknown, version: string): unknown {
  if (!needsReshaping(version)) return body;
  return reshape(structuredClone(body));
}

function reshape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reshape);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Node;
  for (const [key, child] of Object.entries(node)) node[key] = reshape(child);
  if (node.object === 'invoice') return preBasilInvoice(node);
  if (node.object === 'subscription') return preBasilSubscription(node);
  return node;
}

function preBasilInvoice(invoice: Node): Node {
  const payments = (invoice.payments as { data?: Node[] } | undefined)?.data ?? [];
  const paidPayment = payments.find((payment) => payment.status === 'paid') ?? payments[0];
  const paymentIntent = (paidPayment?.payment as Node | undefined)?.payment_intent ?? null;
  const subscriptionDetails = (invoice.parent as Node | null | undefined)?.subscription_details as
    Node | undefined;
  return {
    ...invoice,
    paid: invoice.status === 'paid',
    paid_out_of_band: false,
    payment_intent: paymentIntent,
    charge: null,
    subscription: subscriptionDetails?.subscription ?? null,
  };
}

function preBasilSubscription(subscription: Node): Node {
  const firstItem = (subscription.items as { data?: Node[] } | undefined)?.data?.[0];
  return {
    ...subscription,
    current_period_start: firstItem?.current_period_start ?? null,
    current_period_end: firstItem?.current_period_end ?? null,
  };
}
