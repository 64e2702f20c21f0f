package dev.runbus.cli;

import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.StoreException;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
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

  /**
   * What every key subcommand shares: the store options (its own, else the {@code server}
   * command's), a store opened for the one action and closed after it, and a store failure
   * printed as one line with exit code 1.
   */
  abstract static class KeyAction implements Callable<Integer> {
    @ParentCommand ServerKeyCommand parent;
    @Mixin ServerStoreOptions storeOptions;

    @Override
    public final Integer call() {
      ServerStoreOptions options =
          storeOptions.or(parent.server == null ? null : parent.server.storeOptions);
      Vertx vertx = Vertx.vertx();
      try {
        ServerSettings settings = ServerStoreOptions.settings(vertx, options, options.toJson());
        try (ServerStore store = ServerStoreOptions.open(settings)) {
          return run(store.accounts(), settings);
        } catch (StoreException e) {
          System.err.println(CliMessages.line(e.getMessage()));
          return 1;
        }
      } finally {
        vertx.close();
      }
    }

    abstract int run(Accounts accounts, ServerSettings settings);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a key for a user (created too if new) and print it, this once.")
  static final class Create extends KeyAction {
    @Parameters(paramLabel = "USER", description = "The key's user, also its W&B entity.")
    String user;

    @Override
    int run(Accounts accounts, ServerSettings settings) {
      Accounts.IssuedKey issued = accounts.createKey(user);
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
              + settings.baseUrl(settings.config().port()));
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys, revoked ones too (never the keys themselves).")
  static final class ListKeys extends KeyAction {
    @Override
    int run(Accounts accounts, ServerSettings settings) {
      List<Accounts.KeyInfo> keys = accounts.listKeys();
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
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a key by its id (see list). A running server stops accepting it within seconds.")
  static final class Revoke extends KeyAction {
    @Parameters(paramLabel = "ID", description = "The key's id, as list shows it.")
    long id;

    @Override
    int run(Accounts accounts, ServerSettings settings) {
      if (!accounts.revokeKey(id)) {
        System.err.println(CliMessages.line("no active key with id " + id));
        return 1;
      }
      System.out.println("runbus server: revoked key " + id);
      return 0;
    }
  }
}
