package dev.runbus.sync;

import dev.runbus.proto.Record;

/**
 * Which kind of record a serialized {@link Record} is, read from its top-level field tags without
 * parsing it: sync reads every record of a log to find the few the Sender wants, and parsing each
 * history row into objects only to drop it had cost more than the upload.
 */
final class RecordPeek {

  private RecordPeek() {}

  /**
   * The record's kind (its {@code record_type} field number, as {@link
   * Record.RecordTypeCase#forNumber}), or {@code RECORDTYPE_NOT_SET} when it has none or the bytes
   * cannot be followed (the caller then parses them, which reports the damage).
   */
  static Record.RecordTypeCase kind(byte[] p) {
    int at = 0;
    while (at < p.length) {
      long tag = 0;
      int shift = 0;
      int b;
      do {
        if (at >= p.length || shift > 35) {
          return Record.RecordTypeCase.RECORDTYPE_NOT_SET;
        }
        b = p[at++];
        tag |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while (b < 0);
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      Record.RecordTypeCase kind = Record.RecordTypeCase.forNumber(field);
      if (kind != null && kind != Record.RecordTypeCase.RECORDTYPE_NOT_SET) {
        return kind;
      }
      switch (wireType) {
        case 0 -> {
          while (at < p.length && p[at] < 0) {
            at++;
          }
          at++;
        }
        case 1 -> at += 8;
        case 5 -> at += 4;
        case 2 -> {
          long length = 0;
          shift = 0;
          do {
            if (at >= p.length || shift > 35) {
              return Record.RecordTypeCase.RECORDTYPE_NOT_SET;
            }
            b = p[at++];
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
          } while (b < 0);
          at += (int) Math.min(length, Integer.MAX_VALUE - at);
        }
        default -> {
          return Record.RecordTypeCase.RECORDTYPE_NOT_SET;
        }
      }
    }
    return Record.RecordTypeCase.RECORDTYPE_NOT_SET;
  }

  /** Whether a record of this kind is never the Sender's (the FileStream reads it from the log). */
  static boolean onlyForTheFileStream(Record.RecordTypeCase kind) {
    return switch (kind) {
      case HISTORY, SUMMARY, STATS, OUTPUT, OUTPUT_RAW -> true;
      default -> false;
    };
  }
}
