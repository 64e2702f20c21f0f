package dev.runbus.server.store;

/** A run as W&B's URLs name it: {@code /files/{entity}/{project}/{name}/file_stream}. */
public record RunKey(String entity, String project, String name) {}
