-- A repeat's write-behind changes only an alert's count and last_seen_at. While last_seen_at was
-- in an index, every such update wrote a new entry into each of the table's four indexes: 5,000
-- repeats took about 100 ms to write, and the integration's posts waited behind it (bench:ingest
-- on PostgreSQL spent about half its time there). With no index on a column the repeat changes,
-- and room left on each page for the new row version, PostgreSQL updates in place (a HOT update,
-- no index entries): the same 5,000 took about 40 ms. The alert list is ordered by when an alert
-- was first seen, newest first, which never changes once written.
DROP INDEX alerts_workspace_seen;
CREATE INDEX alerts_workspace_first_seen ON alerts (workspace_id, first_seen_at DESC, id DESC);
-- Pages written from now on keep 30% free for updated versions; existing pages are not rewritten.
ALTER TABLE alerts SET (fillfactor = 70);
