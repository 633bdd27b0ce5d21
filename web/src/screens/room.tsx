import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Entry, type Incident, planVersion } from '../api.ts';
import { useT } from '../i18n.ts';
import { useLive } from '../live.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { Failure } from '../ui/failure.tsx';
import { Changes } from './room/changes.tsx';
import { Composer } from './room/composer.tsx';
import { RoomHeader } from './room/header.tsx';
import { Roles } from './room/roles.tsx';
import { Runbooks } from './room/runbooks.tsx';
import { Tasks } from './room/tasks.tsx';
import { Timeline } from './room/timeline.tsx';

export type RoomState = { incident: Incident; fetchedAt: number };

/** The timeline grows by appending: after the first load, only entries after the last one are fetched. */
function useTimeline(ref: string) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const last = useRef<string | undefined>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const more = useCallback(async () => {
    while (inFlight.current) await inFlight.current;
    inFlight.current = (async () => {
      for (;;) {
        const r = await api.timeline(ref, last.current);
        if (r.entries.length === 0) break;
        last.current = r.entries.at(-1)!.id;
        setEntries((prev) => prev.concat(r.entries));
        if (r.entries.length < 5000) break;
      }
    })();
    try {
      await inFlight.current;
    } finally {
      inFlight.current = null;
    }
  }, [ref]);
  const reset = useCallback(() => {
    last.current = undefined;
    setEntries([]);
    return more();
  }, [more]);
  return { entries, more, reset };
}

export default function Room(props: ScreenProps) {
  const { t } = useT();
  const ref = props.params.ref!;
  const res = useResource(
    async (): Promise<RoomState> => ({ incident: await api.incident(ref), fetchedAt: Date.now() }),
    ref,
  );
  const planNumber = res.data?.incident.plan_version;
  const plan = useResource(
    () => (planNumber ? planVersion(planNumber) : new Promise<never>(() => {})),
    String(planNumber),
  );
  const members = useResource(() => api.members().then((m) => m.users), 'members');
  const timeline = useTimeline(ref);
  const { reset } = timeline;
  useEffect(() => {
    void reset();
  }, [reset]);
  const id = res.data?.incident.id;
  useLive(
    (e) => e.incidentId === id,
    () => {
      res.reload();
      void timeline.more();
    },
  );
  useLive(
    (e) => e.type === 'resync',
    () => void timeline.reset(),
  );
  const apply = (i: Incident | undefined) => {
    if (i) res.set({ incident: i, fetchedAt: Date.now() });
    void timeline.more();
  };

  if (res.error && !res.data) return <Failure error={res.error} retry={res.reload} />;
  if (!res.data || !plan.data) return <p>{t('loading')}</p>;
  const { incident } = res.data;
  const ctx = { incident, plan: plan.data, members: members.data ?? [], apply };
  return (
    <article className="room" aria-labelledby="room-title">
      <RoomHeader {...ctx} fetchedAt={res.data.fetchedAt} />
      <div className="room-grid">
        <div className="col">
          <Roles {...ctx} />
          <Tasks {...ctx} />
          <Runbooks {...ctx} />
        </div>
        <div className="col">
          <Timeline {...ctx} entries={timeline.entries} />
          <Composer {...ctx} />
          <Changes {...ctx} />
        </div>
      </div>
    </article>
  );
}
