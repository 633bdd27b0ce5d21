-- Notify: contact methods and rules, channel endpoints, notices, deliveries and their attempts,
-- one-click action links, reminders from the plan's clocks.

CREATE TABLE notify_contacts (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('email', 'slack', 'teams', 'telegram', 'ntfy', 'webhook')),
  label text NOT NULL,
  address text NOT NULL,
  secret text,
  created_at timestamptz NOT NULL
);
CREATE INDEX notify_contacts_user ON notify_contacts (workspace_id, user_id);

CREATE TABLE notify_rules (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL REFERENCES users (id),
  contact_id uuid NOT NULL REFERENCES notify_contacts (id) ON DELETE CASCADE,
  delay_seconds integer NOT NULL CHECK (delay_seconds >= 0),
  created_at timestamptz NOT NULL,
  CONSTRAINT notify_rules_unique UNIQUE (contact_id, delay_seconds)
);
CREATE INDEX notify_rules_user ON notify_rules (workspace_id, user_id);

-- Where a plan channel (by key) actually posts; drill = true is the channel's drill_target.
CREATE TABLE notify_channel_endpoints (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  channel_key text NOT NULL,
  drill boolean NOT NULL,
  kind text NOT NULL CHECK (kind IN ('email', 'slack', 'teams', 'telegram', 'ntfy', 'webhook')),
  address text NOT NULL,
  secret text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, channel_key, drill)
);

-- Server-wide keys (the one-click link HMAC key), created on first use.
CREATE TABLE notify_keys (
  name text PRIMARY KEY,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE notify_notices (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  dedup_key text NOT NULL,
  kind text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  incident_id uuid REFERENCES incidents (id),
  drill boolean NOT NULL,
  url text,
  recipients jsonb NOT NULL,
  undeliverable jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT notify_notices_dedup UNIQUE (workspace_id, dedup_key)
);

CREATE TABLE notify_deliveries (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  notice_id uuid NOT NULL REFERENCES notify_notices (id),
  user_id uuid REFERENCES users (id),
  contact_id uuid REFERENCES notify_contacts (id) ON DELETE SET NULL,
  channel_key text,
  kind text NOT NULL,
  address text NOT NULL,
  secret text,
  idempotency_key text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'held', 'folded')),
  due_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  lease_token uuid,
  lease_until timestamptz,
  sent_at timestamptz,
  reason text,
  summary_of jsonb,
  until_ack boolean NOT NULL,
  actions jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX notify_deliveries_due ON notify_deliveries (state, due_at);
CREATE INDEX notify_deliveries_user ON notify_deliveries (workspace_id, user_id, created_at);
CREATE INDEX notify_deliveries_notice ON notify_deliveries (notice_id);

CREATE TABLE notify_attempts (
  id uuid PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES notify_deliveries (id),
  attempt integer NOT NULL,
  lease_token uuid NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text NOT NULL CHECK (outcome IN ('in_flight', 'sent', 'failed')),
  status_code integer,
  error text,
  CONSTRAINT notify_attempts_unique UNIQUE (delivery_id, attempt)
);

CREATE TABLE notify_links (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  user_id uuid NOT NULL REFERENCES users (id),
  action text NOT NULL CHECK (action IN ('acknowledge', 'resolve')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL
);

CREATE TABLE notify_reminders (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  clock_key text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('soon', 'due')),
  deadline timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('scheduled', 'sent', 'cancelled')),
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  CONSTRAINT notify_reminders_unique UNIQUE (incident_id, clock_key, stage, deadline)
);
CREATE INDEX notify_reminders_due ON notify_reminders (state, due_at);
CREATE INDEX notify_reminders_incident ON notify_reminders (incident_id, state);
