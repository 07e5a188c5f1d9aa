import { fail } from './errors.ts';
import { renderNotes, type CustomerEntity } from './entities.ts';
import {
  allowOnly,
  booleanOf,
  emailOf,
  listOptionsOf,
  notesOf,
  page,
  stringOf,
  type Body,
} from './params.ts';
import { pageOfTable } from './list-page.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { TokenRecord } from './store.ts';

const nameLengthMax = 50;

function contactOf(body: Body): string | undefined {
  const contact = stringOf(body, 'contact', { lengthMax: 15 });
  if (contact !== undefined && !/^\+?\d{8,15}$/.test(contact))
    fail({ kind: 'field_invalid', field: 'contact' });
  return contact;
}

/**
 * POST /v1/customers. A customer with the same email and contact already exists →
 * `fail_existing` "1" (the default) refuses, "0" returns the existing customer.
 */
export const createCustomer: RazorpayHandler = (context) => {
  const { body, runtime } = context;
  allowOnly(body, ['name', 'email', 'contact', 'fail_existing', 'gstin', 'notes']);
  const name = stringOf(body, 'name', { lengthMax: nameLengthMax }) ?? null;
  const email = emailOf(body, 'email') ?? null;
  const contact = contactOf(body) ?? null;
  const failExisting = booleanOf(body, 'fail_existing') ?? true;
  const gstin = stringOf(body, 'gstin', { lengthMax: 15 }) ?? null;
  const notes = notesOf(body) ?? {};
  const existing = runtime.store.customerWith(email, contact);
  if (existing !== undefined) return failExisting ? fail({ kind: 'customer_exists' }) : existing;
  const customer: CustomerEntity = {
    id: runtime.ids.razorpay('cust_'),
    entity: 'customer',
    name,
    email,
    contact,
    gstin,
    notes: renderNotes(notes),
    created_at: context.nowSeconds,
  };
  runtime.store.customers.set(customer.id, customer);
  return customer;
};

/** The customer with an id, or Razorpay's 400 "The id provided does not exist". */
export function customerOf(context: RazorpayContext, id: string | undefined): CustomerEntity {
  const customer = id === undefined ? undefined : context.runtime.store.customers.get(id);
  return customer ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/customers/:id */
export const fetchCustomer: RazorpayHandler = (context, path) => customerOf(context, path.id);

/** GET /v1/customers — count/skip. */
export const listCustomers: RazorpayHandler = (context) => {
  const listed = {
    entity: (customer: CustomerEntity) => customer,
    createdAt: (customer: CustomerEntity) => customer.created_at,
  };
  return pageOfTable(context.runtime.store.customers, listed, listOptionsOf(context.query));
};

/** PUT /v1/customers/:id `{name?, email?, contact?, gstin?, notes?}` */
export const editCustomer: RazorpayHandler = (context, path) => {
  const customer = customerOf(context, path.id);
  const { body } = context;
  allowOnly(body, ['name', 'email', 'contact', 'gstin', 'notes']);
  const name = stringOf(body, 'name', { lengthMax: nameLengthMax });
  const email = emailOf(body, 'email');
  const contact = contactOf(body);
  const gstin = stringOf(body, 'gstin', { lengthMax: 15 });
  const notes = notesOf(body);
  if (name !== undefined) customer.name = name;
  if (email !== undefined) customer.email = email;
  if (contact !== undefined) customer.contact = contact;
  if (gstin !== undefined) customer.gstin = gstin;
  if (notes !== undefined) customer.notes = renderNotes(notes);
  return customer;
};

/** A customer's live (not deleted) token with an id, or 400 "The id provided does not exist". */
export function tokenOf(
  context: RazorpayContext,
  customerId: string,
  tokenId: string | undefined,
): TokenRecord {
  const record = tokenId === undefined ? undefined : context.runtime.store.tokens.get(tokenId);
  if (record === undefined || record.deleted || record.token.customer_id !== customerId)
    return fail({ kind: 'id_not_found' });
  return record;
}

/** GET /v1/customers/:id/tokens — every live token of the customer, newest first. */
export const listTokens: RazorpayHandler = (context, path) => {
  const customer = customerOf(context, path.id);
  const tokens = context.runtime.store
    .tokensOf(customer.id)
    .filter((record) => !record.deleted && record.token.customer_id === customer.id)
    .map((record) => record.token);
  return page(tokens, (token) => token.created_at, { count: 100, skip: 0, from: undefined, to: undefined });
};

/** GET /v1/customers/:id/tokens/:tokenId */
export const fetchToken: RazorpayHandler = (context, path) => {
  const customer = customerOf(context, path.id);
  return tokenOf(context, customer.id, path.tokenId).token;
};

/** DELETE /v1/customers/:id/tokens/:tokenId → `{deleted: true}`; the mandate can debit no more. */
export const deleteToken: RazorpayHandler = (context, path) => {
  const customer = customerOf(context, path.id);
  tokenOf(context, customer.id, path.tokenId).deleted = true;
  return { deleted: true };
};
