package dev.runbus.server.store;

/** The two databases the store runs on; where their SQL differs, code asks which one it has. */
public enum Dialect {
  SQLITE,
  POSTGRESQL
}
