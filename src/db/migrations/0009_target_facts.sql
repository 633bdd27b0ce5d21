-- One row per incident with stored clock outcomes, for the dashboard's "share of incidents that
-- met each target". Counting incident_clock_results joined to incidents touched every clock of
-- every incident (four rows each over a year: the embedded database's costliest metrics query);
-- here the period and drill filters read one narrow row per incident, and incidents whose
-- clocks ended alike share one group.
CREATE TABLE incident_target_facts (
  incident_id uuid PRIMARY KEY REFERENCES incidents (id),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  -- Copies of the incident's own columns, kept equal by the trigger below.
  detected_at timestamptz NOT NULL,
  drill boolean NOT NULL,
  -- The met and breached clocks as JSON [[kind, clock_key, state], ...] ordered by clock_key.
  outcomes text NOT NULL
);
CREATE INDEX incident_target_facts_real ON incident_target_facts (workspace_id, detected_at) WHERE NOT drill;

-- Whatever changes an incident's detection time or drill flag (an alert's earlier start today,
-- a correction tomorrow), its facts follow in the same transaction: no writer has to know.
CREATE FUNCTION siaga_target_facts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE incident_target_facts SET detected_at = NEW.detected_at, drill = NEW.drill
    WHERE incident_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_target_facts AFTER UPDATE OF detected_at, drill ON incidents
  FOR EACH ROW WHEN (OLD.detected_at IS DISTINCT FROM NEW.detected_at OR OLD.drill IS DISTINCT FROM NEW.drill)
  EXECUTE FUNCTION siaga_target_facts_follow();

-- The same statement metrics/results.ts runs for one incident when it stores its outcomes.
INSERT INTO incident_target_facts (incident_id, workspace_id, detected_at, drill, outcomes)
SELECT i.id, i.workspace_id, i.detected_at, i.drill,
  json_agg(json_build_array(r.kind, r.clock_key, r.state) ORDER BY r.clock_key)::text
FROM incident_clock_results r JOIN incidents i ON i.id = r.incident_id
WHERE r.state IN ('met', 'breached')
GROUP BY i.id;
