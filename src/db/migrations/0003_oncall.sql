-- On-call (teams, schedules with layers and overrides, calendar feeds, the on-call file) and
-- escalation (a snapshot of the policy per incident, one row per step with its due time and
-- fencing token, one row per page handed to the notifier).

CREATE TABLE oncall_files (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
  source text NOT NULL,
  sha256 text NOT NULL,
  -- Plan role and contact keys mapped to targets, and escalation policies, as applied.
  roles jsonb NOT NULL,
  contacts jsonb NOT NULL,
  policies jsonb NOT NULL,
  applied_at timestamptz NOT NULL,
  applied_by jsonb NOT NULL
);

CREATE TABLE oncall_teams (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  key text NOT NULL,
  name text NOT NULL,
  schedule_key text,
  from_file boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT oncall_teams_key UNIQUE (workspace_id, key)
);

CREATE TABLE oncall_team_members (
  team_id uuid NOT NULL REFERENCES oncall_teams (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  position integer NOT NULL,
  PRIMARY KEY (team_id, user_id)
);

CREATE TABLE oncall_schedules (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  key text NOT NULL,
  name text NOT NULL,
  time_zone text NOT NULL,
  -- Layers in order (the last covering one wins): participants, shift, handoff, start, until.
  layers jsonb NOT NULL,
  feed_token text NOT NULL UNIQUE,
  from_file boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT oncall_schedules_key UNIQUE (workspace_id, key)
);

CREATE TABLE oncall_overrides (
  id uuid PRIMARY KEY,
  schedule_id uuid NOT NULL REFERENCES oncall_schedules (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  from_file boolean NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX oncall_overrides_schedule ON oncall_overrides (schedule_id, ends_at);

CREATE TABLE oncall_user_feeds (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL REFERENCES users (id),
  token text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

-- One row per shift-change notice sent: the periodic job inserts first, so a notice is sent once.
CREATE TABLE oncall_shift_notices (
  schedule_id uuid NOT NULL REFERENCES oncall_schedules (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  starts_at timestamptz NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (schedule_id, user_id, starts_at)
);

CREATE TABLE escalations (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL UNIQUE REFERENCES incidents (id),
  -- Bumped when a severity change re-plans the escalation; steps of older generations are void.
  generation integer NOT NULL,
  policy jsonb NOT NULL,
  severity_key text NOT NULL,
  started_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'stopped', 'exhausted')),
  stopped_at timestamptz,
  stop_reason text
);

CREATE TABLE escalation_steps (
  id uuid PRIMARY KEY,
  escalation_id uuid NOT NULL REFERENCES escalations (id),
  generation integer NOT NULL,
  round integer NOT NULL,
  position integer NOT NULL,
  label text,
  condition text NOT NULL CHECK (condition IN ('unacknowledged', 'unresolved', 'always')),
  targets jsonb NOT NULL,
  -- Null for a step the policy leaves to a person ("taken by hand").
  due_at timestamptz,
  -- A job carries the token it was sent with; a job whose token no longer matches does nothing.
  token uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'manual', 'done', 'skipped', 'cancelled')),
  ran_at timestamptz,
  outcome text,
  CONSTRAINT escalation_steps_slot UNIQUE (escalation_id, generation, round, position)
);
CREATE INDEX escalation_steps_due ON escalation_steps (due_at) WHERE state = 'pending';

-- One row per page: written in the same transaction as the notice, unique by its dedup key.
CREATE TABLE escalation_pages (
  dedup_key text PRIMARY KEY,
  step_id uuid NOT NULL REFERENCES escalation_steps (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  recipients jsonb NOT NULL,
  paged_at timestamptz NOT NULL,
  handed_to_notifier boolean NOT NULL
);
