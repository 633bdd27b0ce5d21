-- Core: workspaces and access, plan versions, incidents, the audit chain.

CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  incident_seq integer NOT NULL DEFAULT 0,
  active_plan_version_id uuid,
  created_at timestamptz NOT NULL
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);

CREATE TABLE memberships (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE plan_versions (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  version integer NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  source text NOT NULL,
  sha256 text NOT NULL,
  comment text,
  created_at timestamptz NOT NULL,
  created_by jsonb NOT NULL,
  CONSTRAINT plan_versions_workspace_version UNIQUE (workspace_id, version)
);

ALTER TABLE workspaces
  ADD CONSTRAINT workspaces_active_plan FOREIGN KEY (active_plan_version_id) REFERENCES plan_versions (id);

CREATE TABLE incidents (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  number integer NOT NULL,
  plan_version_id uuid NOT NULL REFERENCES plan_versions (id),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  impact text NOT NULL DEFAULT '',
  type_key text NOT NULL,
  severity_key text NOT NULL,
  severity_rank integer NOT NULL,
  status text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
  phase_key text,
  drill boolean NOT NULL DEFAULT false,
  services text[] NOT NULL,
  tenants text[] NOT NULL,
  correlation_ids text[] NOT NULL,
  detected_at timestamptz NOT NULL,
  declared_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by jsonb,
  mitigated_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  postmortem_published_at timestamptz,
  created_by jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT incidents_workspace_number UNIQUE (workspace_id, number)
);
CREATE INDEX incidents_open ON incidents (workspace_id, status, severity_rank, declared_at DESC);

CREATE TABLE incident_roles (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  role_key text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  assigned_at timestamptz NOT NULL,
  CONSTRAINT incident_roles_one_holder UNIQUE (incident_id, role_key)
);

CREATE TABLE incident_tasks (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  source text NOT NULL CHECK (source IN ('containment', 'checklist', 'phase', 'adhoc')),
  source_key text,
  position integer NOT NULL,
  title text NOT NULL,
  title_i18n jsonb,
  role_key text,
  assignee_id uuid REFERENCES users (id),
  due_at timestamptz,
  done_at timestamptz,
  done_by jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, position);

CREATE TABLE incident_events (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  at timestamptz NOT NULL,
  actor jsonb NOT NULL,
  kind text NOT NULL,
  text text NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, seq);

CREATE TABLE incident_updates (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  audience text NOT NULL,
  template_key text,
  subject text,
  body text NOT NULL,
  fields jsonb NOT NULL,
  status_at_post text NOT NULL,
  posted_at timestamptz NOT NULL,
  posted_by jsonb NOT NULL,
  next_update_due_at timestamptz
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, posted_at);

CREATE TABLE incident_phases (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  phase_key text NOT NULL,
  entered_at timestamptz NOT NULL,
  completed_at timestamptz,
  CONSTRAINT incident_phases_once UNIQUE (incident_id, phase_key)
);

CREATE TABLE incident_obligations (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  obligation_key text NOT NULL,
  started_at timestamptz,
  met_at timestamptz,
  waived_at timestamptz,
  note text NOT NULL DEFAULT '',
  CONSTRAINT incident_obligations_once UNIQUE (incident_id, obligation_key)
);

CREATE TABLE audit_log (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor jsonb NOT NULL,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text,
  data jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (workspace_id, seq)
);

CREATE TABLE audit_heads (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
  seq bigint NOT NULL,
  hash text NOT NULL
);

-- The audit log and the timeline are append-only. Only a superuser who disables the triggers
-- can change history, and the hash chain shows it when they do.
CREATE FUNCTION siaga_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION siaga_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION siaga_refuse_change();
CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
  FOR EACH ROW EXECUTE FUNCTION siaga_refuse_change();
CREATE TRIGGER incident_events_no_truncate BEFORE TRUNCATE ON incident_events
  FOR EACH STATEMENT EXECUTE FUNCTION siaga_refuse_change();
