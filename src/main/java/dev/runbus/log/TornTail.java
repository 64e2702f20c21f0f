package dev.runbus.log;

/**
 * The log ends inside a record: its writer stopped mid-append (crash, or still writing). Every
 * record before {@code offset} is intact.
 *
 * @param offset where the torn record (or chunk) begins
 * @param bytes how many bytes the file holds from {@code offset} to its end
 * @param reason what was cut short
 */
public record TornTail(long offset, long bytes, String reason) {}
