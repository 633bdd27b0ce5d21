import type { Incident, Member, Plan } from '../../api.ts';

/** What every part of the incident room gets: the incident, its plan version, and how to apply a change. */
export type RoomProps = {
  incident: Incident;
  plan: Plan;
  members: Member[];
  /** Shows the incident a change returned and fetches the timeline entries it added. */
  apply: (incident: Incident | undefined) => void;
};
