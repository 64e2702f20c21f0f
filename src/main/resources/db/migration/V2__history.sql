-- A run's history, laid out for reading (docs/server.md, "History storage"): the lines as sent, in
-- compressed chunks, and every numeric key as a column of binary blocks with per-block summaries.
-- No foreign key to runs: the check would run on every inserted row and halve ingest rates on
-- PostgreSQL; deleting a run deletes these rows in code (HistoryStore.deleteRun).

-- The lines as the client sent them, for tails, full reads and resume: one row per append of up to
-- 1,024 lines, small appends merged into the last chunk. body: deflated, each line as a varint
-- byte length and its UTF-8 bytes.
CREATE TABLE history_chunks (
  run_id     BIGINT  NOT NULL,
  first_line BIGINT  NOT NULL,
  line_count INTEGER NOT NULL,
  body       ${blob} NOT NULL,
  PRIMARY KEY (run_id, first_line)
);

-- The keys a run has logged (nested objects flattened as a.b). key_id 0 is _step, the x of every
-- line. kinds: 1 = numbers seen, 2 = other values seen (strings, objects, arrays, booleans, null,
-- integers a double cannot hold). open_block: first_line of the key's last block while it still
-- takes values, else NULL.
CREATE TABLE history_keys (
  run_id      BIGINT  NOT NULL,
  key_id      INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  kinds       INTEGER NOT NULL,
  value_count BIGINT  NOT NULL,
  min_step    BIGINT,
  max_step    BIGINT,
  open_block  BIGINT,
  PRIMARY KEY (run_id, key_id),
  UNIQUE (run_id, name)
);

-- A numeric key's values, up to 256 per block: lines, steps and values packed as binary (data),
-- with the summary a sampled read uses instead of data when a bucket holds the whole block.
-- min/max ignore NaN (NULL when the block holds only NaN); *_step and *_line: where they occur.
CREATE TABLE history_blocks (
  run_id         BIGINT  NOT NULL,
  key_id         INTEGER NOT NULL,
  first_line     BIGINT  NOT NULL,
  last_line      BIGINT  NOT NULL,
  value_count    INTEGER NOT NULL,
  min_step       BIGINT  NOT NULL,
  max_step       BIGINT  NOT NULL,
  min_value      DOUBLE PRECISION,
  min_value_step BIGINT,
  min_value_line BIGINT,
  max_value      DOUBLE PRECISION,
  max_value_step BIGINT,
  max_value_line BIGINT,
  data           ${blob} NOT NULL,
  PRIMARY KEY (run_id, key_id, first_line)
);

-- The summaries alone, in key order: a sampled read walks this index only (about 60 bytes a
-- block), not the table, whose rows hold the blocks' data and lie in insertion order, the keys of
-- a post interleaved.
CREATE INDEX history_block_summaries ON history_blocks (
  run_id, key_id, first_line, min_step, max_step, min_value, min_value_step, min_value_line,
  max_value, max_value_step, max_value_line
);
