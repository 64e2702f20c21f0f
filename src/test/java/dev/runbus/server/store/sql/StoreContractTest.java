package dev.runbus.server.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreamPost.Chunk;
import dev.runbus.server.store.Alert;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.OffsetGapException;
import dev.runbus.server.store.RunFiles;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.User;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run against each database by a subclass: real databases, no mocks.
 * SqliteStoreTest runs it on a file in a temporary directory, PostgresStoreTest in a fresh schema.
 */
abstract class StoreContractTest {
  protected SqlServerStore store;
  protected User alice;
  protected User bob;

  /** A new store on an empty database. */
  protected abstract SqlServerStore openStore() throws Exception;

  /** A second store on the same database (as a restarted server would open it). */
  protected abstract SqlServerStore reopenStore() throws Exception;

  /** How a child JVM names the current database: a data directory or a JDBC URL. */
  protected abstract String databaseArgument();

  @BeforeEach
  void openAndCreateUsers() throws Exception {
    store = openStore();
    alice = store.accounts().createKey("alice").user();
    bob = store.accounts().createKey("bob").user();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- helpers ----

  static RunUpsert upsert(String entity, String project, String name) {
    return new RunUpsert(
        entity, project, name, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  static RunUpsert config(String project, String name, String config) {
    return new RunUpsert(
        null, project, name, null, null, null, null, null, null, null, null, null, null, null,
        config, null, null);
  }

  static FileStreamPost post(String file, long offset, List<String> lines) {
    return new FileStreamPost(Map.of(file, new Chunk(offset, lines)), List.of(), false, null, false);
  }

  static FileStreamPost complete(Integer exitcode) {
    return new FileStreamPost(Map.of(), List.of(), true, exitcode, false);
  }

  static List<String> historyLines(int from, int count) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add("{\"loss\": " + (1.0 / (i + 1)) + ", \"_step\": " + i + "}");
    }
    return out;
  }

  RunKey create(User user, String project, String name) {
    store.runs().upsert(user, upsert(null, project, name));
    return new RunKey(user.name(), project, name);
  }

  RunInfo run(User user, RunKey key) {
    return store.runs().find(user, key).orElseThrow();
  }

  List<String> allHistory(long runId) {
    List<String> out = new ArrayList<>();
    store.data().scanHistory(runId, List.of(), 0, Long.MAX_VALUE, (n, text) -> out.add(text));
    return out;
  }

  List<String> console(long runId) {
    List<String> out = new ArrayList<>();
    store.data().scanConsole(runId, 0, Long.MAX_VALUE, (n, text) -> out.add(text));
    return out;
  }

  // ---- accounts ----

  @Test
  void keysAreRandomFortyCharactersStoredOnlyAsTheirHash() throws Exception {
    Accounts.IssuedKey issued = store.accounts().createKey("carol");
    assertTrue(issued.key().matches("[A-Za-z0-9]{40}"), issued.key());
    assertNotEquals(issued.key(), store.accounts().createKey("carol").key());
    assertEquals(Optional.of(issued.user()), store.accounts().userForKey(issued.key()));
    assertEquals(Optional.empty(), store.accounts().userForKey(issued.key() + "x"));
    assertEquals(Optional.empty(), store.accounts().userForKey(""));
    // a web UI session keeps only the key's SHA-256 and looks the user up by it
    assertEquals(
        Optional.of(issued.user()),
        store.accounts().userForKeySha256(SqlAccounts.sha256Hex(issued.key())));
    assertEquals(Optional.empty(), store.accounts().userForKeySha256(issued.key()));

    Accounts.KeyInfo listed =
        store.accounts().listKeys().stream().filter(k -> k.id() == issued.id()).findFirst().orElseThrow();
    assertEquals("carol", listed.userName());
    assertTrue(issued.key().startsWith(listed.hint()));
    assertTrue(listed.hint().length() < 10);
    assertNull(listed.revokedAtMillis());

    // nothing in the table holds the key itself
    try (Connection c = store.database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String v = rs.getString(i);
          assertFalse(v != null && v.contains(issued.key().substring(10)), "a column holds the key");
        }
      }
    }

    assertTrue(store.accounts().revokeKey(issued.id()));
    assertFalse(store.accounts().revokeKey(issued.id()));
    assertEquals(Optional.empty(), store.accounts().userForKey(issued.key()));
    assertEquals(
        Optional.empty(), store.accounts().userForKeySha256(SqlAccounts.sha256Hex(issued.key())));
    assertNotNull(
        store.accounts().listKeys().stream()
            .filter(k -> k.id() == issued.id())
            .findFirst()
            .orElseThrow()
            .revokedAtMillis());
  }

  @Test
  void noKeysOnlyOnAnEmptyDatabase() throws Exception {
    store.close();
    store = openStore();
    assertTrue(store.accounts().noKeys());
    store.accounts().createKey("dave");
    assertFalse(store.accounts().noKeys());
  }

  // ---- runs ----

  @Test
  void upsertCreatesWithDefaultsThenLeavesNullFieldsUnchanged() {
    Runs.Upserted first =
        store.runs()
            .upsert(
                alice,
                new RunUpsert(
                    null, "", "ab12cd34", null, "some notes", null, "grp", "train", "vm", "train.py",
                    null, null, null, null, "{\"lr\": {\"value\": 0.1}}", null, List.of("a", "b")));
    assertTrue(first.inserted());
    RunInfo r = first.run();
    assertEquals("alice", r.entity());
    assertEquals("uncategorized", r.project());
    assertEquals("running", r.state());
    assertTrue(r.displayName().matches("[a-z]+-[a-z]+-1"), r.displayName());
    assertEquals(
        "Run:v1:ab12cd34:uncategorized:alice",
        new String(Base64.getDecoder().decode(r.storageId()), StandardCharsets.UTF_8));

    Runs.Upserted second =
        store.runs().upsert(alice, config("uncategorized", "ab12cd34", "{\"lr\": {\"value\": 0.2}}"));
    assertFalse(second.inserted());
    RunInfo s = second.run();
    assertEquals(r.id(), s.id());
    assertEquals(r.storageId(), s.storageId());
    assertEquals(r.displayName(), s.displayName());
    assertEquals("some notes", s.notes());
    assertEquals("grp", s.group());
    assertEquals("train", s.jobType());
    assertEquals("vm", s.host());
    assertEquals("train.py", s.program());
    assertEquals(List.of("a", "b"), s.tags());
    assertEquals("{\"lr\": {\"value\": 0.2}}", s.config());

    RunInfo next = store.runs().upsert(alice, upsert(null, "", "other")).run();
    assertTrue(next.displayName().endsWith("-2"), next.displayName());
  }

  @Test
  void theStorageIdSentBackNamesTheRun() {
    RunInfo r = store.runs().upsert(alice, upsert(null, "p", "r1")).run();
    RunUpsert byId =
        new RunUpsert(
            null, null, null, null, "from id", null, null, null, null, null, null, null, null, null,
            null, null, null);
    Runs.Upserted again = store.runs().upsert(alice, r.storageId(), byId);
    assertFalse(again.inserted());
    assertEquals(r.id(), again.run().id());
    assertEquals("from id", again.run().notes());
    assertThrows(NotFoundException.class, () -> store.runs().upsert(bob, r.storageId(), byId));
    assertThrows(NotFoundException.class, () -> store.runs().upsert(alice, "bm8gc3VjaA==", byId));
  }

  @Test
  void upsertChecksItsInput() {
    assertThrows(BadInputException.class, () -> store.runs().upsert(alice, config("p", "r", "{not json")));
    assertThrows(BadInputException.class, () -> store.runs().upsert(alice, config("p", "r", "[1, 2]")));
    assertThrows(BadInputException.class, () -> store.runs().upsert(alice, upsert(null, "p", "a/b")));
    assertThrows(BadInputException.class, () -> store.runs().upsert(alice, upsert(null, "p", "a\u0000b")));
    assertThrows(BadInputException.class, () -> store.runs().upsert(alice, upsert(null, "p", "")));
    assertThrows(
        BadInputException.class,
        () ->
            store.runs()
                .upsert(
                    alice,
                    new RunUpsert(
                        null, "p", "r", null, null, null, null, null, null, null, null, null, null,
                        "exploded", null, null, null)));
    assertTrue(store.runs().find(alice, new RunKey("alice", "p", "r")).isEmpty());
  }

  @Test
  void twoUsersSeeOnlyTheirOwnRuns() {
    RunKey aliceRun = create(alice, "shared-name", "r1");
    RunKey asBobSeesIt = new RunKey("alice", "shared-name", "r1");

    assertThrows(NotFoundException.class, () -> store.runs().upsert(bob, upsert("alice", "shared-name", "r1")));
    assertTrue(store.runs().find(bob, asBobSeesIt).isEmpty());
    assertThrows(
        NotFoundException.class,
        () -> store.fileStreams().apply(bob, asBobSeesIt, post("wandb-history.jsonl", 0, historyLines(0, 1))));
    assertThrows(NotFoundException.class, () -> store.runs().requestStop(bob, asBobSeesIt));
    assertThrows(NotFoundException.class, () -> store.runs().projects(bob, "alice"));
    assertThrows(
        NotFoundException.class,
        () ->
            store.runs()
                .list(bob, new Runs.RunFilter("alice", "shared-name", null, null, null, null, false, 10, 0)));

    // bob's run of the same project and name is another run
    RunKey bobRun = create(bob, "shared-name", "r1");
    store.fileStreams().apply(bob, bobRun, post("wandb-history.jsonl", 0, historyLines(0, 3)));
    assertEquals(0, run(alice, aliceRun).historyLineCount());
    assertEquals(3, run(bob, bobRun).historyLineCount());
    assertEquals(List.of("alice"), store.runs().entities(alice));
    assertEquals(1, store.runs().projects(alice, null).size());
    assertEquals(1, store.runs().projects(alice, null).get(0).runCount());
  }

  @Test
  void sqlMetacharactersAreJustCharacters() {
    String project = "p'; DROP TABLE runs; --";
    String name = "r\"') OR 1=1 --";
    RunKey key = create(alice, project, name);
    store.runs()
        .upsert(
            alice,
            new RunUpsert(
                null, project, name, "x' OR '1'='1", "notes'; DELETE FROM users; --", null,
                "g'roup", null, null, null, null, null, null, null, null, null,
                List.of("t'ag", "t\"ag2", "%", "_")));
    store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, List.of("{\"a'b\": 1, \"_step\": 0}")));
    RunInfo r = run(alice, key);
    assertEquals(project, r.project());
    assertEquals(name, r.name());
    assertEquals("x' OR '1'='1", r.displayName());
    assertEquals(List.of("t'ag", "t\"ag2", "%", "_"), r.tags());
    assertEquals(List.of("{\"a'b\": 1, \"_step\": 0}"), allHistory(r.id()));
    assertEquals(
        1,
        store.runs().list(alice, new Runs.RunFilter(null, project, null, "t'ag", "g'roup", null, false, 10, 0)).total());
    assertEquals(
        0,
        store.runs().list(alice, new Runs.RunFilter(null, project, null, "t%", null, null, false, 10, 0)).total());
    assertTrue(store.accounts().userForKey("' OR '1'='1").isEmpty());
    assertEquals(2, store.accounts().listKeys().size());
  }

  // ---- file streams ----

  @Test
  void aResentBatchIsStoredOnce() {
    RunKey key = create(alice, "p", "r");
    FileStreams.Applied a = store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, historyLines(0, 5)));
    assertEquals(5, a.historyLineCount());
    // the same batch again, and one that overlaps: only the new lines are added
    store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, historyLines(0, 5)));
    FileStreams.Applied b = store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 3, historyLines(3, 4)));
    assertEquals(7, b.historyLineCount());
    assertEquals(historyLines(0, 7), allHistory(run(alice, key).id()));

    store.fileStreams().apply(alice, key, post("wandb-events.jsonl", 0, List.of("{\"e\": 0}", "{\"e\": 1}")));
    store.fileStreams().apply(alice, key, post("wandb-events.jsonl", 0, List.of("{\"e\": 0}", "{\"e\": 1}")));
    RunInfo r = run(alice, key);
    assertEquals(2, r.eventsLineCount());
    assertEquals(List.of("{\"e\": 0}", "{\"e\": 1}"), store.data().eventsTail(r.id(), 10));
    assertEquals(List.of("{\"e\": 1}"), store.data().eventsTail(r.id(), 1));
  }

  @Test
  void aGapIsRefusedAndNothingOfThePostIsStored() {
    RunKey key = create(alice, "p", "r");
    store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, historyLines(0, 2)));
    store.fileStreams().apply(alice, key, post("wandb-summary.json", 0, List.of("{\"loss\": 1}")));
    long heartbeat = run(alice, key).heartbeatAtMillis();

    Map<String, Chunk> files = new LinkedHashMap<>();
    files.put("wandb-events.jsonl", new Chunk(0, List.of("{\"e\": 0}")));
    files.put("output.log", new Chunk(0, List.of("line 0")));
    files.put("wandb-summary.json", new Chunk(0, List.of("{\"loss\": 2}")));
    files.put("wandb-history.jsonl", new Chunk(3, historyLines(3, 2)));
    OffsetGapException gap =
        assertThrows(
            OffsetGapException.class,
            () -> store.fileStreams().apply(alice, key, new FileStreamPost(files, List.of(), true, 0, false)));
    assertEquals("wandb-history.jsonl", gap.file());
    assertEquals(2, gap.expected());
    assertEquals(3, gap.offset());

    RunInfo r = run(alice, key);
    assertEquals(2, r.historyLineCount());
    assertEquals(0, r.eventsLineCount());
    assertEquals(0, r.logLineCount());
    assertEquals("{\"loss\": 1}", r.summary());
    assertEquals("running", r.state());
    assertNull(r.exitCode());
    assertEquals(heartbeat, r.heartbeatAtMillis());
    assertEquals(historyLines(0, 2), allHistory(r.id()));
    assertTrue(console(r.id()).isEmpty());

    assertThrows(
        OffsetGapException.class,
        () -> store.fileStreams().apply(alice, key, post("output.log", 1, List.of("x"))));
    assertThrows(
        OffsetGapException.class,
        () -> store.fileStreams().apply(alice, key, post("wandb-events.jsonl", 1, List.of("{}"))));
  }

  @Test
  void consoleLinesOverwriteAtTheirOffsets() {
    RunKey key = create(alice, "p", "r");
    store.fileStreams().apply(alice, key, post("output.log", 0, List.of("a", "progress 10%")));
    store.fileStreams().apply(alice, key, post("output.log", 1, List.of("progress 50%")));
    store.fileStreams().apply(alice, key, post("output.log", 1, List.of("progress 100%", "b")));
    RunInfo r = run(alice, key);
    assertEquals(3, r.logLineCount());
    assertEquals(List.of("a", "progress 100%", "b"), console(r.id()));
    List<String> fromOne = new ArrayList<>();
    store.data().scanConsole(r.id(), 1, 1, (n, text) -> fromOne.add(n + ":" + text));
    assertEquals(List.of("1:progress 100%"), fromOne);
  }

  @Test
  void theSummaryIsReplacedNotMerged() {
    RunKey key = create(alice, "p", "r");
    store.fileStreams().apply(alice, key, post("wandb-summary.json", 0, List.of("{\"a\": 1, \"b\": 2}")));
    store.fileStreams().apply(alice, key, post("wandb-summary.json", 0, List.of("{\"a\": 1}", "{\"c\": NaN}")));
    assertEquals("{\"c\": NaN}", run(alice, key).summary());
    assertThrows(
        BadInputException.class,
        () -> store.fileStreams().apply(alice, key, post("wandb-summary.json", 0, List.of("{\"c\": "))));
    assertEquals("{\"c\": NaN}", run(alice, key).summary());
  }

  @Test
  void completeAndPreemptingSetTheState() {
    RunKey ok = create(alice, "p", "ok");
    RunKey bad = create(alice, "p", "bad");
    RunKey pre = create(alice, "p", "pre");
    store.fileStreams().apply(alice, ok, complete(0));
    store.fileStreams().apply(alice, bad, complete(3));
    store.fileStreams().apply(alice, pre, new FileStreamPost(Map.of(), List.of(), false, null, true));
    assertEquals("finished", run(alice, ok).state());
    assertEquals(0, run(alice, ok).exitCode());
    assertEquals("failed", run(alice, bad).state());
    assertEquals(3, run(alice, bad).exitCode());
    assertEquals("preempted", run(alice, pre).state());
    assertNull(run(alice, pre).exitCode());
  }

  @Test
  void aPreemptedRunThatExitsNonZeroStaysPreemptedAndOneThatExitsZeroFinished() {
    RunKey killed = create(alice, "p", "killed");
    RunKey recovered = create(alice, "p", "recovered");
    for (RunKey key : List.of(killed, recovered)) {
      store.fileStreams().apply(alice, key, new FileStreamPost(Map.of(), List.of(), false, null, true));
    }
    store.fileStreams().apply(alice, killed, new FileStreamPost(Map.of(), List.of(), true, 143, false));
    store.fileStreams().apply(alice, recovered, new FileStreamPost(Map.of(), List.of(), true, 0, false));
    assertEquals("preempted", run(alice, killed).state(), "SIGTERM's exit of a preempting run");
    assertEquals(143, run(alice, killed).exitCode());
    assertEquals("finished", run(alice, recovered).state());
  }

  @Test
  void everyPostRefreshesTheHeartbeat() throws Exception {
    RunKey key = create(alice, "p", "r");
    assertNull(run(alice, key).heartbeatAtMillis());
    store.fileStreams().apply(alice, key, new FileStreamPost(Map.of(), List.of(), false, null, false));
    long first = run(alice, key).heartbeatAtMillis();
    long before = System.currentTimeMillis();
    while (System.currentTimeMillis() == before) {
      Thread.onSpinWait();
    }
    store.fileStreams().apply(alice, key, new FileStreamPost(Map.of(), List.of(), false, null, false));
    assertTrue(run(alice, key).heartbeatAtMillis() > first);
  }

  @Test
  void aSilentRunIsMarkedCrashedAndRevivesWhenItPostsAgain() {
    RunKey silent = create(alice, "p", "silent");
    RunKey done = create(alice, "p", "done");
    RunKey other = create(bob, "q", "other");
    store.fileStreams().apply(alice, silent, post("output.log", 0, List.of("x")));
    store.fileStreams().apply(alice, done, complete(0));
    long afterPosts = System.currentTimeMillis() + 1;

    // heard from after the cut-off: nothing to mark
    assertEquals(List.of(), store.runs().markSilentRunsCrashed(afterPosts - 60_000));
    assertEquals("running", run(alice, silent).state());

    // silent since before the cut-off: crashed, whoever owns it; a finished run stays finished
    List<RunInfo> crashed = store.runs().markSilentRunsCrashed(afterPosts + 1);
    assertEquals(
        java.util.Set.of(silent, other),
        java.util.Set.copyOf(
            crashed.stream().map(r -> new RunKey(r.entity(), r.project(), r.name())).toList()));
    assertTrue(crashed.stream().allMatch(r -> r.state().equals("crashed")));
    assertEquals("crashed", run(alice, silent).state());
    assertEquals("crashed", run(bob, other).state());
    assertEquals("finished", run(alice, done).state());

    store.fileStreams().apply(alice, silent, post("output.log", 1, List.of("y")));
    assertEquals("running", run(alice, silent).state());
    store.fileStreams().apply(alice, silent, complete(0));
    assertEquals("finished", run(alice, silent).state());
  }

  @Test
  void alertsAreRecordedOncePerWaitAndOnlyForTheirOwner() {
    RunKey key = create(alice, "p", "r");
    long now = System.currentTimeMillis();
    assertTrue(store.runs().raiseAlert(alice, key, new Alert("slow", "step 1", "WARN", now), 60));
    // the same title within the wait: not again; another title, or no wait: recorded
    assertFalse(store.runs().raiseAlert(alice, key, new Alert("slow", "step 2", "WARN", now + 1_000), 60));
    assertTrue(store.runs().raiseAlert(alice, key, new Alert("diverged", "nan", "ERROR", now + 2_000), 60));
    assertTrue(store.runs().raiseAlert(alice, key, new Alert("slow", "step 3", "INFO", now + 3_000), 0));
    assertTrue(store.runs().raiseAlert(alice, key, new Alert("slow", "step 4", "INFO", now + 64_000), 60));

    List<Alert> alerts = store.runs().alerts(alice, key, 100);
    assertEquals(List.of("step 1", "nan", "step 3", "step 4"), alerts.stream().map(Alert::text).toList());
    assertEquals("ERROR", alerts.get(1).severity());
    assertEquals(2, store.runs().alerts(alice, key, 2).size());

    assertThrows(BadInputException.class, () -> store.runs().raiseAlert(alice, key, new Alert("x", "y", "LOUD", now), 0));
    assertThrows(BadInputException.class, () -> store.runs().raiseAlert(alice, key, new Alert("", "y", "INFO", now), 0));
    assertThrows(NotFoundException.class, () -> store.runs().raiseAlert(bob, key, new Alert("x", "y", "INFO", now), 0));
    assertThrows(NotFoundException.class, () -> store.runs().alerts(bob, key, 10));
  }

  @Test
  void stopRequestsReachTheFileStreamAnswer() {
    RunKey key = create(alice, "p", "r");
    assertFalse(store.fileStreams().apply(alice, key, complete(null)).stopRequested());
    store.runs().requestStop(alice, key);
    assertTrue(run(alice, key).stopRequested());
    assertTrue(store.fileStreams().apply(alice, key, post("output.log", 0, List.of("x"))).stopRequested());
  }

  @Test
  void badLinesAreRefusedAndNothingOfThePostIsStored() {
    RunKey key = create(alice, "p", "r");
    Map<String, Chunk> files = new LinkedHashMap<>();
    files.put("wandb-history.jsonl", new Chunk(0, historyLines(0, 3)));
    files.put("output.log", new Chunk(0, List.of("ok", "nul \u0000 inside")));
    assertThrows(
        BadInputException.class,
        () -> store.fileStreams().apply(alice, key, new FileStreamPost(files, List.of(), false, null, false)));
    assertThrows(
        BadInputException.class,
        () -> store.fileStreams().apply(alice, key, post("wandb-history.jsonl", -1, historyLines(0, 1))));
    RunInfo r = run(alice, key);
    assertEquals(0, r.historyLineCount());
    assertEquals(0, r.logLineCount());
    assertTrue(allHistory(r.id()).isEmpty());
  }

  @Test
  void racingFirstUpsertsOfOneRunCreateItOnce() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Runs.Upserted> results = new ArrayList<>();
    // an existing project: a new one's insert would make the racers wait for each other
    create(alice, "the-project", "first");
    try {
      warmPool(pool, threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Runs.Upserted>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.runs().upsert(alice, upsert(null, "the-project", "same-run"));
                }));
      }
      start.countDown();
      for (Future<Runs.Upserted> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, results.stream().filter(Runs.Upserted::inserted).count());
    assertEquals(1, results.stream().map(u -> u.run().id()).distinct().count());
    assertEquals(2, store.runs().projects(alice, null).get(0).runCount());
  }

  @Test
  void aPostForAMissingRunIsNotFound() {
    assertThrows(
        NotFoundException.class,
        () -> store.fileStreams().apply(alice, new RunKey("alice", "p", "nope"), complete(0)));
  }

  @Test
  void runDataReadsBackWhatWasPosted() throws Exception {
    RunKey key = create(alice, "p", "r");
    List<String> history = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double loss = i == 123 ? 100.0 : i == 321 ? -100.0 : 1.0 / (i + 1);
      history.add("{\"loss\": " + loss + ", \"acc\": " + (i == 7 ? "NaN" : String.valueOf(i / 400.0)) + ", \"_step\": " + i + "}");
    }
    store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, history.subList(0, 200)));
    store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 200, history.subList(200, 400)));
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add("{\"system.cpu\": " + i + ", \"_wandb\": true}");
    }
    store.fileStreams().apply(alice, key, post("wandb-events.jsonl", 0, events));
    long id = run(alice, key).id();

    assertEquals(history.subList(397, 400), store.data().historyTail(id, 3));
    assertTrue(store.data().historyKeys(id).containsAll(List.of("_step", "acc", "loss")));
    List<String> fromEvents = new ArrayList<>();
    store.data().scanEvents(id, 3, 10, (n, text) -> fromEvents.add(n + ":" + text));
    assertEquals(List.of("3:" + events.get(3), "4:" + events.get(4)), fromEvents);

    // one key, from a line on: each line holds that key and _step, nothing else
    List<Long> lineNumbers = new ArrayList<>();
    List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
    store.data()
        .scanHistory(
            id,
            List.of("loss"),
            390,
            5,
            (n, text) -> {
              lineNumbers.add(n);
              lines.add(JsonTexts.object("line", text));
            });
    assertEquals(List.of(390L, 391L, 392L, 393L, 394L), lineNumbers);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(390 + i, lines.get(i).get("_step").asLong());
      assertEquals(1.0 / (391 + i), lines.get(i).get("loss").asDouble(), 1e-12);
      assertNull(lines.get(i).get("acc"));
    }

    // sampled to about 40 points: the spikes survive
    dev.runbus.server.store.RunData.SampledHistory sampled = store.data().sampleHistory(id, List.of("loss"), 40);
    dev.runbus.server.store.RunData.SampledHistory.Series loss = sampled.series().get(0);
    assertEquals("loss", loss.key());
    assertTrue(loss.steps().length <= 80 && loss.steps().length >= 20, "points: " + loss.steps().length);
    assertTrue(java.util.Arrays.stream(loss.values()).anyMatch(v -> v == 100.0));
    assertTrue(java.util.Arrays.stream(loss.values()).anyMatch(v -> v == -100.0));
    for (int i = 1; i < loss.steps().length; i++) {
      assertTrue(loss.steps()[i] > loss.steps()[i - 1]);
    }
  }

  // ---- files ----

  @Test
  void fileRecordsAreReplacedByName() {
    long runId = store.runs().upsert(alice, upsert(null, "p", "r")).run().id();
    store.files().recordUpload(runId, "media/a.png", 10, "md5a");
    store.files().recordUpload(runId, "config.yaml", 5, null);
    store.files().recordUpload(runId, "media/a.png", 12, "md5b");
    List<RunFiles.FileInfo> files = store.files().list(runId);
    assertEquals(List.of("config.yaml", "media/a.png"), files.stream().map(RunFiles.FileInfo::name).toList());
    assertEquals(12, store.files().find(runId, "media/a.png").orElseThrow().sizeBytes());
    assertEquals("md5b", store.files().find(runId, "media/a.png").orElseThrow().md5Base64());
    assertTrue(store.files().find(runId, "nope").isEmpty());
    assertThrows(BadInputException.class, () -> store.files().recordUpload(runId, "../x", 1, null));
  }

  // ---- concurrency ----

  @Test
  void twentyRunsPostingFromManyThreadsLoseAndMixNothing() throws Exception {
    int runs = 20;
    int batches = 15;
    int perBatch = 20;
    List<RunKey> keys = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      keys.add(create(i % 2 == 0 ? alice : bob, "p", "run-" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        int index = i;
        User user = i % 2 == 0 ? alice : bob;
        futures.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < batches; b++) {
                    List<String> lines = new ArrayList<>();
                    for (int j = 0; j < perBatch; j++) {
                      lines.add("{\"run\": " + index + ", \"_step\": " + (b * perBatch + j) + "}");
                    }
                    Map<String, Chunk> files = new LinkedHashMap<>();
                    files.put("wandb-history.jsonl", new Chunk((long) b * perBatch, lines));
                    files.put("output.log", new Chunk(b, List.of("run " + index + " batch " + b)));
                    FileStreamPost p = new FileStreamPost(files, List.of(), false, null, false);
                    store.fileStreams().apply(user, keys.get(index), p);
                    if (b % 4 == 0) {
                      store.fileStreams().apply(user, keys.get(index), p); // a re-send
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < runs; i++) {
      User user = i % 2 == 0 ? alice : bob;
      RunInfo r = run(user, keys.get(i));
      assertEquals(batches * perBatch, r.historyLineCount());
      List<String> lines = allHistory(r.id());
      assertEquals(batches * perBatch, lines.size());
      for (int s = 0; s < lines.size(); s++) {
        assertEquals("{\"run\": " + i + ", \"_step\": " + s + "}", lines.get(s));
      }
      assertEquals(batches, console(r.id()).size());
      assertEquals("run " + i + " batch 0", console(r.id()).get(0));
    }
  }

  @Test
  void racingResendsOfOneBatchStoreItOnce() throws Exception {
    RunKey key = create(alice, "p", "r");
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      warmPool(pool, threads);
      for (int round = 0; round < 10; round++) {
        FileStreamPost p = post("wandb-history.jsonl", round * 10L, historyLines(round * 10, 10));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.fileStreams().apply(alice, key, p);
                  }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    RunInfo r = run(alice, key);
    assertEquals(100, r.historyLineCount());
    assertEquals(historyLines(0, 100), allHistory(r.id()));
  }

  /**
   * Makes the pool open {@code n} connections, by holding them all at once: the pool opens
   * connections lazily, and without this the first of several racing calls may be done before
   * the others have a connection, so nothing would race.
   */
  void warmPool(ExecutorService pool, int n) throws Exception {
    java.util.concurrent.CyclicBarrier all = new java.util.concurrent.CyclicBarrier(n);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(
          pool.submit(
              () ->
                  store.database()
                      .read(
                          c -> {
                            try {
                              all.await(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                            return null;
                          })));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  // ---- listing ----

  @Test
  void runsAreFilteredSortedByASummaryMetricAndPaged() {
    String[] summaries = {
      "{\"acc\": 0.5, \"val\": {\"loss\": 3}}",
      "{\"acc\": NaN}",
      "{\"acc\": Infinity}",
      "{\"acc\": -Infinity}",
      "{\"acc\": 0.9}",
      "{\"other\": 1}",
      "{\"acc\": 0.1, \"val\": {\"loss\": 1}}"
    };
    for (int i = 0; i < summaries.length; i++) {
      store.runs()
          .upsert(
              alice,
              new RunUpsert(
                  null, "proj", "r" + i, null, null, null, i % 2 == 0 ? "even" : "odd", null, null,
                  null, null, null, null, null, null, summaries[i], i < 3 ? List.of("early") : List.of()));
    }
    store.fileStreams().apply(alice, new RunKey("alice", "proj", "r4"), complete(0));

    assertEquals(
        List.of("r3", "r6", "r0", "r4", "r2", "r1", "r5"), names(list("acc", false, null, null, null, 10, 0)));
    assertEquals(
        List.of("r2", "r4", "r0", "r6", "r3", "r5", "r1"), names(list("acc", true, null, null, null, 10, 0)));
    assertEquals(List.of("r6", "r0"), names(list("val.loss", false, null, null, null, 2, 0)).subList(0, 2));
    assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6"), names(list("name", false, null, null, null, 10, 0)));
    assertEquals(List.of("r4"), names(list(null, false, "finished", null, null, 10, 0)));
    assertEquals(List.of("r0", "r2"), names(list("name", false, null, "early", "even", 10, 0)));
    assertEquals(List.of("r1", "r3", "r5"), names(list("name", false, null, null, "odd", 10, 0)));

    List<String> paged = new ArrayList<>();
    Long cursor = 0L;
    while (cursor != null) {
      Runs.RunPage page = list("acc", true, null, null, null, 3, cursor);
      assertEquals(7, page.total());
      paged.addAll(names(page));
      cursor = page.nextCursor();
    }
    assertEquals(names(list("acc", true, null, null, null, 10, 0)), paged);

    assertThrows(BadInputException.class, () -> list("acc", true, null, null, null, 0, 0));
    assertThrows(BadInputException.class, () -> list("acc", true, null, null, null, 10, -1));
    assertThrows(
        NotFoundException.class,
        () -> store.runs().list(alice, new Runs.RunFilter(null, "nope", null, null, null, null, false, 10, 0)));
  }

  @Test
  void runsAreFoundByNameOrDisplayNameIgnoringCaseWithLikeCharactersTakenLiterally() {
    store.runs().upsert(alice, displayed("alpha-1", "Bright-Moon-1"));
    store.runs().upsert(alice, displayed("beta_2", "x%y"));
    store.runs().upsert(alice, displayed("gamma", null));
    store.runs().upsert(alice, displayed("betaX2", "a\\b"));
    assertEquals(List.of("alpha-1"), searched("BRIGHT"));
    assertEquals(List.of("alpha-1"), searched("aLp"));
    assertEquals(List.of("beta_2"), searched("_"));
    assertEquals(List.of("beta_2"), searched("ta_2"));
    assertEquals(List.of("beta_2"), searched("%"));
    assertEquals(List.of(), searched("e%2"));
    assertEquals(List.of("betaX2"), searched("\\"));
    assertEquals(4, searched("").size());
    assertEquals(1, list(new Runs.RunFilter(null, "proj", null, null, null, "name", false, 10, 0, "MOON", false)).total());
    assertThrows(BadInputException.class, () -> searched("x".repeat(257)));
  }

  @Test
  void runsSortByAConfigValueNumbersThenTextsThenRunsWithoutIt() {
    String[] configs = {
      "{\"lr\": {\"value\": 0.1}, \"opt\": {\"value\": {\"beta\": 0.9}}}",
      "{\"lr\": {\"value\": 0.01, \"desc\": null}, \"opt\": {\"value\": {\"beta\": 0.5}}}",
      "{\"lr\": {\"value\": \"auto\"}}",
      "{\"other\": {\"value\": 1}}",
      "{\"lr\": {\"value\": NaN}, \"_wandb\": {\"value\": {\"t\": 1}}}"
    };
    for (int i = 0; i < configs.length; i++) {
      store.runs().upsert(alice, config("proj", "c" + i, configs[i]));
    }
    assertEquals(List.of("c1", "c0", "c2", "c3", "c4"), configSorted("lr", false));
    assertEquals(List.of("c0", "c1", "c2", "c4", "c3"), configSorted("lr", true));
    assertEquals(List.of("c1", "c0", "c2", "c3", "c4"), configSorted("opt.beta", false));
    // a new config replaces the values sorted by
    store.runs().upsert(alice, config("proj", "c3", "{\"lr\": {\"value\": 0.001}}"));
    assertEquals(List.of("c3", "c1", "c0", "c2", "c4"), configSorted("lr", false));
    // a summary key of the same name is another thing
    assertEquals(5, list("lr", false, null, null, null, 10, 0).total());
  }

  @Test
  void configValuesOfRunsStoredBeforeTheirTableAreFilledIn() throws Exception {
    store.runs().upsert(alice, config("proj", "old1", "{\"lr\": {\"value\": 0.5}}"));
    store.runs().upsert(alice, config("proj", "old2", "{\"lr\": {\"value\": 0.2}}"));
    try (Connection c = store.database().dataSource().getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_config_values")) {
        ps.executeUpdate();
      }
      new V5__ConfigValuesBackfill()
          .migrate(
              new org.flywaydb.core.api.migration.Context() {
                @Override
                public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
                  return null;
                }

                @Override
                public Connection getConnection() {
                  return c;
                }
              });
    }
    assertEquals(List.of("old2", "old1"), configSorted("lr", false));
  }

  @Test
  void aProjectsKeysAreTheTopLevelKeysOfItsRecentRuns() {
    store.runs()
        .upsert(
            alice,
            new RunUpsert(
                null, "keys", "k1", null, null, null, null, null, null, null, null, null, null, null,
                "{\"lr\": {\"value\": 1}, \"_wandb\": {\"value\": {}}, \"opt\": {\"value\": {\"a\": 1}}}",
                "{\"loss\": 1, \"_runtime\": 3, \"_step\": 9, \"_timestamp\": 1, \"_wandb\": {}, \"val\": {\"acc\": 1}}",
                null));
    store.runs().upsert(alice, config("keys", "k2", "{\"batch\": {\"value\": 32}}"));
    Runs.ProjectKeys keys = store.runs().keys(alice, "alice", "keys");
    assertEquals(List.of("batch", "lr", "opt"), keys.config());
    assertEquals(List.of("_runtime", "_step", "loss", "val"), keys.summary());
    assertThrows(NotFoundException.class, () -> store.runs().keys(bob, "alice", "keys"));
    assertThrows(NotFoundException.class, () -> store.runs().keys(alice, "alice", "nope"));
  }

  @Test
  void aProjectsKeysAreBoundedInRunsReadAndKeysKept() {
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < Runs.ProjectKeys.MAX_KEYS + 50; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(1000 + i).append("\": {\"value\": 1}");
    }
    store.runs().upsert(alice, config("wide", "w", wide.append("}").toString()));
    assertEquals(Runs.ProjectKeys.MAX_KEYS, store.runs().keys(alice, null, "wide").config().size());
  }

  static RunUpsert displayed(String name, String displayName) {
    return new RunUpsert(
        null, "proj", name, displayName, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  List<String> searched(String text) {
    return names(list(new Runs.RunFilter(null, "proj", null, null, null, "name", false, 10, 0, text, false)));
  }

  List<String> configSorted(String key, boolean descending) {
    return names(list(new Runs.RunFilter(null, "proj", null, null, null, key, descending, 10, 0, null, true)));
  }

  Runs.RunPage list(Runs.RunFilter filter) {
    return store.runs().list(alice, filter);
  }

  Runs.RunPage list(String sortBy, boolean descending, String state, String tag, String group, int limit, long cursor) {
    return store.runs()
        .list(alice, new Runs.RunFilter(null, "proj", state, tag, group, sortBy, descending, limit, cursor));
  }

  static List<String> names(Runs.RunPage page) {
    return page.runs().stream().map(RunInfo::name).toList();
  }

  // ---- durability ----

  @Test
  void aKilledWriterLosesNoAcknowledgedPost() throws Exception {
    Accounts.IssuedKey key = store.accounts().createKey("erin");
    store.runs().upsert(key.user(), upsert(null, "p", "crash"));
    RunKey run = new RunKey("erin", "p", "crash");
    store.close();
    store = null;

    Process child = startChild(ApplyChild.class, databaseArgument(), key.key(), "p", "crash");
    long acked = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked < 40L * ApplyChild.BATCH && (line = out.readLine()) != null) {
        if (line.startsWith("acked ")) {
          acked = Long.parseLong(line.substring(6));
        }
      }
      // SIGKILL on Linux: no shutdown hook, no close, in the middle of the next apply
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(acked >= 40L * ApplyChild.BATCH, "the child stopped after " + acked + " lines");

    store = reopenStore();
    RunInfo r = store.runs().find(key.user(), run).orElseThrow();
    assertTrue(r.historyLineCount() >= acked, r.historyLineCount() + " < acked " + acked);
    assertEquals(historyLines(0, (int) r.historyLineCount()), allHistory(r.id()));

    // the client re-sends what it has no answer for: nothing twice
    long stored = r.historyLineCount();
    store.fileStreams()
        .apply(key.user(), run, post("wandb-history.jsonl", acked, historyLines((int) acked, (int) (stored - acked) + 5)));
    assertEquals(historyLines(0, (int) stored + 5), allHistory(r.id()));
  }

  static Process startChild(Class<?> main, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
