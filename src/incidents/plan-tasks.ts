import { checklistFor, type NormalisedItem, type Plan, phaseChecklists, pick } from '../plans/index.ts';
import { addDuration } from '../shared/calendar.ts';

export type TaskSeed = {
  source: 'containment' | 'checklist' | 'phase';
  sourceKey: string;
  title: string;
  titleI18n: { en?: string; id?: string } | null;
  roleKey: string | null;
  dueAt: Date | null;
};

function seed(
  plan: Plan,
  source: TaskSeed['source'],
  sourceKey: string,
  item: NormalisedItem,
  detectedAt: Date,
): TaskSeed {
  return {
    source,
    sourceKey,
    title: pick(item.text, plan.language),
    // Kept so the app can show the item in the reader's language.
    titleI18n: typeof item.text === 'string' ? null : item.text,
    roleKey: item.role ?? null,
    dueAt: item.due ? addDuration(detectedAt, item.due, plan.calendar) : null,
  };
}

/** The type's containment steps and shared checklists: the first tasks of a new incident. */
export function typeTasks(plan: Plan, typeKey: string, detectedAt: Date): TaskSeed[] {
  return checklistFor(plan, typeKey).flatMap((part) =>
    part.items.map((item) => seed(plan, part.source, part.sourceKey, item, detectedAt)),
  );
}

/** Each phase's checklist (inline and shared), in phase order, filed under the phase. */
export function phaseTasks(plan: Plan, detectedAt: Date): TaskSeed[] {
  return phaseChecklists(plan).flatMap((part) =>
    part.items.map((item) => seed(plan, 'phase', part.phase, item, detectedAt)),
  );
}
