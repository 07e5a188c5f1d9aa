import type { SeededRandom } from './random.ts';

const upperAlphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Length of the random part after the prefix, by id family, as the PSPs print them. */
const stripeBodyLength: Readonly<Record<string, number>> = {
  cus_: 14,
  acct_: 16,
  evt_: 24,
  req_: 14,
  whsec_: 32,
};

/** Most redraws for one id before we call the stream broken (a collision needs 62^14 bad luck). */
const redrawsMax = 16;

/**
 * Random parts at least this long are unique without a check: two equal 14-character base62
 * draws among a billion ids have odds near 10⁻⁸, and remembering every id a long `serve` issued
 * would grow without bound. Shorter ones are checked against what was issued.
 */
const checkedBelowLength = 14;

/**
 * Deterministic, unique, PSP-shaped ids drawn from one random stream: Stripe's `cus_…`,
 * `pi_…`, `ch_…`; Adyen's 16-character pspReferences; Razorpay's `pay_…`, `order_…`.
 *
 * @example
 * const ids = new IdGenerator(SeededRandom.fromSeed(1).fork('stripe/ids'));
 * ids.stripe('pi_'); // 'pi_' + 24 base62 characters, the same for seed 1 every run
 */
export class IdGenerator {
  readonly #random: SeededRandom;
  readonly #issued = new Set<string>();

  constructor(random: SeededRandom) {
    this.#random = random;
  }

  /** A Stripe id: `cus_` + 14 characters, `evt_` + 24, others (`pi_`, `ch_`, `re_`…) + 24. */
  stripe(prefix: string): string {
    const length = stripeBodyLength[prefix] ?? 24;
    return this.#unique(length, () => prefix + this.#random.string(length));
  }

  /** An Adyen pspReference: 16 characters of digits and capital letters. */
  adyenPspReference(): string {
    return this.#unique(16, () => this.#random.string(16, upperAlphanumeric));
  }

  /** A Razorpay id: `pay_`, `order_`, `rfnd_`… + 14 base62 characters. */
  razorpay(prefix: string): string {
    return this.#unique(14, () => prefix + this.#random.string(14));
  }

  /** Any id of `prefix` + `length` base62 characters, unique within this generator. */
  custom(prefix: string, length: number): string {
    return this.#unique(length, () => prefix + this.#random.string(length));
  }

  #unique(length: number, draw: () => string): string {
    if (length >= checkedBelowLength) return draw();
    for (let attempt = 0; attempt < redrawsMax; attempt++) {
      const id = draw();
      if (!this.#issued.has(id)) {
        this.#issued.add(id);
        return id;
      }
    }
    throw new Error(`could not draw a unique id in ${redrawsMax} tries (redrawsMax)`);
  }
}
