import type { JobStatus, JobSummary, ServerStatus } from '../admin/api.js';

const time = (t: number | null) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) : '-');

export function formatJobs(jobs: JobSummary[]): string {
  if (jobs.length === 0) return 'no jobs';
  const rows = jobs.map((j) => [
    j.id.slice(0, 8),
    j.name,
    j.status,
    j.submitter,
    time(j.submitted_at),
    j.resumed ? `resumed×${j.resumed}` : '',
  ]);
  const head = ['id', 'name', 'status', 'submitter', 'submitted', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function metrics(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(' ');
}

export function formatJobStatus(s: JobStatus): string {
  const j = s.job;
  const lines = [
    `job ${j.id}  ${j.name}`,
    `status ${j.status}${j.error ? ` (${j.error})` : ''}; submitted by ${j.submitter} ${time(j.submitted_at)}; started ${time(j.started_at)}; finished ${time(j.finished_at)}${j.resumed ? `; resumed ${j.resumed}×` : ''}`,
  ];
  if (j.waiting) lines.push(j.waiting);
  if (s.rounds.length) {
    lines.push('rounds:');
    for (const r of s.rounds)
      lines.push(
        `  ${String(r.round).padStart(3)}  ${((r.finishedAt - r.startedAt) / 1000).toFixed(1)}s  sites ${r.sites.join(',')}  ${metrics(r.metrics)}`,
      );
  }
  if (s.sites.length) {
    lines.push('per site:');
    for (const r of s.sites)
      lines.push(
        `  round ${String(r.round).padStart(3)}  ${r.site.padEnd(12)} ${r.status.padEnd(8)} ${r.num_samples ?? ''} ${metrics(r.metrics)}${r.error ? ` ${r.error}` : ''}`,
      );
  }
  return lines.join('\n');
}

export function formatServerStatus(s: ServerStatus): string {
  const lines = [`server ${s.server} (project ${s.project}); ${s.sites.length} site(s) connected`];
  for (const c of s.sites)
    lines.push(
      `  ${c.name.padEnd(14)} ${c.org.padEnd(14)} since ${time(c.connected_at)}  last heartbeat ${((Date.now() - c.last_seen) / 1000).toFixed(1)}s ago`,
    );
  lines.push(`${s.jobs.length} active job(s)`);
  if (s.jobs.length) lines.push(formatJobs(s.jobs));
  for (const j of s.jobs) if (j.waiting) lines.push(`${j.id.slice(0, 8)}: ${j.waiting}`);
  return lines.join('\n');
}
