package dev.runbus.filestream;

import dev.runbus.sender.RetryPolicy;
import java.time.Duration;

/**
 * How a FileStream paces and bounds its posts. {@link #defaults()} are W&B's; tests shorten the
 * waits.
 *
 * @param transmitInterval at most one post of what there is per interval (a full post goes at once)
 * @param heartbeat a post when nothing was posted for this long (until the server says otherwise)
 * @param postTimeout one attempt's limit, after which it is retried
 * @param retry when to try a failed post again
 * @param maxRequestBytes the largest post
 * @param readBudgetBytes log bytes read per step off the event loop
 */
public record FileStreamSettings(
    Duration transmitInterval,
    Duration heartbeat,
    Duration postTimeout,
    RetryPolicy retry,
    int maxRequestBytes,
    int readBudgetBytes) {

  public static FileStreamSettings defaults() {
    return new FileStreamSettings(
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        Duration.ofSeconds(180),
        RetryPolicy.defaults(),
        RequestBuilder.MAX_REQUEST_BYTES,
        4 << 20);
  }

  public FileStreamSettings withTransmitInterval(Duration d) {
    return new FileStreamSettings(d, heartbeat, postTimeout, retry, maxRequestBytes, readBudgetBytes);
  }

  public FileStreamSettings withHeartbeat(Duration d) {
    return new FileStreamSettings(transmitInterval, d, postTimeout, retry, maxRequestBytes, readBudgetBytes);
  }

  public FileStreamSettings withPostTimeout(Duration d) {
    return new FileStreamSettings(transmitInterval, heartbeat, d, retry, maxRequestBytes, readBudgetBytes);
  }

  public FileStreamSettings withRetry(RetryPolicy r) {
    return new FileStreamSettings(transmitInterval, heartbeat, postTimeout, r, maxRequestBytes, readBudgetBytes);
  }

  public FileStreamSettings withMaxRequestBytes(int bytes) {
    return new FileStreamSettings(transmitInterval, heartbeat, postTimeout, retry, bytes, readBudgetBytes);
  }
}
