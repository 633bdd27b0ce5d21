-- Metrics dashboard speed (a year over 100,000 incidents in under 500 ms).
-- Every metrics query reads the real (non-drill) incidents of a workspace by detection time:
-- a partial index leaves the drills out of it altogether.
CREATE INDEX incidents_metrics_real ON incidents (workspace_id, detected_at) WHERE NOT drill;

-- Drills are few: recurrence asks "is the earlier incident a drill?" as an anti-join against
-- this small index instead of probing every linked incident.
CREATE INDEX incidents_drills ON incidents (id) WHERE drill;
