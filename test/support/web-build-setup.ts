import { buildWeb } from '../../scripts/build-web.ts';

/** End-to-end tests drive the built app: build it first when web/ changed since the last build. */
export default async function setup(): Promise<void> {
  await buildWeb({ ifStale: true, quiet: true });
}
