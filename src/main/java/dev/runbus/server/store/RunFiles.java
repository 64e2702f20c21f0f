package dev.runbus.server.store;

import java.util.List;
import java.util.Optional;

/**
 * The records of a run's uploaded files. The bytes live under the data directory (see the
 * upload endpoint); the database holds the name, size, checksum and time of each.
 */
public interface RunFiles {

  /** Records an upload that completed (replacing an earlier one of the same name). */
  void recordUpload(long runId, String name, long sizeBytes, String md5Base64);

  List<FileInfo> list(long runId);

  Optional<FileInfo> find(long runId, String name);

  record FileInfo(String name, long sizeBytes, String md5Base64, long updatedAtMillis) {}
}
