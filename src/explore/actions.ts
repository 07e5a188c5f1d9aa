import fc from 'fast-check';
import { faultArmArbitrary, type FaultArm } from './fault-arms.ts';
import type { CurrencyClass, Vocabulary } from './vocabulary.ts';

/** How far one `advance` moves the clock: small steps, across period ends, long jumps. */
export const advanceDurations = ['10m', '1h', '6h', '1d', '3d', '8d', '31d', '45d'] as const;
export type AdvanceDuration = (typeof advanceDurations)[number];

/** A customer signs up: currency class, card (by index in the vocabulary) and billing interval. */
export interface SignUp {
  readonly kind: 'signUp';
  readonly currency: CurrencyClass;
  readonly card: number;
  readonly interval: 'month' | 'week';
}

/**
 * One thing that happens in an explored run. Customers, payments and earlier requests are named
 * by small indices taken modulo what exists when the action runs, so any list of actions means
 * something and shrinks well; an action whose precondition does not hold (a refund with no paid
 * payment) is skipped, and the skip is recorded.
 */
export type Action =
  | { readonly kind: 'advance'; readonly by: AdvanceDuration }
  | { readonly kind: 'settle' }
  | SignUp
  | {
      readonly kind: 'usage';
      readonly customer: number;
      readonly quantity: number;
      /** new: a fresh event; repeat: an earlier event sent again; late: hours back; backfill: days back. */
      readonly event: 'new' | 'repeat' | 'late' | 'backfill';
      /** Which earlier event a repeat sends, or how far back a late or backfilled one is dated. */
      readonly back: number;
    }
  | { readonly kind: 'burst'; readonly customer: number; readonly size: number; readonly quantity: number }
  | { readonly kind: 'topUp'; readonly customer: number; readonly amount: number }
  | {
      readonly kind: 'refund';
      readonly customer: number;
      readonly payment: number;
      readonly share: 'full' | 'part';
      /** Send an earlier refund request again, same requestId (the payment and share are then unused). */
      readonly repeat: boolean;
    }
  | {
      readonly kind: 'dashboardRefund';
      readonly customer: number;
      readonly payment: number;
      readonly share: 'full' | 'part';
    }
  | {
      readonly kind: 'dispute';
      readonly customer: number;
      readonly payment: number;
      readonly outcome: 'lost' | 'won';
    }
  | { readonly kind: 'adyenFailNext'; readonly operation: 'capture' | 'refund' }
  | { readonly kind: 'razorpayLateCapture'; readonly customer: number }
  | { readonly kind: 'razorpayFailRefund'; readonly customer: number }
  | { readonly kind: 'razorpayHoldCapture' };

/** One explored run: who signs up first, the faults armed from the start, and what happens. */
export interface Sequence {
  readonly signUps: readonly SignUp[];
  readonly faults: readonly FaultArm[];
  readonly actions: readonly Action[];
}

/** Longest action list unless told otherwise (`--max-steps`). */
export const maxStepsDefault = 16;

/** Most fault arms one run carries. */
export const faultArmsMax = 4;

const index = fc.nat({ max: 7 });

function signUpArbitrary(vocabulary: Vocabulary): fc.Arbitrary<SignUp> {
  const classes = (['two', 'zero', 'three'] as const).filter(
    (name) => vocabulary.currencies[name] !== undefined,
  );
  return fc.record({
    kind: fc.constant('signUp' as const),
    currency: fc.constantFrom(...classes),
    card: fc.nat({ max: vocabulary.cards.length - 1 }),
    interval: fc.constantFrom('month' as const, 'week' as const),
  });
}

/** The action arbitrary of a vocabulary, simplest kinds first (fast-check shrinks towards them). */
export function actionArbitrary(vocabulary: Vocabulary): fc.Arbitrary<Action> {
  const weighted: Array<fc.WeightedArbitrary<Action>> = [
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('advance' as const),
        by: fc.constantFrom(...advanceDurations),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
    { weight: 1, arbitrary: signUpArbitrary(vocabulary) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('usage' as const),
        customer: index,
        quantity: fc.integer({ min: 1, max: 500 }),
        event: fc.constantFrom('new' as const, 'repeat' as const, 'late' as const, 'backfill' as const),
        back: fc.nat({ max: 47 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('burst' as const),
        customer: index,
        size: fc.integer({ min: 2, max: 8 }),
        quantity: fc.integer({ min: 1, max: 300 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('refund' as const),
        customer: index,
        payment: index,
        share: fc.constantFrom('full' as const, 'part' as const),
        repeat: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('dashboardRefund' as const),
        customer: index,
        payment: index,
        share: fc.constantFrom('full' as const, 'part' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('dispute' as const),
        customer: index,
        payment: index,
        outcome: fc.constantFrom('lost' as const, 'won' as const),
      }),
    },
  ];
  weighted.push(...pspSideArbitraries(vocabulary));
  return fc.oneof(...weighted);
}

/** Actions only some patterns and PSPs have: wallet top-ups, Adyen's and Razorpay's own actors. */
function pspSideArbitraries(vocabulary: Vocabulary): Array<fc.WeightedArbitrary<Action>> {
  const extra: Array<fc.WeightedArbitrary<Action>> = [];
  if (vocabulary.wallet) {
    extra.push({
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('topUp' as const),
        customer: index,
        amount: fc.constantFrom(500, 1000, 2000, 5000),
      }),
    });
  }
  if (vocabulary.adyenModificationFailures) {
    extra.push({
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('adyenFailNext' as const),
        operation: fc.constantFrom('capture' as const, 'refund' as const),
      }),
    });
  }
  if (vocabulary.razorpayActors) {
    if (vocabulary.razorpayLateCaptures)
      extra.push({
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('razorpayLateCapture' as const), customer: index }),
      });
    extra.push(
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('razorpayFailRefund' as const), customer: index }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('razorpayHoldCapture' as const) }) },
    );
  }
  return extra;
}

/** The arbitrary of whole explored runs. */
export function sequenceArbitrary(
  vocabulary: Vocabulary,
  maxSteps = maxStepsDefault,
): fc.Arbitrary<Sequence> {
  return fc.record({
    signUps: fc.array(signUpArbitrary(vocabulary), { minLength: 1, maxLength: 3 }),
    faults: fc.array(faultArmArbitrary(vocabulary), { maxLength: faultArmsMax }),
    actions: fc.array(actionArbitrary(vocabulary), { minLength: 1, maxLength: maxSteps }),
  });
}
