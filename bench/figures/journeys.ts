// The journeys of `bench/flows.ts` and figure 9: whole sequences of requests a billing service
// makes (pay then refund, subscribe then cancel, invoice then pay …), each against a fresh fake
// in-process, measured window by window as the fake's store fills.
import { adyenPayment } from './http.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import {
  adyenClient,
  razorpayClient,
  simulation,
  stripeClient,
  type Body,
  type Call,
  type Journey,
} from './journey-clients.ts';

type RazorpayFake = ReturnType<typeof createRazorpayFake>;

/** A fresh fake Razorpay, for journeys that also act as the customer on Checkout, and its client. */
function razorpayFake(): [RazorpayFake, Call] {
  const fake = createRazorpayFake(simulation());
  return [fake, razorpayClient(fake)];
}

/** A Razorpay order, paid on Checkout: the order and its payment's id. */
function paidOrder(fake: RazorpayFake, razorpay: Call, order: Record<string, unknown>) {
  const created = razorpay('POST', '/v1/orders', JSON.stringify(order));
  const paid = fake.actions.checkout!({ order_id: created.id });
  return { order: created, paymentId: (paid.body as { razorpay_payment_id: string }).razorpay_payment_id };
}

const withCard = 'payment_method=pm_card_visa&invoice_settings[default_payment_method]=pm_card_visa';

/** A confirmed card payment of 20.00 USD (`more`: further parameters, each after a `&`). */
const pay = (stripe: Call, card: string, more = '') =>
  stripe(
    'POST',
    '/v1/payment_intents',
    `amount=2000&currency=usd&confirm=true&payment_method=${card}&payment_method_types[]=card${more}`,
  );

/** An Express account that can receive transfers. */
const connectedAccount = (stripe: Call) =>
  stripe('POST', '/v1/accounts', 'type=express&country=US&capabilities[transfers][requested]=true');

/** A monthly price of 10.00 USD for a new product. */
const monthlyPrice = (stripe: Call, product: string) =>
  stripe(
    'POST',
    '/v1/prices',
    `currency=usd&unit_amount=1000&recurring[interval]=month&product_data[name]=${product}`,
  );

/** A new customer with a card (and `more` of its parameters), subscribed to `price`. */
function subscribed(stripe: Call, price: Body, more = '') {
  const customer = stripe('POST', '/v1/customers', `email=jenny@example.com&${withCard}${more}`);
  const subscription = stripe(
    'POST',
    '/v1/subscriptions',
    `customer=${customer.id}&items[0][price]=${price.id}`,
  );
  return { customer, subscription };
}

export const journeys: Record<string, () => Journey> = {
  'stripe: pay, refund twice, list the refunds': () => {
    const stripe = stripeClient();
    return () => {
      const intent = pay(stripe, 'pm_card_visa');
      stripe('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=100`);
      stripe('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=100`);
      stripe('GET', `/v1/refunds?payment_intent=${intent.id}`);
    };
  },
  'stripe: attach a card, pay later, capture, list the cards': () => {
    const stripe = stripeClient();
    return () => {
      const customer = stripe('POST', '/v1/customers', 'email=jenny@example.com');
      const method = stripe('POST', '/v1/payment_methods', 'type=card&card[token]=tok_visa');
      stripe('POST', `/v1/payment_methods/${method.id}/attach`, `customer=${customer.id}`);
      const intent = pay(stripe, method.id, `&customer=${customer.id}&capture_method=manual`);
      stripe('POST', `/v1/payment_intents/${intent.id}/capture`);
      stripe('GET', `/v1/customers/${customer.id}/payment_methods?type=card`);
    };
  },
  'stripe: subscribe, then cancel': () => {
    const stripe = stripeClient();
    const price = monthlyPrice(stripe, 'Pro');
    return () => {
      const { subscription } = subscribed(stripe, price);
      stripe('DELETE', `/v1/subscriptions/${subscription.id}`);
    };
  },
  'stripe: invoice an item, finalize, pay': () => {
    const stripe = stripeClient();
    return () => {
      const customer = stripe('POST', '/v1/customers', `email=jenny@example.com&${withCard}`);
      stripe('POST', '/v1/invoiceitems', `customer=${customer.id}&amount=500&currency=usd`);
      const invoice = stripe(
        'POST',
        '/v1/invoices',
        `customer=${customer.id}&pending_invoice_items_behavior=include`,
      );
      stripe('POST', `/v1/invoices/${invoice.id}/finalize`);
      stripe('POST', `/v1/invoices/${invoice.id}/pay`);
      stripe('GET', `/v1/invoice_payments?invoice=${invoice.id}`);
    };
  },
  "stripe: pay, then list the customer's payments, charges, invoices and subscriptions": () => {
    const stripe = stripeClient();
    return () => {
      const customer = stripe('POST', '/v1/customers', `email=jenny@example.com&${withCard}`);
      pay(stripe, 'pm_card_visa', `&customer=${customer.id}`);
      for (const list of ['payment_intents', 'charges', 'invoices', 'subscriptions'])
        stripe('GET', `/v1/${list}?customer=${customer.id}`);
    };
  },
  'stripe: destination charge to a connected account': () => {
    const stripe = stripeClient();
    const account = connectedAccount(stripe);
    return () => {
      pay(stripe, 'pm_card_visa', `&transfer_data[destination]=${account.id}`);
    };
  },
  'stripe: charge with card 0077 (funds available now), transfer part to a connected account': () => {
    const stripe = stripeClient();
    const account = connectedAccount(stripe);
    return () => {
      pay(stripe, 'pm_card_bypassPending');
      stripe('POST', '/v1/transfers', `amount=500&currency=usd&destination=${account.id}`);
    };
  },
  'stripe: subscribe, read the item, change the quantity': () => {
    const stripe = stripeClient();
    const price = monthlyPrice(stripe, 'Seats');
    return () => {
      const { subscription } = subscribed(stripe, price);
      const item = (subscription as Body & { items: { data: Array<{ id: string }> } }).items.data[0]!.id;
      stripe('GET', `/v1/subscription_items/${item}`);
      stripe(
        'POST',
        `/v1/subscriptions/${subscription.id}`,
        `items[0][id]=${item}&items[0][quantity]=3&proration_behavior=none`,
      );
    };
  },
  'stripe: a customer, then the latest events, as a poller reads them': () => {
    const stripe = stripeClient();
    return () => {
      stripe('POST', '/v1/customers', 'email=jenny@example.com');
      stripe('GET', '/v1/events?limit=10');
      stripe('GET', '/v1/events?limit=3&type=customer.created');
    };
  },
  'stripe: pay, then the newest page of payments, charges and customers, as a dashboard reads them': () => {
    const stripe = stripeClient();
    return () => {
      stripe('POST', '/v1/customers', 'email=jenny@example.com');
      stripe(
        'POST',
        '/v1/payment_intents',
        'amount=2000&currency=usd&confirm=true&payment_method=pm_card_visa',
      );
      stripe('GET', '/v1/payment_intents?limit=10');
      stripe('GET', '/v1/charges?limit=10');
      stripe('GET', '/v1/customers?limit=10');
    };
  },
  'stripe: meter usage, read the summary': () => {
    const stripe = stripeClient();
    const meter = stripe(
      'POST',
      '/v1/billing/meters',
      'display_name=Tokens&event_name=tokens&default_aggregation[formula]=sum&customer_mapping[event_payload_key]=stripe_customer_id&customer_mapping[type]=by_id&value_settings[event_payload_key]=value',
    );
    return (n) => {
      const customer = stripe('POST', '/v1/customers', 'email=jenny@example.com');
      for (const part of ['a', 'b'])
        stripe(
          'POST',
          '/v1/billing/meter_events',
          `event_name=tokens&payload[stripe_customer_id]=${customer.id}&payload[value]=3&identifier=${n}${part}`,
        );
      stripe(
        'GET',
        `/v1/billing/meters/${meter.id}/event_summaries?customer=${customer.id}&start_time=1767225600&end_time=1767312000`,
      );
    };
  },
  'stripe: a customer on a test clock, subscribed, a month on': () => {
    const stripe = stripeClient();
    const price = monthlyPrice(stripe, 'Pro');
    const start = 1_767_225_600;
    return () => {
      const clock = stripe('POST', '/v1/test_helpers/test_clocks', `frozen_time=${start}`);
      const { customer } = subscribed(stripe, price, `&test_clock=${clock.id}`);
      stripe(
        'POST',
        `/v1/test_helpers/test_clocks/${clock.id}/advance`,
        `frozen_time=${start + 32 * 86_400}`,
      );
      stripe('GET', `/v1/invoices?customer=${customer.id}`);
    };
  },
  'adyen: pay, refund twice': () => {
    const adyen = adyenClient();
    const refund = JSON.stringify({
      merchantAccount: 'FakepspECOM',
      amount: { value: 100, currency: 'EUR' },
    });
    return () => {
      const payment = adyen('POST', '/v72/payments', adyenPayment) as Body & { pspReference: string };
      adyen('POST', `/v72/payments/${payment.pspReference}/refunds`, refund);
      adyen('POST', `/v72/payments/${payment.pspReference}/refunds`, refund);
    };
  },
  'adyen: authorise for manual capture, capture, refund, with a stored card': () => {
    const adyen = adyenClient();
    const amount = { value: 100, currency: 'EUR' };
    return (n) => {
      const request = JSON.parse(adyenPayment) as Record<string, unknown>;
      const payment = adyen(
        'POST',
        '/v72/payments',
        JSON.stringify({
          ...request,
          reference: `order-${n}`,
          shopperReference: `shopper-${n}`,
          storePaymentMethod: true,
          shopperInteraction: 'Ecommerce',
          recurringProcessingModel: 'CardOnFile',
          additionalData: { manualCapture: 'true' },
        }),
      ) as Body & { pspReference: string };
      const modify = (action: string) =>
        adyen(
          'POST',
          `/v72/payments/${payment.pspReference}/${action}`,
          JSON.stringify({ merchantAccount: 'FakepspECOM', amount }),
        );
      modify('captures');
      modify('refunds');
    };
  },
  'razorpay: a payment link with its own reference': () => {
    const razorpay = razorpayClient();
    return (n) => {
      razorpay(
        'POST',
        '/v1/payment_links',
        JSON.stringify({ amount: 10_000, currency: 'INR', reference_id: `ref-${n}` }),
      );
    };
  },
  'razorpay: a customer, an order for them': () => {
    const razorpay = razorpayClient();
    return (n) => {
      const customer = razorpay(
        'POST',
        '/v1/customers',
        JSON.stringify({ name: 'Gaurav', email: `g${n}@example.com`, contact: '9000090000' }),
      );
      razorpay(
        'POST',
        '/v1/orders',
        JSON.stringify({ amount: 50_000, currency: 'INR', customer_id: customer.id }),
      );
    };
  },
  'razorpay: order, checkout, capture, refund, list the refunds': () => {
    const [fake, razorpay] = razorpayFake();
    return (n) => {
      const body = { amount: 50_000, currency: 'INR', receipt: `r${n}`, payment_capture: false };
      const { order, paymentId } = paidOrder(fake, razorpay, body);
      const amount = JSON.stringify({ amount: 50_000, currency: 'INR' });
      razorpay('POST', `/v1/payments/${paymentId}/capture`, amount);
      razorpay('POST', `/v1/payments/${paymentId}/refund`, JSON.stringify({ amount: 100 }));
      razorpay('GET', `/v1/payments/${paymentId}/refunds`);
      razorpay('GET', `/v1/orders/${order.id}/payments`);
    };
  },
  'razorpay: an order paid, then the newest page of orders, payments and refunds, as a reconciliation reads them':
    () => {
      const [fake, razorpay] = razorpayFake();
      return (n) => {
        paidOrder(fake, razorpay, { amount: 900, currency: 'INR', receipt: `r${n}` });
        razorpay('GET', '/v1/orders?count=10&skip=0');
        razorpay('GET', '/v1/payments?count=10&skip=0');
        razorpay('GET', '/v1/refunds?count=10&skip=0');
      };
    },
};
