package dev.runbus.bus;

import dev.runbus.proto.StreamOptions;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * How runbus talks on an event bus it may share with its host application: every send names the
 * protobuf codec explicitly, so runbus never installs a codec selector (an event bus has only one)
 * and never fights the host's.
 */
public final class Bus {

  /** Requests inside one run's pipeline; a stage that takes this long is stuck. */
  public static final long PIPELINE_TIMEOUT_MS = 120_000;

  private Bus() {}

  public static DeliveryOptions protobuf() {
    return new DeliveryOptions()
        .setCodecName(ProtobufCodec.NAME)
        .setSendTimeout(PIPELINE_TIMEOUT_MS);
  }

  /**
   * The finish drain's request: online it waits for the server too, for at most the run's finish
   * timeout, on top of what any stage may take.
   */
  public static DeliveryOptions finish(StreamOptions options) {
    return protobuf().setSendTimeout(PIPELINE_TIMEOUT_MS + Math.max(0, options.getFinishTimeoutMs()));
  }

  private static final Object CODEC_LOCK = new Object();

  /** Registers the codec once per Vert.x instance; later calls are no-ops. */
  public static void registerCodec(Vertx vertx) {
    synchronized (CODEC_LOCK) { // not the host's Vertx object: its monitor is not ours to take
      try {
        vertx.eventBus().registerCodec(new ProtobufCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another runbus component in this Vert.x got here first
      }
    }
  }
}
