import { type FormEvent, memo } from 'react';
import { api, type Incident } from '../../api.ts';
import { pick, useT } from '../../i18n.ts';
import { useAction } from '../../ui/action.ts';
import { Failure } from '../../ui/failure.tsx';
import { time } from '../../ui/format.ts';
import type { RoomProps } from './types.ts';

type Task = Incident['tasks'][number];

// Memoised: with 200 tasks, ticking one must not re-render the other 199.
const TaskRow = memo(function TaskRow(props: {
  task: Task;
  incidentRef: string;
  members: RoomProps['members'];
  apply: RoomProps['apply'];
}) {
  const { t, lang } = useT();
  const act = useAction();
  const task = props.task;
  const title = pick(task.title_i18n, lang) || task.title;
  const overdue = !task.done_at && task.due_at !== null && Date.parse(task.due_at) < Date.now();
  return (
    <li className={task.done_at ? 'done' : overdue ? 'overdue' : ''} data-task={task.id}>
      <label className="inline">
        <input
          type="checkbox"
          checked={!!task.done_at}
          disabled={act.busy}
          onChange={(e) =>
            act
              .run(() => api.patchTask(props.incidentRef, task.id, { done: e.target.checked }))
              .then(props.apply)
          }
        />{' '}
        {title}
      </label>
      {task.due_at && (
        <span className="due">
          {overdue && <strong>⚠ {t('clock.breached')} </strong>}
          {time(task.due_at, lang)}
        </span>
      )}
      <select
        aria-label={t('room.assignee', { task: title })}
        value={task.assignee ?? ''}
        onChange={(e) =>
          act
            .run(() => api.patchTask(props.incidentRef, task.id, { assignee: e.target.value || null }))
            .then(props.apply)
        }
      >
        <option value="">{t('room.nobody')}</option>
        {props.members.map((m) => (
          <option key={m.id} value={m.email}>
            {m.email}
          </option>
        ))}
      </select>
      {act.error && <Failure error={act.error} />}
    </li>
  );
});

export function Tasks(props: RoomProps) {
  const { t, lang } = useT();
  const add = useAction();
  const i = props.incident;
  const groups = new Map<string, Task[]>();
  for (const task of i.tasks) {
    const k = `${task.source}:${task.source_key ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), task]);
  }
  const heading = (k: string) => {
    const [source, key] = k.split(':');
    if (source === 'checklist')
      return pick(props.plan.checklists.find((c) => c.key === key)?.label, lang) || key;
    if (source === 'phase') return pick(props.plan.phases.find((c) => c.key === key)?.label, lang) || key;
    return source;
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const title = String(new FormData(form).get('title') ?? '');
    const r = await add.run(() => api.addTask(i.ref, title));
    if (r) form.reset();
    props.apply(r);
  };
  return (
    <section aria-labelledby="tasks-title" className="card">
      <h2 id="tasks-title">
        {t('room.tasks')} ({i.tasks.filter((x) => x.done_at).length}/{i.tasks.length})
      </h2>
      {[...groups].map(([k, tasks]) => (
        <div key={k} className="task-group" data-group={k}>
          <h3>{heading(k)}</h3>
          <ul className="plain tasks">
            {tasks.map((task) => (
              <TaskRow
                key={task.id}
                task={task}
                incidentRef={i.ref}
                members={props.members}
                apply={props.apply}
              />
            ))}
          </ul>
        </div>
      ))}
      <form onSubmit={submit} className="row">
        <label className="sr-only" htmlFor="new-task">
          {t('room.taskTitle')}
        </label>
        <input id="new-task" name="title" placeholder={t('room.taskTitle')} required maxLength={200} />
        <button type="submit" disabled={add.busy}>
          {t('room.addTask')}
        </button>
      </form>
      {add.error && <Failure error={add.error} />}
    </section>
  );
}
