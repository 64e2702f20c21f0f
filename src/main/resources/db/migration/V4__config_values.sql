-- The values of a run's config (W&B's {key: {value, desc}}, nested values flattened to dotted
-- keys, _wandb left out), so runs sort by a config value with plain SQL on both databases, as
-- run_summary_values serves the summary: num for numbers, txt for strings and booleans.
CREATE TABLE run_config_values (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  config_key TEXT NOT NULL,
  num DOUBLE PRECISION,
  txt TEXT,
  PRIMARY KEY (run_id, config_key)
);
CREATE INDEX run_config_values_by_key ON run_config_values (config_key, num, txt);
