package dev.runbus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.service.ServiceVerticle;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed training on one machine, every part a real process on loopback: the packaged service
 * as users start it ({@code java -jar runbus.jar service -cluster -conf …}) on a cluster of its own,
 * and rank JVMs started the way a launcher script starts them (the environment says attach, which
 * rank, the world's size, the run id and the token).
 */
class ClusterRanksIT {

  private static final String TOKEN = "it-token";
  private static final Duration SLOW = Duration.ofMinutes(5);

  @TempDir Path dir;

  private Path xml;
  private ChildProcess service;
  private final List<ChildProcess> ranks = new ArrayList<>();

  @BeforeEach
  void startService() throws Exception {
    xml = TestClusters.write(dir.resolve("cluster"));
    JsonObject conf =
        new JsonObject()
            .put("data", dir.resolve("service").toString())
            .put("token", TOKEN)
            .put("grpc", false)
            .put("bridge", false);
    // a working directory of its own: no conf/ of a developer's is read
    Path work = Files.createDirectories(dir.resolve("work"));
    service =
        ChildProcess.in(
            work,
            PackagedJar.command(List.of("-Xmx512m"), List.of("service", "-cluster", "-conf", conf.encode())),
            Map.of(ClusterSetup.CONFIG_VARIABLE, xml.toString()));
    String ready = service.await(ServiceVerticle.READY, SLOW);
    assertTrue(ready.startsWith("cluster door as node "), ready);
  }

  @AfterEach
  void stopAll() {
    ranks.forEach(ChildProcess::close);
    if (service != null) {
      service.close();
    }
  }

  @Test
  void threeRanksLogEveryRowExactlyOnceIntoOneRun() throws Exception {
    for (int rank = 0; rank < 3; rank++) {
      ranks.add(rank(rank, 3, "acceptance", "100000", "50000")); // prints "logged 50000"…
    }
    for (int rank = 2; rank >= 1; rank--) {
      assertTrue(ranks.get(rank).await("finished ", SLOW).startsWith("100000 rows"));
    }
    String primary = ranks.get(0).await("finished ", SLOW);
    assertTrue(primary.startsWith("100000 rows in "), primary);
    for (ChildProcess rank : ranks) {
      assertEquals(0, rank.exitCode(SLOW), rank.output());
    }
    Path log = Path.of(primary.substring("100000 rows in ".length()));
    assertTrue(log.startsWith(dir.resolve("service")), "the run lives on the service: " + log);
    RankLog run = RankLog.read(log);
    run.check(100_000, new int[] {0, 1, 2}, new int[0], 0);
    JsonObject outcomes = run.ranks();
    for (int rank = 0; rank < 3; rank++) {
      assertEquals("finished", outcomes.getJsonObject("" + rank).getString("state"), outcomes.encode());
    }
    // each rank's console reaches the run's one console, labelled with its rank
    String console = Files.readString(log.resolveSibling("files").resolve("output.log"));
    for (int rank = 0; rank < 3; rank++) {
      for (String line : List.of("logged 50000", "acknowledged 50000", "logged 100000")) {
        assertTrue(console.contains("[rank" + rank + "] " + line + "\n"), "rank " + rank + " " + line + " in " + console);
      }
    }
  }

  @Test
  void aRankKilledMidRunVanishesAndHarmsNeitherTheServiceNorTheOthers() throws Exception {
    // ranks report "acknowledged N" once the service holds their first N rows
    for (int rank = 0; rank < 3; rank++) {
      ranks.add(rank(rank, 3, "killed", "40000", "5000", "50"));
    }
    ChildProcess victim = ranks.get(2);
    victim.await("acknowledged 10000", SLOW);
    victim.kill();
    for (int rank = 1; rank >= 0; rank--) {
      String finished = ranks.get(rank).await("finished ", SLOW);
      assertTrue(finished.startsWith("40000 rows"), finished);
      assertEquals(0, ranks.get(rank).exitCode(SLOW), ranks.get(rank).output());
    }
    String primary = ranks.get(0).stdout().stream().filter(l -> l.startsWith("finished ")).findFirst().orElseThrow();
    RankLog run = RankLog.read(Path.of(primary.substring("finished 40000 rows in ".length())));
    int[] kept = run.check(40_000, new int[] {0, 1}, new int[] {2}, 10_000);
    JsonObject outcomes = run.ranks();
    assertEquals("vanished", outcomes.getJsonObject("2").getString("state"), outcomes.encode());
    assertEquals("finished", outcomes.getJsonObject("0").getString("state"), outcomes.encode());
    assertEquals("finished", outcomes.getJsonObject("1").getString("state"), outcomes.encode());
    assertTrue(kept[0] < 40_000, "the killed rank cannot have logged every row");
    // the service goes on: a new run attaches and finishes
    ChildProcess after = rank(0, 1, "afterwards", "1000");
    ranks.add(after);
    assertTrue(after.await("finished ", SLOW).startsWith("1000 rows"), after.output());
    assertEquals(143, service.terminate(SLOW), "SIGTERM stops the service: " + service.output());
  }

  private ChildProcess rank(int rank, int world, String runId, String... args) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("RUNBUS_ATTACH", "cluster");
    env.put("RANK", Integer.toString(rank));
    env.put("WORLD_SIZE", Integer.toString(world));
    env.put("WANDB_RUN_ID", runId);
    env.put("RUNBUS_SERVICE_TOKEN", TOKEN);
    env.put(ClusterSetup.CONFIG_VARIABLE, xml.toString());
    return ChildProcess.java(env, jvm("-Xmx256m"), RankWorker.class, args);
  }

  private static List<String> jvm(String heap) {
    List<String> options = new ArrayList<>(TestClusters.JVM_OPENS);
    options.add(heap);
    return options;
  }
}
