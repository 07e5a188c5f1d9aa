import { currencyExponent } from '../../../sim/money.ts';
import { fail } from '../errors.ts';

// The presentment currencies Stripe accepts for card payments (docs.stripe.com/currencies).
const supported = new Set(
  (
    'usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad ' +
    'cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl ' +
    'htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd ' +
    'mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd ' +
    'rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd ' +
    'vuv wst xaf xcd xof xpf yer zar zmw'
  ).split(' '),
);

// Stripe's minimum charge per currency, in minor units; 50 minor units elsewhere.
const minimums: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  jpy: 50,
  aud: 50,
  cad: 50,
  chf: 50,
  dkk: 250,
  nok: 300,
  sek: 300,
  hkd: 400,
  mxn: 1000,
  inr: 50,
  sgd: 50,
  nzd: 50,
  czk: 1500,
  huf: 17500,
  pln: 200,
  ron: 200,
  bgn: 100,
  aed: 200,
  thb: 1000,
  brl: 50,
  myr: 200,
};

/** The largest amount Stripe accepts: eight digits of minor units. */
export const amountMax = 99_999_999;

/** Validates a currency code as Stripe does, returning it lowercase. */
export function requireCurrency(code: string, param = 'currency'): string {
  const lower = code.toLowerCase();
  if (!supported.has(lower)) {
    fail({
      kind: 'parameter_invalid',
      param,
      code: 'parameter_invalid',
      message: `Invalid currency: ${lower}. Stripe currently supports these currencies: ${[...supported].join(', ')}`,
    });
  }
  return lower;
}

/** Renders minor units as Stripe writes them in messages: `$0.50 usd`, `¥50 jpy`. */
export function formatAmount(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const symbol = ({ usd: '$', eur: '€', gbp: '£', jpy: '¥' } as Record<string, string>)[currency] ?? '';
  const whole = String(Math.floor(amount / 10 ** exponent)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = exponent === 0 ? '' : `.${String(amount % 10 ** exponent).padStart(exponent, '0')}`;
  return `${symbol}${whole}${fraction}`;
}

/** Checks a charge amount against the currency's minimum and Stripe's maximum. */
export function requireChargeAmount(amount: number, currency: string, param = 'amount'): number {
  const minimum = minimums[currency] ?? 50;
  if (amount < minimum) {
    fail({
      kind: 'invalid_request',
      param,
      code: 'amount_too_small',
      message: `Amount must be at least ${formatAmount(minimum, currency)} ${currency}`,
    });
  }
  if (amount > amountMax) {
    fail({
      kind: 'invalid_request',
      param,
      code: 'amount_too_large',
      message: `Amount must be no more than ${formatAmount(amountMax, currency)} ${currency}`,
    });
  }
  return amount;
}
