package dev.runbus.server.store;

/**
 * An alert a run raised (W&B's {@code run.alert(title, text, level)}). {@code severity} is one of
 * INFO, WARN, ERROR; the time is epoch milliseconds.
 */
public record Alert(String title, String text, String severity, long createdAtMillis) {}
