-- runbus server, core schema. One script for SQLite and PostgreSQL: ${id_pk} and ${blob} are
-- set per database (see Database.java); everything else is SQL both accept. Times are epoch
-- milliseconds. History has its own layout (V2).

-- One user per API key owner; its name is its W&B entity.
CREATE TABLE users (
  id ${id_pk},
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

-- Only the SHA-256 (hex) of a key is stored; hint is its first characters, to tell keys apart.
CREATE TABLE api_keys (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users (id),
  key_sha256 TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Projects per entity. run_counter numbers the generated display names (W&B's "-N").
CREATE TABLE projects (
  id ${id_pk},
  entity TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  run_counter BIGINT NOT NULL DEFAULT 0,
  UNIQUE (entity, name)
);

-- A run: every field of UpsertBucket, the line counts the FileStream offsets are checked
-- against, and the run's state. tags is a JSON array text (run_tags serves the filter).
CREATE TABLE runs (
  id ${id_pk},
  project_id BIGINT NOT NULL REFERENCES projects (id),
  name TEXT NOT NULL,
  storage_id TEXT NOT NULL UNIQUE,
  display_name TEXT,
  state TEXT NOT NULL,
  exit_code INTEGER,
  config TEXT,
  summary TEXT,
  notes TEXT,
  description TEXT,
  group_name TEXT,
  job_type TEXT,
  host TEXT,
  program TEXT,
  repo TEXT,
  commit_sha TEXT,
  sweep TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  stop_requested BOOLEAN NOT NULL DEFAULT FALSE,
  history_lines BIGINT NOT NULL DEFAULT 0,
  events_lines BIGINT NOT NULL DEFAULT 0,
  log_lines BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  heartbeat_at BIGINT,
  UNIQUE (project_id, name)
);
CREATE INDEX runs_by_project_created ON runs (project_id, created_at);
CREATE INDEX runs_by_project_state ON runs (project_id, state);
CREATE INDEX runs_by_project_group ON runs (project_id, group_name);

CREATE TABLE run_tags (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (run_id, tag)
);
CREATE INDEX run_tags_by_tag ON run_tags (tag, run_id);

-- The numbers of a run's summary, flattened to dotted keys, so runs sort by a summary metric
-- with plain SQL on both databases (NaN is kept as NULL: SQLite has no NaN).
CREATE TABLE run_summary_values (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  summary_key TEXT NOT NULL,
  num DOUBLE PRECISION,
  PRIMARY KEY (run_id, summary_key)
);
CREATE INDEX run_summary_values_by_key ON run_summary_values (summary_key, num);

-- Lines of a run's line files, by stream: 1 = wandb-events.jsonl, 2 = output.log. line_no is
-- the line's 0-based offset in its file, as the FileStream numbers it.
CREATE TABLE run_lines (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stream SMALLINT NOT NULL,
  line_no BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (run_id, stream, line_no)
);

-- Records of uploaded files; the bytes live under the data directory.
CREATE TABLE run_files (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  md5_base64 TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, name)
);
