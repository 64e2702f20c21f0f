/**
 * The {@code .wandb} transaction log, byte-compatible with W&B's writers and readers: {@link
 * dev.runbus.log.LogWriter} appends framed records, {@link dev.runbus.log.LogReader} streams them
 * back and tells a torn tail (a crash mid-append) from corruption.
 *
 * <p>Format (wire reference section 4): the 7-byte header {@code :W&B}, magic 0xBEE1, version 0;
 * then 32 KiB blocks counted from offset 0, each filled with chunks {@code crc32 | length | type |
 * payload} (FULL, or FIRST, MIDDLE..., LAST) and zero padding where fewer than 7 bytes remain. See
 * {@link dev.runbus.log.LogFormat}.
 */
package dev.runbus.log;
