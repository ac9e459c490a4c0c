#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminAPI } from '../admin/api.js';
import { FLClient } from '../client/client.js';
import { loadKit } from '../kit/kit.js';
import { loadProject } from '../kit/project.js';
import { provision } from '../kit/provision.js';
import { FLServer } from '../server/server.js';
import { formatJobStatus, formatJobs, formatServerStatus } from './format.js';

const USAGE = `tessera-fl — federated learning: provisioning, mutual-TLS server and clients, jobs

  tessera-fl provision <project.yml> [-w workspace]   write signed startup kits (run again to add/remove participants)
  tessera-fl start <kit-dir> [--port N]                start a server or client from its startup kit
  tessera-fl submit <job-dir> [--wait]                 sign and submit a job          (admin commands take
  tessera-fl list                                      list jobs                       --kit <admin-kit-dir>
  tessera-fl status [job-id]                           server or job status            or TESSERA_FL_KIT)
  tessera-fl abort|clone|delete <job-id>
  tessera-fl download <job-id> [-o dir]                job folder + result (model, history, plot)
  tessera-fl poc start [--clients N] [-w dir]          provision and run server + N clients on loopback
  tessera-fl simulate <job-dir> --clients N --threads T
  tessera-fl demo                                      a short federation on loopback, offline`;

function fail(msg: string, code = 1): never {
  process.stderr.write(`tessera-fl: ${msg}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string', short: 'w' },
      kit: { type: 'string', short: 'k' },
      port: { type: 'string' },
      out: { type: 'string', short: 'o' },
      wait: { type: 'boolean' },
      clients: { type: 'string', short: 'n' },
      threads: { type: 'string', short: 't' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, ...rest] = positionals;
  if (!cmd || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const admin = () => {
    const kit = values.kit ?? process.env.TESSERA_FL_KIT;
    if (!kit)
      fail(
        `${cmd} needs an admin startup kit: --kit <workspace>/<project>/kits/<admin> (or set TESSERA_FL_KIT)`,
      );
    return AdminAPI.fromKit(kit);
  };
  const out = (human: string, data: unknown) =>
    process.stdout.write(`${values.json ? JSON.stringify(data, null, 2) : human}\n`);
  const need = (what: string) => rest[0] ?? fail(`${cmd} needs ${what}\n\n${USAGE}`);

  switch (cmd) {
    case 'provision': {
      const file = need('a project.yml');
      const ws = resolve(values.workspace ?? 'workspace');
      const project = loadProject(file);
      const t0 = Date.now();
      const r = await provision(project, ws, (done, total) => {
        if (total >= 50 && (done % 100 === 0 || done === total))
          process.stderr.write(`\r  certificates ${done}/${total}`);
      });
      if (project.participants.length >= 50) process.stderr.write('\n');
      out(
        `provisioned project ${project.name} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n  kits: ${r.kitsDir}\n  new: ${r.created.join(', ') || '-'}\n  kept: ${r.kept.join(', ') || '-'}\n  removed: ${r.removed.join(', ') || '-'}\n  root CA key (keep private): ${r.projectDir}/state/rootCA.key`,
        r,
      );
      return;
    }
    case 'start': {
      const kit = loadKit(need('a startup kit folder'));
      const port = values.port ? Number(values.port) : undefined;
      if (kit.config.type === 'server') {
        const server = new FLServer(kit, { port });
        await server.start();
        const stop = async () => {
          await server.stop();
          process.exit(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } else if (kit.config.type === 'client') {
        const address = port ? `${kit.config.server.host}:${port}` : undefined;
        const client = new FLClient(kit, { address });
        client.start();
        const stop = async () => {
          await client.stop();
          process.exit(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        const reason = await client.finished;
        if (reason !== 'stopped') fail(reason, 2);
      } else {
        fail(
          `${kit.dir} is an admin kit; admins do not "start" — use submit/list/status with --kit ${kit.dir}`,
        );
      }
      return;
    }
    case 'submit': {
      const api = admin();
      const job = await api.submit(need('a job folder'));
      out(`submitted job ${job.id} (${job.name})`, job);
      if (values.wait) {
        let seen = 0;
        let lastWaiting: string | undefined;
        const s = await api.waitFor(job.id, {
          onStatus: (st) => {
            if (st.job.waiting && st.job.waiting !== lastWaiting)
              process.stdout.write(`  ${st.job.waiting}\n`);
            lastWaiting = st.job.waiting;
            for (const r of st.rounds.slice(seen))
              process.stdout.write(
                `  round ${r.round}: ${r.sites.length} site(s) ${Object.entries(r.metrics)
                  .map(([k, v]) => `${k}=${v.toFixed(4)}`)
                  .join(' ')}\n`,
              );
            seen = st.rounds.length;
          },
        });
        out(formatJobStatus(s), s);
        if (s.job.status !== 'finished') process.exitCode = 3;
      }
      return;
    }
    case 'list': {
      const jobs = await admin().list();
      out(formatJobs(jobs), jobs);
      return;
    }
    case 'status': {
      const api = admin();
      if (rest[0]) {
        const s = await api.status(rest[0]);
        out(formatJobStatus(s), s);
      } else {
        const s = await api.status();
        out(formatServerStatus(s), s);
      }
      return;
    }
    case 'abort':
    case 'clone':
    case 'delete': {
      const api = admin();
      const id = need('a job id');
      const r =
        cmd === 'abort' ? await api.abort(id) : cmd === 'clone' ? await api.clone(id) : await api.delete(id);
      out(`${cmd}: ${JSON.stringify(r)}`, r);
      return;
    }
    case 'download': {
      const id = need('a job id');
      const dir = resolve(values.out ?? `job-${id.slice(0, 8)}`);
      const r = await admin().download(id, dir);
      out(`downloaded job ${r.id} (${r.status}) to ${dir}: ${r.files.length} files`, r);
      return;
    }
    case 'poc': {
      if (rest[0] !== 'start') fail('usage: tessera-fl poc start [--clients N] [-w dir]');
      const { startPoc } = await import('../poc/poc.js');
      await startPoc({
        clients: Number(values.clients ?? 2),
        workspace: resolve(values.workspace ?? 'poc-workspace'),
        port: values.port ? Number(values.port) : undefined,
      });
      return;
    }
    case 'simulate': {
      const { runSimulateCommand } = await import('./simulate.js');
      await runSimulateCommand(need('a job folder'), {
        clients: Number(values.clients ?? 2),
        threads: Number(values.threads ?? 1),
        out: values.out,
      });
      return;
    }
    case 'demo': {
      const { runDemo } = await import('../poc/demo.js');
      await runDemo();
      return;
    }
    default:
      fail(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e: Error) => fail(e.message));
