package dev.runbus.sender;

import java.net.URI;

/** The URLs a run's Sender builds from the base URL: W&B's rules (§5.1, §5.6). */
final class Urls {

  private Urls() {}

  static String join(String base, String path) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + (path.startsWith("/") ? path : "/" + path);
  }

  /** An upload URL: one starting with {@code /} is on the base URL's server (self-hosted). */
  static String upload(URI base, String uploadUrl) {
    return uploadUrl.startsWith("/") ? join(base.toString(), uploadUrl) : uploadUrl;
  }

  /**
   * W&B's app URL: {@code ://api.wandb.} becomes {@code ://}, another {@code ://api.} becomes
   * {@code ://app.}, anything else (a self-hosted server) stays as it is.
   */
  static String app(URI base) {
    String url = base.toString();
    if (url.contains("://api.wandb.")) {
      url = url.replace("://api.wandb.", "://wandb.");
    } else if (url.contains("://api.")) {
      url = url.replace("://api.", "://app.");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** W&B's run URL: {@code {app}/{entity}/{project}/runs/{run}}. */
  static String run(URI base, String entity, String project, String run) {
    return app(base) + "/" + entity + "/" + project + "/runs/" + run;
  }
}
