import { type DrillReport, runScenario, type StepResult } from '../../drills/runner.ts';
import { parseScenario } from '../../drills/scenario.ts';
import type { Scenario } from '../../drills/scenario-schema.ts';
import { parsePlan } from '../../plans/parse.ts';
import { formatProblems } from '../../plans/problems.ts';
import { formatMs } from '../../shared/duration.ts';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, type Io, type Parsed, readSource, str } from '../framework.ts';

/** The scenario, or its problems printed one per line with line:column (exit 1). */
async function load(io: Io, p: Parsed): Promise<Scenario | number> {
  const file = p.positionals[0]!;
  const planFile = str(p, 'plan');
  let plan: Parameters<typeof parseScenario>[1] = {};
  if (planFile) {
    const r = parsePlan(await readSource(io, planFile), { filename: planFile });
    if (!r.ok) {
      io.err(`${planFile} is not a valid plan (run \`siaga plan validate ${planFile}\`)`);
      return 1;
    }
    plan = { plan: r.plan };
  }
  const r = parseScenario(await readSource(io, file), plan);
  if (r.ok) return r.scenario;
  if (flag(p, 'json')) io.out(JSON.stringify({ valid: false, problems: r.problems }, null, 2));
  else {
    for (const l of formatProblems(r.problems, file)) io.out(l);
    io.err(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${file}`);
  }
  return 1;
}

const offset = (ms: number) => (ms === 0 ? '0s' : formatMs(ms));

function progressLine(r: StepResult, total: number): string {
  const mark = r.outcome === 'ok' ? 'ok' : r.outcome === 'skipped' ? 'skipped' : 'FAILED';
  const head = `[${String(r.n).padStart(String(total).length)}/${total}] +${offset(r.at_ms).padEnd(6)} ${r.action.padEnd(8)} ${mark.padEnd(7)} ${r.detail}`;
  const checks = r.expectations.map(
    (e) => `      expect ${e.check}: ${e.passed ? 'passed' : `FAILED (found ${e.found})`}`,
  );
  return [head, ...checks].join('\n');
}

function reportLines(r: DrillReport): string[] {
  const out = ['', `Drill report: ${r.title}${r.incident ? ` (${r.incident}, drill)` : ''}`];
  const count = (o: StepResult['outcome']) => r.steps.filter((s) => s.outcome === o).length;
  out.push(
    `Steps: ${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped of ${r.steps.length}`,
  );
  const checks = r.steps.flatMap((s) => s.expectations.map((e) => ({ ...e, n: s.n })));
  if (checks.length > 0) {
    out.push('Expectations:');
    for (const e of checks)
      out.push(`  step ${e.n}: ${e.check}  ${e.passed ? 'passed' : `FAILED (found ${e.found})`}`);
  }
  if (r.clocks.length > 0) {
    out.push('Clocks:');
    for (const c of r.clocks) {
      const slack =
        c.slack_ms === null
          ? ''
          : c.slack_ms >= 0
            ? ` (${formatMs(Math.max(Math.round(c.slack_ms / 1000) * 1000, 1000))} to spare)`
            : ` (by ${formatMs(Math.max(Math.round(-c.slack_ms / 1000) * 1000, 1000))})`;
      out.push(
        `  ${c.key.padEnd(28)} ${c.result}${c.result === 'met' || c.result === 'missed' ? slack : ` (${c.state})`}`,
      );
    }
  }
  if (r.compressed)
    out.push(
      `Note: run at --speed ${r.speed}; the server judged clocks on the real time that passed, ${r.speed}× shorter than the scenario's.`,
    );
  if (r.held) out.push(`Recorded drill "${r.held}" as held.`);
  out.push(r.ok ? 'Drill passed.' : 'Drill FAILED.');
  return out;
}

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const planOpt = {
  plan: { type: 'string', value: 'PLAN', description: 'Also check every key against this plan file' },
} as const;

export const drillCommands: Command[] = [
  {
    path: ['drill', 'validate'],
    summary: 'Check a drill scenario file; every problem with line:column and path',
    args: ['FILE'],
    options: { ...planOpt, ...json },
    async run(p, io) {
      const s = await load(io, p);
      if (typeof s === 'number') return s;
      if (flag(p, 'json')) io.out(JSON.stringify({ valid: true, steps: s.steps.length }, null, 2));
      else
        io.out(
          `${p.positionals[0]} is a valid drill scenario: ${s.steps.length} steps over ${offset(s.steps.at(-1)!.at)}`,
        );
      return 0;
    },
  },
  {
    path: ['drill', 'run'],
    summary: 'Run a drill scenario against the server (a drill incident), then print the drill report',
    args: ['FILE'],
    details:
      "Waits the scenario's time between steps divided by --speed. Clocks are judged by the server on real time:\n" +
      'at --speed 60 a 15-minute target is met or missed on the 15 seconds that actually pass, and the report says so.\n' +
      "`alert` steps POST an Alertmanager-style webhook to --alert-url (or the file's alert_url); without one they are skipped.\n" +
      'Exit status 1 when a step or an expectation failed.',
    options: {
      speed: { type: 'string', value: 'N', description: 'Run N times faster than the scenario (default 1)' },
      'alert-url': { type: 'string', value: 'URL', description: 'Alert integration URL for `alert` steps' },
      ...planOpt,
      ...json,
    },
    async run(p, io) {
      const speed = Number(str(p, 'speed') ?? '1');
      if (!Number.isFinite(speed) || speed <= 0)
        throw new CliError(`--speed must be a number above 0, not "${str(p, 'speed')}"`);
      const s = await load(io, p);
      if (typeof s === 'number') return s;
      const asJson = flag(p, 'json');
      const alertUrl = str(p, 'alert-url');
      const report = await runScenario(clientFrom(io.env), s, {
        speed,
        ...(alertUrl ? { alertUrl } : {}),
        ...(asJson ? {} : { progress: (r, total) => io.out(progressLine(r, total)) }),
      });
      if (asJson) io.out(JSON.stringify(report, null, 2));
      else for (const l of reportLines(report)) io.out(l);
      return report.ok ? 0 : 1;
    },
  },
];
