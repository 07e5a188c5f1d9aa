import type { Route } from '../common/router.ts';
import type { StripeHandler } from './context.ts';
import { customersRoutes } from './resources/customers.ts';
import { customerBalanceTransactionsRoutes } from './resources/customer-balance-transactions.ts';
import { paymentMethodsRoutes } from './resources/payment-methods.ts';
import { paymentIntentsRoutes } from './resources/payment-intents.ts';
import { chargesRoutes } from './resources/charges.ts';
import { refundsRoutes } from './resources/refunds.ts';
import { disputesRoutes } from './resources/disputes.ts';
import { balanceTransactionsRoutes } from './resources/balance-transactions.ts';
import { productsRoutes } from './resources/products.ts';
import { pricesRoutes } from './resources/prices.ts';
import { metersRoutes } from './resources/meters.ts';
import { meterEventsRoutes } from './resources/meter-events.ts';
import { meterEventsV2Routes } from './resources/meter-events-v2.ts';
import { creditGrantsRoutes } from './resources/credit-grants.ts';
import { subscriptionsRoutes } from './resources/subscriptions.ts';
import { subscriptionItemsRoutes } from './resources/subscription-items.ts';
import { invoicesRoutes } from './resources/invoices.ts';
import { invoiceItemsRoutes } from './resources/invoice-items.ts';
import { testClocksRoutes } from './resources/test-clocks.ts';
import { webhookEndpointsRoutes } from './resources/webhook-endpoints.ts';
import { eventsRoutes } from './resources/events.ts';
import { accountsRoutes } from './resources/accounts.ts';
import { checkoutSessionsRoutes } from './resources/checkout-sessions.ts';
import { applicationFeeRefundsRoutes } from './resources/application-fee-refunds.ts';
import { applicationFeesRoutes } from './resources/application-fees.ts';
import { couponsRoutes } from './resources/coupons.ts';
import { promotionCodesRoutes } from './resources/promotion-codes.ts';
import { customerDiscountsRoutes } from './resources/customer-discounts.ts';
import { customerSourcesRoutes } from './resources/customer-sources.ts';
import { taxRatesRoutes } from './resources/tax-rates.ts';
import { creditNotesRoutes } from './resources/credit-notes.ts';
import { plansRoutes } from './resources/plans.ts';
import { setupIntentsRoutes } from './resources/setup-intents.ts';
import { cashBalancesRoutes } from './resources/cash-balances.ts';
import { transfersRoutes } from './resources/transfers.ts';
import { payoutsRoutes } from './resources/payouts.ts';
import { topupsRoutes } from './resources/topups.ts';
import { subscriptionSchedulesRoutes } from './resources/subscription-schedules.ts';
import { quotesRoutes } from './resources/quotes.ts';
import { billingPortalRoutes } from './resources/billing-portal.ts';
import { paymentLinksRoutes } from './resources/payment-links.ts';
import { paymentPagesRoutes } from './checkout/payment-pages.ts';
import { searchRoutes } from './search/routes.ts';
import { subscriptionResumeRoutes } from './resources/subscription-resume.ts';

/** Every route of the fake Stripe, one family per resource file. */
export const stripeRoutes: readonly Route<StripeHandler>[] = [
  ...searchRoutes,
  ...customersRoutes,
  ...customerBalanceTransactionsRoutes,
  ...paymentMethodsRoutes,
  ...paymentIntentsRoutes,
  ...chargesRoutes,
  ...refundsRoutes,
  ...disputesRoutes,
  ...balanceTransactionsRoutes,
  ...productsRoutes,
  ...pricesRoutes,
  ...metersRoutes,
  ...meterEventsRoutes,
  ...meterEventsV2Routes,
  ...creditGrantsRoutes,
  ...subscriptionsRoutes,
  ...subscriptionResumeRoutes,
  ...subscriptionItemsRoutes,
  ...invoicesRoutes,
  ...invoiceItemsRoutes,
  ...testClocksRoutes,
  ...webhookEndpointsRoutes,
  ...eventsRoutes,
  ...accountsRoutes,
  ...checkoutSessionsRoutes,
  ...applicationFeesRoutes,
  ...applicationFeeRefundsRoutes,
  ...couponsRoutes,
  ...promotionCodesRoutes,
  ...customerDiscountsRoutes,
  ...customerSourcesRoutes,
  ...taxRatesRoutes,
  ...creditNotesRoutes,
  ...plansRoutes,
  ...setupIntentsRoutes,
  ...cashBalancesRoutes,
  ...transfersRoutes,
  ...payoutsRoutes,
  ...topupsRoutes,
  ...subscriptionSchedulesRoutes,
  ...quotesRoutes,
  ...billingPortalRoutes,
  ...paymentLinksRoutes,
  ...paymentPagesRoutes,
];
