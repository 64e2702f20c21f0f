-- Alerts a run raised (W&B's run.alert / NotifyScriptableRunAlert): what the run's owner is told.
CREATE TABLE run_alerts (
  id ${id_pk},
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  severity TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX run_alerts_by_run ON run_alerts (run_id, title, created_at);
