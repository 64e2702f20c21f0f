package dev.runbus;

import dev.runbus.json.UnicodeText;
import dev.runbus.sender.ServerCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a run starts. Built with {@link #builder()}; anything not set on the builder comes from W&B's
 * environment variables ({@code WANDB_MODE}, {@code WANDB_DIR}, {@code WANDB_PROJECT}, {@code
 * WANDB_ENTITY}, {@code WANDB_RUN_ID}, {@code WANDB_NAME}, {@code WANDB_NOTES}, {@code WANDB_TAGS},
 * {@code WANDB_RUN_GROUP}, {@code WANDB_JOB_TYPE}, {@code WANDB_DISABLED}, {@code WANDB_SILENT},
 * {@code WANDB_QUIET}, {@code WANDB_CONSOLE}, {@code WANDB_DISABLE_GIT}), then from defaults. {@link Builder#build()} throws {@link
 * IllegalArgumentException} naming the setting or variable when one is invalid (an unknown mode,
 * a run id with a character that cannot name a file, a project, name, notes, tag, entity, group or
 * job type that is not valid Unicode).
 *
 * <p>A run is online, logged to disk and streamed to a server, when the settings know a server and
 * its key: {@link Builder#baseUrl} or {@code WANDB_BASE_URL}, and {@link Builder#apiKey}, {@code
 * WANDB_API_KEY} or the {@code .netrc} entry of the server's host ({@code $NETRC}, else {@code
 * ~/.netrc}), as W&B's clients find them. {@code WANDB_MODE=offline} keeps it offline all the same.
 *
 * <p>One {@code Settings} may start any number of runs: unless a run id is set, each run draws its
 * own at {@code init} (see {@link #runId()}).
 *
 * <p>{@code log()} hands rows to a queue bounded in bytes ({@link Builder#queueBytes}, an eighth of
 * the heap and at most 64 MiB by default) and, if set, in rows ({@link Builder#queueCapacity}).
 * When the pipeline falls that far behind, {@code log()} blocks until there is room: memory stays
 * bounded and nothing is dropped, at the price of slowing a caller that logs faster than the disk
 * can take.
 */
public final class Settings {

  /** Longest run id accepted: it names files and event-bus addresses. */
  public static final int MAX_RUN_ID_LENGTH = 64;

  private final Mode mode;
  private final Path dir;
  private final String project;
  private final String entity;
  private final String runId;
  private final String name;
  private final String notes;
  private final List<String> tags;
  private final String group;
  private final String jobType;
  private final Map<String, Object> config;
  private final boolean strictSteps;
  private final int queueCapacity;
  private final long queueBytes;
  private final FsyncPolicy fsync;
  private final Duration fsyncInterval;
  private final Duration flushInterval;
  private final boolean quiet;
  private final boolean finishAtExit;
  private final boolean console;
  private final boolean gitMetadata;
  private final Optional<ServerCredentials> server;
  private final String resume;
  private final Duration finishTimeout;
  private final Attach attach;
  private final StatsSettings stats;

  private Settings(Builder b, Map<String, String> env) {
    this.server = serverFrom(b, env);
    this.mode = b.mode != null ? b.mode : modeFrom(env, server.isPresent());
    if (mode == Mode.ONLINE && server.isEmpty()) {
      throw new IllegalArgumentException(
          "online mode needs a server and its API key: set WANDB_BASE_URL and WANDB_API_KEY"
              + " (or Settings.baseUrl and apiKey, or a .netrc entry for the server's host),"
              + " or run offline (WANDB_MODE=offline) and upload later with `runbus sync`");
    }
    this.resume = resumeFrom(b.resume != null ? b.resume : env.get("WANDB_RESUME"));
    this.finishTimeout = b.finishTimeout;
    this.dir =
        (b.dir != null ? b.dir : Path.of(env.getOrDefault("WANDB_DIR", ".")))
            .toAbsolutePath()
            .normalize();
    this.project = text("project", b.project, "WANDB_PROJECT", env);
    this.entity = text("entity", b.entity, "WANDB_ENTITY", env);
    String setId = first(b.runId, env.get("WANDB_RUN_ID"), null);
    this.runId =
        setId == null // none set: each run draws its own
            ? ""
            : checkRunId(b.runId != null ? "Settings.runId" : "WANDB_RUN_ID", setId);
    this.attach =
        Attach.resolve(
            new Attach.Explicit(b.attach, b.rank, b.worldSize, b.serviceToken, b.labelRankKeys),
            env,
            runId);
    this.stats =
        StatsSettings.resolve(
            new StatsSettings.Explicit(b.stats, b.statsSampleInterval, b.statsInterval), env);
    this.name = text("name", b.name, "WANDB_NAME", env);
    this.notes = text("notes", b.notes, "WANDB_NOTES", env);
    this.tags = b.tags != null ? b.tags : tagsFrom(env.get("WANDB_TAGS"));
    for (String tag : tags) {
      UnicodeText.requireValid(b.tags != null ? "tag" : "WANDB_TAGS tag", tag);
    }
    this.group = text("group", b.group, "WANDB_RUN_GROUP", env);
    this.jobType = text("jobType", b.jobType, "WANDB_JOB_TYPE", env);
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
    this.strictSteps = b.strictSteps;
    this.queueCapacity = b.queueCapacity;
    this.queueBytes = b.queueBytes != 0 ? b.queueBytes : defaultQueueBytes();
    this.fsync = b.fsync;
    this.fsyncInterval = b.fsyncInterval;
    this.flushInterval = b.flushInterval;
    this.quiet =
        b.quiet != null
            ? b.quiet
            : truthy(env.get("WANDB_SILENT")) || truthy(env.get("WANDB_QUIET"));
    this.finishAtExit = b.finishAtExit;
    this.console = b.console != null ? b.console : consoleFrom(env.get("WANDB_CONSOLE"));
    this.gitMetadata =
        b.gitMetadata != null ? b.gitMetadata : !truthy(env.get("WANDB_DISABLE_GIT"));
  }

  /** A copy of {@code s} with another run id. */
  private Settings(Settings s, String runId) {
    this.mode = s.mode;
    this.dir = s.dir;
    this.project = s.project;
    this.entity = s.entity;
    this.runId = runId;
    this.name = s.name;
    this.notes = s.notes;
    this.tags = s.tags;
    this.group = s.group;
    this.jobType = s.jobType;
    this.config = s.config;
    this.strictSteps = s.strictSteps;
    this.queueCapacity = s.queueCapacity;
    this.queueBytes = s.queueBytes;
    this.fsync = s.fsync;
    this.fsyncInterval = s.fsyncInterval;
    this.flushInterval = s.flushInterval;
    this.quiet = s.quiet;
    this.finishAtExit = s.finishAtExit;
    this.console = s.console;
    this.gitMetadata = s.gitMetadata;
    this.server = s.server;
    this.resume = s.resume;
    this.finishTimeout = s.finishTimeout;
    this.attach = s.attach;
    this.stats = s.stats;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings from the environment alone. */
  public static Settings fromEnvironment() {
    return builder().build();
  }

  private static Mode modeFrom(Map<String, String> env, boolean serverKnown) {
    if (truthy(env.get("WANDB_DISABLED"))) {
      return Mode.DISABLED;
    }
    String mode = env.get("WANDB_MODE");
    if (mode == null || mode.isBlank()) {
      return serverKnown ? Mode.ONLINE : Mode.OFFLINE;
    }
    return Mode.parse(mode);
  }

  /**
   * The server and key, as W&B's clients find them; the home directory (for {@code ~/.netrc}) is
   * the environment's {@code HOME} when it names one, so tests with their own environment get
   * their own.
   */
  private static Optional<ServerCredentials> serverFrom(Builder b, Map<String, String> env) {
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    try {
      return ServerCredentials.resolve(b.baseUrl, b.apiKey, env, Path.of(home));
    } catch (RunbusException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** W&B's resume words; {@code auto} needs a resume file runbus does not keep yet. */
  private static String resumeFrom(String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    String word = value.trim().toLowerCase(Locale.ROOT);
    switch (word) {
      case "allow", "must", "never" -> {
        return word;
      }
      case "true" -> {
        return "allow";
      }
      case "false" -> {
        return "";
      }
      default ->
          throw new IllegalArgumentException(
              "unknown resume \""
                  + value
                  + "\": use allow, must or never (WANDB_RESUME; allow continues a run of the"
                  + " same id if the server has one, must requires one, never refuses one)");
    }
  }

  private static boolean truthy(String value) {
    return value != null
        && List.of("true", "1", "yes").contains(value.trim().toLowerCase(Locale.ROOT));
  }

  private static List<String> tagsFrom(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> tags = new ArrayList<>();
    for (String tag : value.split(",")) {
      if (!tag.isBlank()) {
        tags.add(tag.trim());
      }
    }
    return List.copyOf(tags);
  }

  /**
   * A text setting: from the builder, else the variable, else empty. It travels in the run record
   * as UTF-8, so it must be valid Unicode; the message names the setting or the variable it came
   * from.
   */
  private static String text(
      String setting, String explicit, String variable, Map<String, String> env) {
    String value = first(explicit, env.get(variable), "");
    return UnicodeText.requireValid(explicit != null ? setting : variable, value);
  }

  private static String first(String explicit, String fromEnv, String fallback) {
    if (explicit != null) {
      return explicit;
    }
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
  }

  /** W&B's default: 8 characters from [a-z0-9]. */
  public static String randomId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) {
      id[i] = alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length()));
    }
    return new String(id);
  }

  /** A run id, checked; the message names {@code source}, the setting or variable it came from. */
  public static String checkRunId(String source, String id) {
    if (id.isEmpty() || id.length() > MAX_RUN_ID_LENGTH) {
      throw new IllegalArgumentException(
          source + ": run id \"" + id + "\" must have 1 to " + MAX_RUN_ID_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException(
            source
                + ": run id \""
                + id
                + "\" has the character '"
                + c
                + "': use letters, digits, '-', '_' and '.' (it names files and addresses)");
      }
    }
    return id;
  }

  public Mode mode() {
    return mode;
  }

  /** The root under which {@code wandb/} holds the runs. */
  public Path dir() {
    return dir;
  }

  public String project() {
    return project;
  }

  public String entity() {
    return entity;
  }

  /**
   * The run id set with {@link Builder#runId} or {@code WANDB_RUN_ID}, or empty when none was set.
   * Without one, every run started with these settings draws its own id at {@code init}, as W&B
   * does, so one {@code Settings} (a constant, a sweep's loop) can start many runs; {@link
   * Run#id()} is the id a run got.
   */
  public String runId() {
    return runId;
  }

  /**
   * The settings one run starts with: these, if a run id was set, else a copy with a freshly drawn
   * id (a new one on every call).
   */
  Settings forOneRun() {
    return runId.isEmpty() ? new Settings(this, randomId()) : this;
  }

  public String name() {
    return name;
  }

  public String notes() {
    return notes;
  }

  public List<String> tags() {
    return tags;
  }

  public String group() {
    return group;
  }

  public String jobType() {
    return jobType;
  }

  public Map<String, Object> config() {
    return config;
  }

  public boolean strictSteps() {
    return strictSteps;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** The bytes that may wait between {@code log()} and the disk; see {@link Builder#queueBytes}. */
  public long queueBytes() {
    return queueBytes;
  }

  /** Most a queue holds by default: enough for a cold start's burst of small rows. */
  private static final long MAX_DEFAULT_QUEUE_BYTES = 64L << 20;

  /**
   * An eighth of the heap, at most {@link #MAX_DEFAULT_QUEUE_BYTES}: what waits may be held twice
   * for a while (a row and the text the pump makes of it), and the program needs the rest.
   */
  static long defaultQueueBytes() {
    return Math.min(MAX_DEFAULT_QUEUE_BYTES, Runtime.getRuntime().maxMemory() / 8);
  }

  public FsyncPolicy fsync() {
    return fsync;
  }

  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public boolean quiet() {
    return quiet;
  }

  /** Whether the JVM's exit finishes the run if it is still open (see {@link Builder#finishAtExit}). */
  public boolean finishAtExit() {
    return finishAtExit;
  }

  /** Whether runs capture System.out and System.err into their logs (see {@link Builder#console}). */
  public boolean console() {
    return console;
  }

  /**
   * Whether the run's metadata names the git repository the program runs in (see {@link
   * Builder#gitMetadata}).
   */
  public boolean gitMetadata() {
    return gitMetadata;
  }

  /** W&B's {@code WANDB_CONSOLE}: {@code off} turns the capture off; its other modes all capture. */
  private static boolean consoleFrom(String value) {
    if (value == null || value.isBlank()) {
      return true;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "off" -> false;
      case "auto", "wrap", "redirect", "wrap_raw", "wrap_emu" -> true;
      default ->
          throw new IllegalArgumentException(
              "WANDB_CONSOLE must be one of auto, wrap, redirect, wrap_raw, wrap_emu, off; was "
                  + value);
    };
  }

  /** The server an online run logs to, and its key; empty when none is known. */
  public Optional<ServerCredentials> server() {
    return server;
  }

  /** W&B's resume word ({@code allow}, {@code must}, {@code never}), or empty for a new run. */
  public String resume() {
    return resume;
  }

  /**
   * How long {@code finish()} of an online run waits for the server to acknowledge everything;
   * when it runs out, finish says what is left and how to upload it with {@code runbus sync}.
   */
  public Duration finishTimeout() {
    return finishTimeout;
  }

  /**
   * Whether (and as which rank) runs attach to a runbus service over the cluster instead of
   * running in this JVM's kernel; {@link Attach#NONE} when they do not.
   */
  public Attach attach() {
    return attach;
  }

  /** System metrics: on or off, and how often they are sampled and logged. */
  public StatsSettings stats() {
    return stats;
  }

  /** Collects explicit settings; {@link #build()} fills the rest from the environment. */
  public static final class Builder {
    private Mode mode;
    private Path dir;
    private String project;
    private String entity;
    private String runId;
    private String name;
    private String notes;
    private List<String> tags;
    private String group;
    private String jobType;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private boolean strictSteps;
    private int queueCapacity = Integer.MAX_VALUE;
    private long queueBytes; // 0: the default, from the heap's size at build()
    private FsyncPolicy fsync = FsyncPolicy.AT_FINISH;
    private Duration fsyncInterval = Duration.ofSeconds(5);
    private Duration flushInterval = Duration.ofSeconds(1);
    private Boolean quiet;
    private boolean finishAtExit = true;
    private Boolean console;
    private Boolean gitMetadata;
    private Map<String, String> environment;
    private String baseUrl;
    private String apiKey;
    private String resume;
    private Duration finishTimeout = Duration.ofMinutes(5);
    private Boolean attach;
    private Integer rank;
    private Integer worldSize;
    private String serviceToken;
    private Boolean labelRankKeys;
    private Boolean stats;
    private Duration statsSampleInterval;
    private Duration statsInterval;

    private Builder() {}

    /**
     * Whether the run logs system metrics (CPU, memory, disk, network, GPUs, the JVM's heap, GC
     * and threads) as W&B does; on by default, off as with {@code WANDB_X_DISABLE_STATS=true}.
     */
    public Builder stats(boolean stats) {
      this.stats = stats;
      return this;
    }

    /** How often system metrics are read (every 2 s by default; at least 100 ms). */
    public Builder statsSampleInterval(Duration interval) {
      this.statsSampleInterval = positive(interval, "statsSampleInterval");
      return this;
    }

    /**
     * How often the samples' aggregate is logged as one record (every 15 s by default; never
     * more often than samples are read).
     */
    public Builder statsInterval(Duration interval) {
      this.statsInterval = positive(interval, "statsInterval");
      return this;
    }

    /**
     * Attach every run to a runbus service over the cluster (as {@code RUNBUS_ATTACH=cluster}):
     * this JVM joins the service's Hazelcast cluster as a lite member and logs into the run the
     * service hosts under the run id, as one rank. {@code false} keeps runs in this JVM whatever
     * the environment says.
     */
    public Builder attach(boolean attach) {
      this.attach = attach;
      return this;
    }

    /** This process's rank when attaching (as {@code RUNBUS_RANK}, else {@code RANK}); 0 by default. */
    public Builder rank(int rank) {
      this.rank = rank;
      return this;
    }

    /**
     * How many ranks log into the run (as {@code RUNBUS_WORLD_SIZE}, else {@code WORLD_SIZE}); 1
     * by default. More than one needs a run id every rank shares.
     */
    public Builder worldSize(int worldSize) {
      this.worldSize = worldSize;
      return this;
    }

    /** The service's token (as {@code RUNBUS_SERVICE_TOKEN}); never printed. */
    public Builder serviceToken(String token) {
      this.serviceToken = Objects.requireNonNull(token, "serviceToken");
      return this;
    }

    /**
     * Whether the service labels this rank's keys {@code rank<N>/…} (by default when the world
     * has more than one rank); {@code false} merges every rank's keys into one row per step.
     */
    public Builder labelRankKeys(boolean label) {
      this.labelRankKeys = label;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder mode(String mode) {
      return mode(Mode.parse(mode));
    }

    public Builder dir(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    public Builder entity(String entity) {
      this.entity = Objects.requireNonNull(entity, "entity");
      return this;
    }

    /**
     * The id of every run these settings start (as {@code WANDB_RUN_ID}); without one, each run
     * draws its own at {@code init}.
     */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder notes(String notes) {
      this.notes = Objects.requireNonNull(notes, "notes");
      return this;
    }

    public Builder tags(String... tags) {
      this.tags = List.copyOf(Arrays.asList(tags));
      return this;
    }

    public Builder group(String group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    public Builder jobType(String jobType) {
      this.jobType = Objects.requireNonNull(jobType, "jobType");
      return this;
    }

    /** The run's config at start; nested maps and lists are fine. */
    public Builder config(Map<String, ?> config) {
      this.config.putAll(config);
      return this;
    }

    /**
     * Throw from {@code log()} instead of dropping a row whose step is lower than the current one.
     */
    public Builder strictSteps(boolean strict) {
      this.strictSteps = strict;
      return this;
    }

    /**
     * How many rows (and other calls) may wait between {@code log()} and the pipeline before {@code
     * log()} blocks; no limit by default, as {@link #queueBytes} bounds the memory they take. In a
     * burst, up to 512 more rows fill the block being built.
     */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * How many bytes of rows and records may wait between {@code log()} and the disk (queued, or
     * sent and not yet written) before {@code log()} blocks: by default an eighth of the maximum
     * heap, at most 64 MiB. Sizes are estimated on the caller's thread, strings at two bytes per
     * char. A row bigger than the whole budget is still logged: it waits until nothing else is
     * queued and goes alone.
     */
    public Builder queueBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("queueBytes must be at least 1, was " + bytes);
      }
      this.queueBytes = bytes;
      return this;
    }

    public Builder fsync(FsyncPolicy policy) {
      this.fsync = Objects.requireNonNull(policy, "fsync");
      return this;
    }

    public Builder fsyncInterval(Duration interval) {
      this.fsyncInterval = positive(interval, "fsyncInterval");
      return this;
    }

    /**
     * How often buffered log bytes are handed to the operating system (at most a second by
     * default).
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = positive(interval, "flushInterval");
      return this;
    }

    /** The server online runs log to, as {@code WANDB_BASE_URL} (an http or https URL). */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** The server's API key, as {@code WANDB_API_KEY}; never printed. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * W&B's resume ({@code WANDB_RESUME}): {@code allow} continues the server's run of the same id
     * if there is one (its steps and history go on), {@code must} requires one, {@code never}
     * refuses one.
     */
    public Builder resume(String resume) {
      this.resume = resume;
      return this;
    }

    /** How long an online run's {@code finish()} waits for the server (5 minutes by default). */
    public Builder finishTimeout(Duration timeout) {
      this.finishTimeout = positive(timeout, "finishTimeout");
      return this;
    }

    /** No start banner and no end-of-run summary on the console. */
    public Builder quiet(boolean quiet) {
      this.quiet = quiet;
      return this;
    }

    /**
     * Whether the JVM's exit finishes the run if it is still open (true by default, so a program
     * that forgets {@code finish()} still leaves a complete log). Code that finishes its runs
     * itself as the JVM stops (a runbus service, which ends them with its own exit code) turns it
     * off, so two finishes do not race.
     */
    public Builder finishAtExit(boolean finishAtExit) {
      this.finishAtExit = finishAtExit;
      return this;
    }

    /**
     * Whether a run captures {@code System.out} and {@code System.err} while it is open (on by
     * default, as W&B's; {@code WANDB_CONSOLE=off} turns it off): the program still sees all of
     * its output, and the run's log and {@code files/output.log} get it too.
     */
    public Builder console(boolean capture) {
      this.console = capture;
      return this;
    }

    /**
     * Whether the run's metadata names the git repository the program runs in: its remote,
     * commit, branch and whether the work tree is dirty (on by default, as W&B's;
     * {@code WANDB_DISABLE_GIT=true} turns it off, for a repository that is slow to read or not
     * to be named).
     */
    public Builder gitMetadata(boolean read) {
      this.gitMetadata = read;
      return this;
    }

    /**
     * Reads W&B's variables from this map instead of the process environment (for tests and
     * embedding).
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    public Settings build() {
      return new Settings(this, environment != null ? environment : System.getenv());
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be a positive duration, was " + d);
      }
      return d;
    }
  }
}
