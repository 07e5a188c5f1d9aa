import { refusalText } from '../../assertions/explain.ts';
import type { JournalRecord } from '../../sim/journal.ts';
import type { ScenarioResult } from '../runner.ts';
import { summarize, summaryLine } from '../suite.ts';

/** Most journal lines drawn per sequence diagram; the rest are counted, not drawn. */
export const diagramLinesMax = 400;

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const style = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2433;background:#fafbfc}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse}td,th{padding:.3rem .7rem;border:1px solid #d6dae1;text-align:left}
.passed{color:#137333}.failed,.errored{color:#b3261e}.skipped{color:#6b7280}
.run{background:#fff;border:1px solid #d6dae1;border-radius:8px;padding:1rem;margin:1rem 0}
code{background:#eef1f5;padding:.1rem .3rem;border-radius:4px}
.break{border-left:4px solid #b3261e;padding:.2rem .8rem;margin:.5rem 0}
.sut-output pre{background:#1d2433;color:#e8ecf2;padding:.6rem;border-radius:6px;overflow-x:auto;font-size:12px}
svg text{font:12px system-ui,sans-serif}`;

/**
 * A self-contained HTML report: the pattern × PSP summary, and for each failing run its
 * breaks, the faults that fired and a sequence diagram of SUT ↔ PSP calls and webhooks.
 */
export function htmlReport(results: readonly ScenarioResult[]): string {
  const failing = results.filter((result) => result.status === 'failed' || result.status === 'errored');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fakepsp report</title><style>${style}</style></head>
<body>
<h1>fakepsp report</h1>
<p id="summary">${summaryLine(results)}</p>
${summaryTable(results)}
<h2>Failing runs</h2>
${failing.length === 0 ? '<p>None: every ledger reconciled with the PSPs.</p>' : `${failingIndex(failing)}\n${failing.map(runSection).join('\n')}`}
<h2>All runs</h2>
<ul>${results.map((result) => `<li class="${result.status}">${result.status} · ${escape(result.scenario)} [${escape(result.pattern)} · ${result.psp}]${result.reason === undefined ? '' : ` — ${escape(result.reason)}`}</li>`).join('')}</ul>
</body></html>
`;
}

// With dozens of failing runs, a list to jump from.
function failingIndex(failing: readonly ScenarioResult[]): string {
  const items = failing.map(
    (result, index) =>
      `<li class="${result.status}"><a href="#run-${index + 1}">${escape(result.scenario)}</a> ${escape(tagOf(result))}</li>`,
  );
  return `<nav id="failing-index"><ol>${items.join('')}</ol></nav>`;
}

function tagOf(result: ScenarioResult): string {
  return `[${result.pattern} · ${result.psp} · seed ${result.seed}]`;
}

function summaryTable(results: readonly ScenarioResult[]): string {
  const patterns = [...new Set(results.map((result) => result.pattern))];
  const psps = [...new Set(results.map((result) => result.psp))];
  const cell = (pattern: string, psp: string) => {
    const counts = summarize(results.filter((result) => result.pattern === pattern && result.psp === psp));
    const ran = counts.total - counts.skipped;
    if (counts.total === 0) return '<td></td>';
    if (ran === 0) return `<td class="skipped">skipped ${counts.skipped}</td>`;
    return `<td class="${counts.passed === ran ? 'passed' : 'failed'}">${counts.passed}/${ran}</td>`;
  };
  return `<table><tr><th>pattern</th>${psps.map((psp) => `<th>${psp}</th>`).join('')}</tr>${patterns
    .map((pattern) => `<tr><td>${escape(pattern)}</td>${psps.map((psp) => cell(pattern, psp)).join('')}</tr>`)
    .join('')}</table>`;
}

function runSection(result: ScenarioResult, index: number): string {
  const faults = result.journal.flatMap((record) =>
    record.kind === 'fault' && 'effect' in record.data ? [record.data.effect] : [],
  );
  return `<section class="run" id="run-${index + 1}" data-status="${result.status}">
<h3 class="${result.status}">${escape(result.scenario)} <small>${escape(tagOf(result))}</small></h3>
<p>Replay: <code>${escape(result.replay)}</code></p>
${result.reason === undefined ? '' : `<p class="errored">${escape(result.reason)}</p>`}
${result.step === undefined ? '' : `<p class="step">In step <strong>${escape(result.step)}</strong></p>`}
${serviceOutput(result)}
${result.findings.map((finding) => `<div class="break"><strong>${escape(finding.kind)}</strong> — ${escape(finding.message)}</div>`).join('')}
<p>${faults.length} fault(s) fired${faults.length === 0 ? '' : `: ${faults.map((effect) => escape(JSON.stringify(effect))).join(', ')}`}</p>
${sequenceDiagram(result.journal)}
</section>`;
}

// The service's own words next to the step that broke: what a developer reads first.
function serviceOutput(result: ScenarioResult): string {
  const lines = result.sutOutput ?? [];
  if (lines.length === 0) return '';
  return `<details class="sut-output" open><summary>Your service's output during the run (last ${lines.length} lines)</summary><pre>${escape(lines.join('\n'))}</pre></details>`;
}

interface Arrow {
  /** The journal line the arrow draws, as breaks cite it (`#23`). */
  readonly seq?: number;
  readonly fromSut: boolean;
  readonly label: string;
  readonly bad: boolean;
}

function arrowOf(record: JournalRecord): Arrow | undefined {
  switch (record.kind) {
    case 'request':
      return { fromSut: true, label: `${record.data.method} ${record.data.path}`, bad: false };
    case 'response': {
      const { status, error } = record.data;
      return { fromSut: false, label: `← ${status}${refusalText(error)}`, bad: status >= 400 };
    }
    case 'webhook_attempt': {
      const { status, error, fault, eventType, attempt } = record.data;
      const answer = status === undefined ? String(error) : String(status);
      const label = `${String(eventType)} #${String(attempt)} → ${answer}${fault === undefined ? '' : ` (${fault})`}`;
      return { fromSut: false, label, bad: status === undefined || status >= 300 || fault !== undefined };
    }
    case 'fault':
      return 'effect' in record.data
        ? { fromSut: false, label: `FAULT ${JSON.stringify(record.data.effect)}`, bad: true }
        : undefined;
    case 'clock':
      return { fromSut: true, label: `clock → ${new Date(record.data.nowMs).toISOString()}`, bad: false };
    default:
      return undefined;
  }
}

/** An SVG sequence diagram: SUT on the left, the PSP on the right, time flowing down. */
function sequenceDiagram(journal: readonly JournalRecord[]): string {
  const arrows = journal.flatMap((record) => {
    const arrow = arrowOf(record);
    return arrow === undefined ? [] : [{ ...arrow, seq: record.seq }];
  });
  const drawn = arrows.slice(0, diagramLinesMax);
  const rowHeight = 22;
  const height = 40 + drawn.length * rowHeight;
  const [left, right] = [120, 620];
  const rows = drawn.map((arrow, index) => {
    const y = 40 + index * rowHeight;
    const [x1, x2] = arrow.fromSut ? [left, right] : [right, left];
    const colour = arrow.bad ? '#b3261e' : '#44546a';
    return `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${colour}" marker-end="url(#head)"/><text x="${(left + right) / 2}" y="${y - 4}" text-anchor="middle" fill="${colour}">${escape(`#${arrow.seq} ${arrow.label}`.slice(0, 96))}</text>`;
  });
  const more = arrows.length - drawn.length;
  return `<svg class="sequence" width="740" height="${height}" role="img" aria-label="sequence diagram">
<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#44546a"/></marker></defs>
<text x="${left}" y="16" text-anchor="middle" font-weight="bold">SUT</text><text x="${right}" y="16" text-anchor="middle" font-weight="bold">PSP</text>
<line x1="${left}" y1="24" x2="${left}" y2="${height}" stroke="#c3c9d2"/><line x1="${right}" y1="24" x2="${right}" y2="${height}" stroke="#c3c9d2"/>
${rows.join('\n')}
</svg>${more > 0 ? `<p>${more} more journal line(s) not drawn (diagramLinesMax).</p>` : ''}`;
}
