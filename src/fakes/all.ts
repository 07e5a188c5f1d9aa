import type { AdyenFake } from './adyen/index.ts';
import type { RazorpayFake } from './razorpay/index.ts';
import type { StripeFake } from './stripe/index.ts';

/** Any of the fakes, told apart by `psp`: adding a PSP adds it here. */
export type AnyPspFake = StripeFake | AdyenFake | RazorpayFake;
