import { parseArgs } from 'node:util';
import express from 'express';
import { bindingRouter } from './binding.js';
import { stripeWebhook } from './webhooks.js';

// PORT, else --port N, else 4000 (0 picks a free port).
const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: false });
const port = Number(process.env.PORT || values.port || 4000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`port ${port} is not a port`);

const app = express();
// Raw bytes, not parsed JSON: Stripe signs the exact body.
app.post('/webhooks/stripe', express.raw({ type: () => true }), stripeWebhook);
// Test-only: the fakepsp controller (leave it out of production).
app.use('/fakepsp', bindingRouter({ webhookUrl: () => `${baseUrl}/webhooks/stripe` }));

let baseUrl = '';
const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  baseUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  console.log(`listening on ${baseUrl}`);
});
