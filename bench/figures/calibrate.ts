// The calibration workload (a child process of its own): a fixed, project-independent mix of
// what the fakes spend their time on — objects, JSON, strings, maps, sorting — whose time is
// "1 cal". Figures with no server to compare against (wall times) are reported in cal, so a
// faster or busier machine moves them less than their raw seconds. Prints `RESULT {ms}`.
import { printResult } from '../lib/proc.ts';

function workload(): number {
  const map = new Map<string, { readonly id: string; readonly amount: number }>();
  let checksum = 0;
  for (let n = 0; n < 40_000; n++) {
    const object = {
      id: `obj_${n.toString(36)}`,
      amount: n * 7,
      currency: 'usd',
      metadata: { order: String(n % 97), note: 'calibration' },
      lines: [{ quantity: n % 5, price: 'price_1' }],
    };
    const text = JSON.stringify(object, null, 2);
    const parsed = JSON.parse(text) as typeof object;
    const keys = Object.keys(parsed).sort().join(',');
    checksum += parsed.amount + keys.length + text.length;
    map.set(parsed.id, parsed);
    if (map.size > 5_000) map.clear();
  }
  return checksum;
}

const times: number[] = [];
workload();
for (let round = 0; round < 7; round++) {
  const started = performance.now();
  workload();
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
printResult({ ms: times[3]! });
