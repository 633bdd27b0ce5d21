import type { Notice } from '../../src/kernel/ports.ts';
import type { SiagaModule } from '../../src/server/modules.ts';

/** A Notifier that records what it was handed, with the instant, in place of the notify module. */
export function recordingNotifier(): SiagaModule & { notices: (Notice & { at: Date })[] } {
  const notices: (Notice & { at: Date })[] = [];
  return {
    name: 'recording-notifier',
    notices,
    provide(env) {
      env.notifier = {
        async notify(ctx, notice) {
          notices.push({ ...notice, at: ctx.now });
        },
      };
    },
  };
}
