-- Status pages, their subscribers, and synthetic monitors.

CREATE TABLE status_pages (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  host text UNIQUE,
  time_zone text NOT NULL DEFAULT 'Etc/UTC',
  language text NOT NULL DEFAULT 'en',
  -- sha256 of the shared secret that opens a private page; NULL means public.
  secret_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE status_components (
  id uuid PRIMARY KEY,
  page_id uuid NOT NULL REFERENCES status_pages (id),
  group_id uuid REFERENCES status_components (id),
  is_group boolean NOT NULL DEFAULT false,
  name text NOT NULL,
  description text,
  position integer NOT NULL,
  service_key text,
  status text NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (page_id, name)
);

-- Every status a component has had, for uptime and history.
CREATE TABLE status_component_changes (
  id bigserial PRIMARY KEY,
  component_id uuid NOT NULL REFERENCES status_components (id),
  at timestamptz NOT NULL,
  status text NOT NULL
);
CREATE INDEX status_component_changes_by_component ON status_component_changes (component_id, at);

-- Public incidents and scheduled maintenances (kind), as Statuspage shows them.
CREATE TABLE status_incidents (
  id uuid PRIMARY KEY,
  page_id uuid NOT NULL REFERENCES status_pages (id),
  kind text NOT NULL CHECK (kind IN ('incident', 'maintenance')),
  incident_id uuid REFERENCES incidents (id),
  name text NOT NULL,
  status text NOT NULL,
  impact text NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical', 'maintenance')),
  component_ids uuid[] NOT NULL,
  scheduled_for timestamptz,
  scheduled_until timestamptz,
  started_at timestamptz NOT NULL,
  monitoring_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (page_id, incident_id)
);
CREATE INDEX status_incidents_by_page ON status_incidents (page_id, started_at);

CREATE TABLE status_incident_updates (
  id uuid PRIMARY KEY,
  -- Insertion order: updates of one instant keep the order they were made in.
  seq bigserial NOT NULL,
  status_incident_id uuid NOT NULL REFERENCES status_incidents (id),
  -- The incident update it was published from; NULL when written on the page by hand.
  source_update_id uuid UNIQUE,
  status text NOT NULL,
  body text NOT NULL,
  affected_components jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX status_incident_updates_by_incident ON status_incident_updates (status_incident_id, created_at);

CREATE TABLE status_subscribers (
  id uuid PRIMARY KEY,
  page_id uuid NOT NULL REFERENCES status_pages (id),
  kind text NOT NULL CHECK (kind IN ('email', 'webhook')),
  address text NOT NULL,
  -- Empty: the whole page.
  component_ids uuid[] NOT NULL,
  confirm_hash text,
  unsubscribe_token text NOT NULL UNIQUE,
  confirmed_at timestamptz,
  created_at timestamptz NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  last_error text,
  bounced_at timestamptz,
  UNIQUE (page_id, kind, address)
);

CREATE TABLE status_deliveries (
  id uuid PRIMARY KEY,
  subscriber_id uuid NOT NULL REFERENCES status_subscribers (id) ON DELETE CASCADE,
  update_id uuid NOT NULL REFERENCES status_incident_updates (id),
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_at timestamptz,
  sent_at timestamptz,
  UNIQUE (subscriber_id, update_id)
);

CREATE TABLE monitors (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  key text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('http', 'tcp', 'push')),
  target text,
  method text NOT NULL DEFAULT 'GET',
  expected_status integer,
  keyword text,
  timeout_ms integer NOT NULL,
  interval_seconds integer NOT NULL,
  down_after_seconds integer NOT NULL,
  component_id uuid REFERENCES status_components (id),
  push_hash text UNIQUE,
  enabled boolean NOT NULL DEFAULT true,
  state text NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'up', 'down')),
  down_since timestamptz,
  alert_firing boolean NOT NULL DEFAULT false,
  last_heartbeat_at timestamptz,
  -- Bumped by every edit: a check job carrying an older fence does nothing.
  fence integer NOT NULL DEFAULT 1,
  next_check_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (workspace_id, key)
);

-- One small row per check; pruned after 90 days.
CREATE TABLE monitor_results (
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  ok boolean NOT NULL,
  latency_ms integer NOT NULL,
  code integer,
  error text,
  PRIMARY KEY (monitor_id, at)
);
