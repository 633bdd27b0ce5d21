-- After the incident: post-mortems, action items, recurrence links, stored clock results for
-- metrics, incident onsets (MTTD), drill records and drill reminders.

CREATE TABLE postmortems (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL UNIQUE REFERENCES incidents (id),
  state text NOT NULL CHECK (state IN ('draft', 'in_review', 'published')),
  title text NOT NULL,
  heading_level integer NOT NULL,
  preamble text NOT NULL DEFAULT '',
  sections jsonb NOT NULL,
  author_id uuid REFERENCES users (id),
  reviewers jsonb NOT NULL DEFAULT '[]'::jsonb,
  root_causes text[] NOT NULL DEFAULT '{}',
  due_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  published_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX postmortems_workspace ON postmortems (workspace_id, state);
CREATE INDEX postmortems_root_causes ON postmortems USING gin (root_causes);

CREATE TABLE action_items (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  number integer NOT NULL,
  title text NOT NULL,
  owner_id uuid REFERENCES users (id),
  owner_label text NOT NULL DEFAULT '',
  priority text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'wont_do')),
  due_on date,
  due_at timestamptz,
  tracker_url text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  -- Fencing for the overdue reminder: a job carries the token it was enqueued with.
  remind_token integer NOT NULL DEFAULT 0,
  reminded_at timestamptz,
  UNIQUE (incident_id, number)
);
CREATE INDEX action_items_due ON action_items (workspace_id, status, due_at);

CREATE TABLE incident_links (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  recurrence_of uuid NOT NULL REFERENCES incidents (id),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (incident_id, recurrence_of),
  CHECK (incident_id <> recurrence_of)
);
CREATE INDEX incident_links_recurrence_of ON incident_links (recurrence_of);

-- When the problem actually began, as established afterwards (or by the earliest alert's start).
CREATE TABLE incident_onsets (
  incident_id uuid PRIMARY KEY REFERENCES incidents (id),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  began_at timestamptz NOT NULL,
  source text NOT NULL,
  recorded_at timestamptz NOT NULL
);

-- Each clock's outcome when the incident resolved: targets met are counted in SQL, not replayed.
CREATE TABLE incident_clock_results (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  clock_key text NOT NULL,
  kind text NOT NULL,
  state text NOT NULL,
  slack_ms bigint,
  deadline timestamptz,
  PRIMARY KEY (incident_id, clock_key)
);
CREATE INDEX incident_clock_results_kind ON incident_clock_results (workspace_id, kind, state);

CREATE INDEX incidents_metrics ON incidents (workspace_id, drill, detected_at);

CREATE TABLE drill_records (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  drill_key text NOT NULL,
  held_at timestamptz NOT NULL,
  incident_id uuid REFERENCES incidents (id),
  scenario text,
  note text NOT NULL DEFAULT '',
  recorded_by jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX drill_records_last ON drill_records (workspace_id, drill_key, held_at);

-- One reminder per drill per due date, however often the auditor looks.
CREATE TABLE drill_reminders (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  drill_key text NOT NULL,
  due_at timestamptz NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, drill_key, due_at)
);
