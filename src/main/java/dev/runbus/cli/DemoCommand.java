package dev.runbus.cli;

import dev.runbus.MetricDefinition;
import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job: trains a small model and tracks it, ending with W&B's run summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Train a logistic-regression model by SGD on generated data and track it offline.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--steps",
      defaultValue = "600",
      description = "SGD steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--lr",
      defaultValue = "0.1",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed for data and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--dir",
      description = "Directory under which wandb/ holds the run (default: WANDB_DIR or .).")
  Path dir;

  static final String DEFAULT_PROJECT = "runbus-demo";

  @Option(
      names = "--project",
      description = "Project name (default: WANDB_PROJECT, else " + DEFAULT_PROJECT + ").")
  String project;

  @Option(
      names = "--online",
      description =
          "Log to a server as well: the one WANDB_BASE_URL and WANDB_API_KEY (or ~/.netrc) name,"
              + " else a runbus server started in this JVM for the demo, with its data in a"
              + " temporary directory.")
  boolean online;

  @Option(
      names = "--serve",
      description =
          "With --online and the demo's own server: keep serving the run's page after the run,"
              + " until Ctrl-C.")
  boolean serve;

  /** Where {@code runbus server} listens unless told otherwise. */
  private static final String DEFAULT_SERVER_URL =
      "http://127.0.0.1:" + dev.runbus.server.ServerConfig.DEFAULT_PORT;

  @Override
  public Integer call() throws Exception {
    String invalid =
        Options.firstInvalid(
            Options.atLeastOne("--steps", steps),
            Options.atLeastOne("--batch-size", batchSize),
            learningRate > 0 ? null : "--lr must be positive, got " + learningRate);
    if (invalid != null) {
      System.err.println(CliMessages.line(invalid));
      return 2;
    }
    int samples = 5000;
    int features = 20;
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "logistic-regression");
    config.put("optimizer", Map.of("name", "sgd", "lr", learningRate, "batch_size", batchSize));
    config.put("data", Map.of("samples", samples, "features", features, "seed", seed));
    config.put("steps", steps);
    Settings.Builder settings =
        Settings.builder().project(project(project, System.getenv())).config(config);
    if (dir != null) {
      settings.dir(dir);
    }
    if (!online) {
      return report(Runbus.run(settings.build(), run -> train(run, samples, features)));
    }
    settings.mode(Mode.ONLINE);
    if (Settings.builder().mode(Mode.OFFLINE).build().server().isPresent()) {
      RunResult result = Runbus.run(settings.build(), run -> train(run, samples, features));
      System.out.println(CliMessages.PREFIX + "the run's data, from the read API: " + readApi(result));
      System.out.println(CliMessages.PREFIX + "the run's page: " + result.runUrl());
      return report(result);
    }
    try (DemoServer server = DemoServer.start()) {
      System.out.println(
          CliMessages.PREFIX
              + "no server configured (WANDB_BASE_URL, WANDB_API_KEY): started runbus server at "
              + server.baseUrl()
              + " for the demo");
      settings.baseUrl(server.baseUrl()).apiKey(server.apiKey());
      RunResult result = Runbus.run(settings.build(), run -> train(run, samples, features));
      System.out.println(CliMessages.PREFIX + "the run's data, from the read API: " + readApi(result));
      System.out.println(CliMessages.PREFIX + "the run's page: " + result.runUrl());
      if (serve) {
        int exit = report(result);
        System.out.println(
            CliMessages.PREFIX
                + "serving the run's page until Ctrl-C; sign in with the key "
                + server.apiKey());
        new java.util.concurrent.CountDownLatch(1).await(); // Ctrl-C ends the JVM
        return exit;
      }
      System.out.println(
          CliMessages.PREFIX
              + "the demo's server stops now; its data stays in "
              + server.data()
              + ". To look again: java -jar runbus.jar server --data "
              + server.data()
              + ", then open "
              + DEFAULT_SERVER_URL
              + new java.net.URI(result.runUrl()).getPath()
              + " and sign in with its key, WANDB_API_KEY="
              + server.apiKey()
              + " (or run the demo with --serve)");
      return report(result);
    }
  }

  /**
   * The run's resource in runbus server's read API, from the run's URL ({@code
   * <app>/<entity>/<project>/runs/<run>}, W&B's shape).
   */
  static String readApi(RunResult result) {
    String url = result.runUrl();
    String[] parts = url.split("/");
    if (parts.length < 6 || !parts[parts.length - 2].equals("runs")) {
      return url;
    }
    String base = String.join("/", Arrays.copyOf(parts, parts.length - 4));
    return base
        + "/api/v1/entities/"
        + parts[parts.length - 4]
        + "/projects/"
        + parts[parts.length - 3]
        + "/runs/"
        + parts[parts.length - 1];
  }

  private static int report(RunResult result) {
    if (result.mode() == Mode.DISABLED) {
      System.out.println(
          CliMessages.PREFIX
              + "the model trained, but tracking is disabled (WANDB_MODE=disabled or"
              + " WANDB_DISABLED), so nothing was recorded");
    }
    return result.exitCode();
  }

  /**
   * The project: the option, else WANDB_PROJECT as for every other W&B variable the demo honours,
   * else the demo's own.
   */
  static String project(String option, Map<String, String> environment) {
    if (option != null) {
      return option;
    }
    String fromEnvironment = environment.get("WANDB_PROJECT");
    return fromEnvironment != null && !fromEnvironment.isBlank()
        ? fromEnvironment
        : DEFAULT_PROJECT;
  }

  private void train(Run run, int samples, int features) {
    // validation metrics are charted against epochs; the summary keeps the best and the last
    run.defineMetric(MetricDefinition.of("epoch"));
    run.defineMetric(MetricDefinition.of("val/*").stepMetric("epoch"));
    run.defineMetric(
        MetricDefinition.of("val/accuracy").stepMetric("epoch").summary("max", "last").goal("max"));
    run.defineMetric(
        MetricDefinition.of("val/loss").stepMetric("epoch").summary("min", "last").goal("min"));
    LogisticRegression model = new LogisticRegression(samples, features, seed);
    int stepsPerEpoch = Math.max(1, model.trainSize() / batchSize);
    int evalEvery = Math.max(1, Math.min(stepsPerEpoch, steps / 20));
    Map<String, Object> row = new LinkedHashMap<>();
    for (int step = 0; step < steps; step++) {
      double lr = learningRate * (1 - 0.9 * step / (double) steps); // linear decay
      double loss = model.step(batchSize, lr);
      row.clear();
      row.put("train/loss", loss);
      row.put("train/lr", lr);
      if ((step + 1) % evalEvery == 0 || step == steps - 1) {
        double[] eval = model.evaluate();
        row.put("val/loss", eval[0]);
        row.put("val/accuracy", eval[1]);
        row.put("epoch", (step + 1) / (double) stepsPerEpoch);
        row.put("weights/norm", model.weightNorm());
      }
      run.log(row);
    }
    run.summary().set("samples_seen", (long) steps * batchSize);
  }
}
