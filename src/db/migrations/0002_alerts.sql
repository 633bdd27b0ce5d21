-- Alert intake: integrations (each with its own secret), deduplicated alerts, their links to
-- incidents, the groups that decide which incident an alert joins, and silences.

CREATE TABLE integrations (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id),
  name text NOT NULL,
  type text NOT NULL,
  -- SHA-256 of the secret: a stolen database does not let anyone send alerts.
  secret_hash text NOT NULL UNIQUE,
  secret_hint text NOT NULL,
  mapping jsonb,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  rotated_at timestamptz,
  disabled_at timestamptz,
  CONSTRAINT integrations_workspace_name UNIQUE (workspace_id, name)
);

CREATE TABLE alerts (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id),
  integration_id uuid REFERENCES integrations(id),
  source text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL,
  title text NOT NULL,
  labels jsonb NOT NULL,
  annotations jsonb NOT NULL,
  raw jsonb,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  count integer NOT NULL DEFAULT 1,
  -- Firing ↔ resolved changes in the flap window, to hold back an alert that cannot decide.
  transitions integer NOT NULL DEFAULT 0,
  flap_since timestamptz,
  flapping boolean NOT NULL DEFAULT false,
  route_key text,
  action text NOT NULL,
  suppressed_by uuid,
  incident_id uuid REFERENCES incidents(id),
  CONSTRAINT alerts_workspace_source_fingerprint UNIQUE (workspace_id, source, fingerprint)
);
CREATE INDEX alerts_workspace_seen ON alerts (workspace_id, last_seen_at DESC);
CREATE INDEX alerts_incident ON alerts (incident_id);

CREATE TABLE incident_alerts (
  incident_id uuid NOT NULL REFERENCES incidents(id),
  alert_id uuid NOT NULL REFERENCES alerts(id),
  linked_at timestamptz NOT NULL,
  PRIMARY KEY (incident_id, alert_id)
);

CREATE TABLE alert_groups (
  workspace_id uuid NOT NULL REFERENCES workspaces(id),
  group_key text NOT NULL,
  incident_id uuid NOT NULL REFERENCES incidents(id),
  started_at timestamptz NOT NULL,
  last_alert_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, group_key)
);

CREATE TABLE silences (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id),
  matchers jsonb NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  author jsonb NOT NULL,
  reason text NOT NULL,
  kind text NOT NULL DEFAULT 'silence',
  created_at timestamptz NOT NULL,
  expired_at timestamptz
);
CREATE INDEX silences_workspace_ends ON silences (workspace_id, ends_at);
