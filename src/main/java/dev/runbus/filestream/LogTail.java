package dev.runbus.filestream;

import dev.runbus.log.CorruptLogException;
import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.log.TornTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Follows a run's log from a record offset, a bounded amount at a time, handing complete records to
 * a {@link RecordConverter} while the {@link RequestBuilder} has room. A record cut at the current
 * end is "not yet" while the log is open (its writer is still at work) and the end of the intact
 * data once the log is closed (a killed run's torn tail). Blocking: call it off the event loop,
 * one call at a time.
 */
final class LogTail {

  private static final Logger LOG = Logger.getLogger(LogTail.class.getName());

  /** What a {@link #fill} ended with. */
  enum Fill {
    /** the post has no room for the next record */
    FULL,
    /** the read budget is spent; more records are there */
    MORE,
    /** every record written so far is read; more may come */
    CAUGHT_UP,
    /** the log is closed and read to the end of its intact data */
    END
  }

  private final Path file;
  private long offset;
  private String endNote;

  LogTail(Path file, long offset) {
    this.file = file;
    this.offset = offset;
  }

  /** The offset of the next record to read: everything before it went into posts. */
  long offset() {
    return offset;
  }

  /** How the data ended, when it ended in a torn or damaged record; null otherwise. */
  String endNote() {
    return endNote;
  }

  /**
   * Reads records into {@code out} through {@code converter}, about {@code budget} bytes at most.
   *
   * @param closed the log was closed before this call: its end is final
   */
  Fill fill(RecordConverter converter, RequestBuilder out, boolean closed, int budget)
      throws IOException {
    try (LogReader reader = LogReader.open(file, offset)) {
      long read = 0;
      while (read < budget) {
        LogEntry entry;
        try {
          entry = reader.next();
        } catch (CorruptLogException e) {
          // nothing past damaged bytes can be trusted; what came before is sent
          if (endNote == null) {
            endNote = "the log is damaged (" + e.getMessage() + "); sent what came before";
            LOG.warning(endNote);
          }
          return closed ? Fill.END : Fill.CAUGHT_UP;
        }
        if (entry == null) {
          TornTail torn = reader.tornTail();
          if (closed && torn != null && endNote == null) {
            endNote =
                "the log ends in a torn record at offset "
                    + torn.offset()
                    + " ("
                    + torn.bytes()
                    + " bytes, "
                    + torn.reason()
                    + "); everything before it was sent";
            LOG.warning(endNote);
          }
          return closed ? Fill.END : Fill.CAUGHT_UP;
        }
        if (out.hasLines() && !out.fits(entry.length(), converter.summary().approxBytes())) {
          return Fill.FULL; // this record starts the next post
        }
        converter.accept(entry, out);
        offset = reader.position();
        out.logOffset(offset);
        read += entry.length();
        if (out.isPreempting()) {
          return Fill.FULL; // sent at once
        }
      }
      return Fill.MORE;
    }
  }
}
