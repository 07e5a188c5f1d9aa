import { join } from 'node:path';
import { describe } from 'vitest';
import { defineScenario } from '../../src/scenarios/define.ts';
import { scenarioTests } from '../../src/vitest/index.ts';
import { stubSut } from './stub-sut.ts';

// The generated tests run the scenario and assert the verdict: a broken engine, fake or
// checker makes them fail.
describe('scenarioTests makes one vitest test per scenario × PSP', async () => {
  await scenarioTests(
    [
      {
        scenario: defineScenario({
          name: 'usage through scenarioTests',
          pattern: 'byo-stripe',
          psps: ['stripe'],
          async run(ctx) {
            const customer = await ctx.customer();
            await ctx.usage(customer.customerId, 300);
            await ctx.advance('31d');
          },
        }),
      },
    ],
    { sut: () => stubSut() },
  );
});

// The same through a service the helper starts itself, one fresh process per test.
describe('scenarioTests with sutCmd', async () => {
  await scenarioTests('tests/fixtures/tiny.scenario.ts', {
    sutCmd: `${JSON.stringify(process.execPath)} tests/fixtures/tiny-service.ts`,
    cwd: join(import.meta.dirname, '..', '..'),
  });
});
