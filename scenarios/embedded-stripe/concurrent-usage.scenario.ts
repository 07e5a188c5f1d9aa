import { defineScenario } from 'fakepsp';

export const concurrentUsageBurst = defineScenario({
  name: 'embedded-stripe: a burst of concurrent usage never spends one balance twice',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['usage', 'concurrency', 'wallet'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('a small top-up: 10.00 pays for five events of 2.00', () =>
      ctx.topUp(tenant.customerId, 1000),
    );
    // Eight events of 100 tokens (2.00 each) at once: five fit, three must be refused.
    await ctx.step('eight events arrive at once', () =>
      Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          ctx.usage(tenant.customerId, 100, { eventId: `burst-1-${index}` }),
        ),
      ),
    );
    await ctx.step('a top-up, then another burst', async () => {
      await ctx.topUp(tenant.customerId, 700);
      await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          ctx.usage(tenant.customerId, 50 + index * 10, { eventId: `burst-2-${index}` }),
        ),
      );
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const concurrentTenants = defineScenario({
  name: 'embedded-stripe: tenants top up and spend concurrently; each wallet stays its own',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['usage', 'concurrency', 'wallet'],
  async run(ctx) {
    const tenants = await ctx.step('four tenants sign up', async () => {
      const created = [];
      for (let index = 0; index < 4; index++) created.push(await ctx.customer());
      return created;
    });
    await ctx.step('all top up at once', () =>
      Promise.all(tenants.map((tenant, index) => ctx.topUp(tenant.customerId, 500 + 250 * index))),
    );
    await ctx.step('all spend at once, some beyond their wallet', () =>
      Promise.allSettled(
        tenants.flatMap((tenant) =>
          Array.from({ length: 4 }, (_, index) =>
            ctx.usage(tenant.customerId, 90, { eventId: `${tenant.customerId}-${index}` }),
          ),
        ),
      ),
    );
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});
