package dev.runbus.service.bridge;

import dev.runbus.bus.Addresses;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses the TCP event-bus bridge serves. All sit under {@link Addresses#BRIDGE_PREFIX},
 * the only prefix the bridge lets through, inbound and outbound.
 */
public final class BridgeAddresses {

  /** Starts a run; answers its id, which every later frame names. */
  public static final String INIT = "rb.bridge.init";

  public static final String LOG = "rb.bridge.log";
  public static final String CONFIG = "rb.bridge.config";
  public static final String SUMMARY = "rb.bridge.summary";
  public static final String SUMMARY_GET = "rb.bridge.summary.get";
  public static final String DEFINE_METRIC = "rb.bridge.define_metric";
  public static final String FINISH = "rb.bridge.finish";

  /** Where the service listens; a client may send to these, never register on them. */
  public static final List<String> SERVED =
      List.of(INIT, LOG, CONFIG, SUMMARY, SUMMARY_GET, DEFINE_METRIC, FINISH);

  /** The bridge's whole permission rule, for both directions. */
  public static final String PERMITTED_REGEX = Pattern.quote(Addresses.BRIDGE_PREFIX) + ".+";

  private BridgeAddresses() {}

  static boolean underPrefix(String address) {
    return address != null && address.startsWith(Addresses.BRIDGE_PREFIX);
  }
}
