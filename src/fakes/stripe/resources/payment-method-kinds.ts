import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { text } from '../params.ts';

/** Payment method types beyond cards that the fake models. */
export const nonCardTypes = ['sepa_debit', 'customer_balance'] as const;

/** The create params of those types. */
export const nonCardFields = {
  sepa_debit: z.strictObject({ iban: text() }).optional(),
  customer_balance: z.record(z.string(), z.unknown()).optional(),
};

/** How a SEPA debit ends, after `processing`: Stripe's test IBANs, any other IBAN succeeds. */
export interface DebitOutcome {
  readonly result: 'succeeded' | 'failed';
  /** How long the debit stays `processing`. */
  readonly delaySeconds: number;
}

const quick = 60;
const delayed = 3 * 60;

// docs.stripe.com/testing#sepa-direct-debit: the Austrian and Italian test accounts.
const testIbans: Readonly<Record<string, DebitOutcome>> = {
  AT611904300234573201: { result: 'succeeded', delaySeconds: quick },
  AT321904300235473204: { result: 'succeeded', delaySeconds: delayed },
  AT861904300235473202: { result: 'failed', delaySeconds: quick },
  AT051904300235473205: { result: 'failed', delaySeconds: delayed },
  AT591904300235473203: { result: 'succeeded', delaySeconds: quick },
  IT40S0542811101000000123456: { result: 'succeeded', delaySeconds: quick },
  IT60X0542811101000000123456: { result: 'failed', delaySeconds: quick },
};

/** A stable fingerprint of an IBAN: the stored method keeps only this and the last four digits. */
export function ibanFingerprint(iban: string): string {
  return createHash('sha256').update(`fakepsp-iban:${iban}`).digest('base64url').slice(0, 16);
}

const outcomes = new Map(
  Object.entries(testIbans).map(([iban, outcome]) => [ibanFingerprint(iban), outcome]),
);

/** How a debit from the account with this fingerprint ends. */
export function debitOutcome(fingerprint: string | null | undefined): DebitOutcome {
  return (
    (fingerprint === null || fingerprint === undefined ? undefined : outcomes.get(fingerprint)) ?? {
      result: 'succeeded',
      delaySeconds: quick,
    }
  );
}

function validIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const moved = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (letter) =>
    String(letter.charCodeAt(0) - 55),
  );
  let remainder = 0;
  for (const digit of moved) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
}

/** What a non-card payment method is made from (validated create params). */
export interface NonCardInput {
  readonly type: (typeof nonCardTypes)[number];
  readonly sepa_debit?: { readonly iban: string } | undefined;
  readonly billing_details: Stripe.PaymentMethod.BillingDetails;
  readonly metadata: Record<string, string>;
}

/** Builds (does not store) a SEPA Direct Debit or customer balance payment method. */
export function buildNonCardMethod(context: StripeContext, input: NonCardInput): Stripe.PaymentMethod {
  const base = {
    id: context.ids.stripe('pm_'),
    object: 'payment_method' as const,
    allow_redisplay: 'unspecified' as const,
    billing_details: input.billing_details,
    created: context.nowSeconds,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: input.metadata,
  };
  if (input.type === 'customer_balance') return { ...base, customer_balance: {}, type: 'customer_balance' };
  if (input.sepa_debit === undefined) fail({ kind: 'parameter_missing', param: 'sepa_debit[iban]' });
  const iban = input.sepa_debit.iban.replaceAll(' ', '').toUpperCase();
  if (!validIban(iban)) {
    fail({
      kind: 'invalid_request',
      param: 'sepa_debit[iban]',
      code: 'invalid_bank_account_iban',
      message: 'The IBAN you provided is invalid.',
    });
  }
  if (input.billing_details.name === null) {
    fail({
      kind: 'invalid_request',
      param: 'billing_details[name]',
      message:
        'Missing required param: billing_details[name]. SEPA Direct Debit needs the account holder name.',
    });
  }
  return {
    ...base,
    sepa_debit: {
      bank_code: iban.slice(4, 9),
      branch_code: '',
      country: iban.slice(0, 2),
      fingerprint: ibanFingerprint(iban),
      generated_from: { charge: null, setup_attempt: null },
      last4: iban.slice(-4),
    },
    type: 'sepa_debit',
  };
}
