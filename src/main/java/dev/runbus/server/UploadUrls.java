package dev.runbus.server;

import dev.runbus.server.store.RunInfo;

/**
 * Hands out the URLs W&B's clients {@code PUT} a run's files to: signed and expiring, so the
 * client sends them without its key, as it does to cloud storage. Implemented by the upload
 * endpoint, used by GraphQL's RunUploadUrls and CreateRunFiles.
 */
public interface UploadUrls {

  /**
   * An absolute URL on this server for uploading {@code fileName} (run-relative, {@code /}
   * separated) to {@code run}.
   *
   * @throws dev.runbus.server.store.BadInputException when the name is not a safe relative path
   */
  String uploadUrl(RunInfo run, String fileName);
}
