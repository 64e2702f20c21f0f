package dev.runbus.cli;

import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.StoreException;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runbus server key create|list|revoke}: API keys in the server's database. One user per
 * key's owner, the user's name being its W&B entity; only a key's hash is stored, so a key is shown
 * once, when it is created.
 */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Create, list or revoke the server's API keys.",
    subcommands = {
      ServerKeyCommand.Create.class,
      ServerKeyCommand.ListKeys.class,
      ServerKeyCommand.Revoke.class
    })
final class ServerKeyCommand implements Runnable {

  @ParentCommand ServerCommand server;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Opens the store these options name, runs {@code work} on it, closes it. */
  static int withStore(
      ServerStoreOptions own, ServerKeyCommand parent, Function<Session, Integer> work) {
    ServerStoreOptions options = own.or(parent.server == null ? null : parent.server.storeOptions);
    Vertx vertx = Vertx.vertx();
    try {
      ServerSettings settings = ServerStoreOptions.settings(vertx, options, options.toJson());
      try (ServerStore store = ServerStoreOptions.open(settings)) {
        return work.apply(new Session(store.accounts(), settings));
      } catch (StoreException e) {
        System.err.println(CliMessages.line(e.getMessage()));
        return 1;
      }
    } finally {
      vertx.close();
    }
  }

  record Session(Accounts accounts, ServerSettings settings) {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a key for a user (created too if new) and print it, this once.")
  static final class Create implements Callable<Integer> {
    @ParentCommand ServerKeyCommand parent;
    @Mixin ServerStoreOptions storeOptions;

    @Parameters(paramLabel = "USER", description = "The key's user, also its W&B entity.")
    String user;

    @Override
    public Integer call() {
      return withStore(
          storeOptions,
          parent,
          s -> {
            Accounts.IssuedKey issued = s.accounts().createKey(user);
            System.out.println(
                "runbus server: key "
                    + issued.id()
                    + " for user "
                    + issued.user().name()
                    + " (shown this once; only its hash is kept):");
            System.out.println(
                "  WANDB_API_KEY="
                    + issued.key()
                    + " WANDB_BASE_URL="
                    + s.settings().baseUrl(s.settings().config().port()));
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys, revoked ones too (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand ServerKeyCommand parent;
    @Mixin ServerStoreOptions storeOptions;

    @Override
    public Integer call() {
      return withStore(
          storeOptions,
          parent,
          s -> {
            List<Accounts.KeyInfo> keys = s.accounts().listKeys();
            System.out.printf("%-6s %-20s %-12s %-24s %s%n", "ID", "USER", "KEY", "CREATED", "REVOKED");
            for (Accounts.KeyInfo k : keys) {
              System.out.printf(
                  "%-6d %-20s %-12s %-24s %s%n",
                  k.id(),
                  k.userName(),
                  k.hint() + "…",
                  Instant.ofEpochMilli(k.createdAtMillis()),
                  k.revokedAtMillis() == null ? "-" : Instant.ofEpochMilli(k.revokedAtMillis()));
            }
            return 0;
          });
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a key by its id (see list). A running server stops accepting it within seconds.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand ServerKeyCommand parent;
    @Mixin ServerStoreOptions storeOptions;

    @Parameters(paramLabel = "ID", description = "The key's id, as list shows it.")
    long id;

    @Override
    public Integer call() {
      return withStore(
          storeOptions,
          parent,
          s -> {
            if (!s.accounts().revokeKey(id)) {
              System.err.println(CliMessages.line("no active key with id " + id));
              return 1;
            }
            System.out.println("runbus server: revoked key " + id);
            return 0;
          });
    }
  }
}
