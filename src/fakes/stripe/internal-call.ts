import type { StripeContext } from './context.ts';
import type { Params } from './params.ts';

/**
 * Runs another endpoint's handler inside the current unit of work, as Stripe itself does when
 * a Checkout Session creates a subscription or an inline price: same transaction, same
 * events, same validation. Its errors surface as this request's errors. The route table comes
 * with the runtime, so no resource imports the table that imports it.
 *
 * @example
 * const price = callEndpoint(context, 'POST', '/v1/prices', { currency: 'usd', unit_amount: 500 });
 */
export function callEndpoint<T>(context: StripeContext, method: string, path: string, params: Params): T {
  const match = context.runtime.routes.match(method, path);
  if (match === undefined) throw new Error(`no internal route ${method} ${path}`);
  return match.route.handler({ ...context, params }, match.params) as T;
}
