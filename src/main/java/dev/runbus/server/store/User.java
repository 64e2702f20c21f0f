package dev.runbus.server.store;

/** The owner of an API key; its name is its W&B entity. */
public record User(long id, String name) {}
