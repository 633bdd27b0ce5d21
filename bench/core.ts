/**
 * bench:core — declare-incident and add-timeline-entry throughput and latency through the HTTP
 * API, on the embedded database and on PostgreSQL, and the server's idle memory.
 *   npm run bench:core [-- --seconds 10 --connections 16]
 */
import { parseArgs } from 'node:util';
import {
  type Backend,
  freshStorage,
  type Load,
  load,
  printTable,
  rssMiB,
  startServer,
  TOKEN,
} from './support.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const backends: Backend[] = ['pglite', 'postgres'];
const rows: (string | number)[][] = [
  ['backend', 'operation', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors'],
];
const memory: (string | number)[][] = [['backend', 'idle RSS MiB (after start)', 'RSS MiB after load']];

for (const backend of backends) {
  const storage = await freshStorage(backend);
  const server = await startServer(storage.env);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const idle = rssMiB(server.pid);
    const first = await fetch(`${server.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Benchmark incident', type: 'outage' }),
    });
    if (first.status !== 201) throw new Error(`declare failed: ${first.status} ${await first.text()}`);
    const { ref } = (await first.json()) as { ref: string };
    const results: Load[] = [
      await load('declare incident', {
        url: `${server.url}/api/v1/incidents`,
        method: 'POST',
        body: { title: 'Checkout failing for some customers', type: 'outage' },
        connections,
        seconds,
      }),
      await load('add timeline entry', {
        url: `${server.url}/api/v1/incidents/${ref}/notes`,
        method: 'POST',
        body: { text: 'Rolled back the deploy; watching error rates.' },
        connections,
        seconds,
      }),
      await load('read incident', {
        url: `${server.url}/api/v1/incidents/${ref}`,
        method: 'GET',
        connections,
        seconds,
      }),
    ];
    for (const r of results) {
      rows.push([backend, r.label, r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), r.total, r.errors]);
    }
    memory.push([backend, idle.toFixed(1), rssMiB(server.pid).toFixed(1)]);
  } finally {
    await server.stop();
    await storage.drop();
  }
}

console.log(`\nSiaga core through HTTP, ${connections} connections, ${seconds} s per operation\n`);
printTable(rows);
console.log('');
printTable(memory);
