package dev.runbus.filestream;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.proto.FilesUploaded;
import dev.runbus.proto.LogFlushed;
import dev.runbus.sender.OnlineSetup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The FileStream stage of an online run (and of {@code runbus sync}), on {@code
 * rb.run.<id>.filestream}: reads the run's log from disk and posts its history, summary, events and
 * console lines to the server's FileStream endpoint with W&B's offsets. It routes the bus messages
 * (LogFlushed and FileStreamFinish from the Writer and Sender, FileStreamTarget and FilesUploaded
 * from the Sender) to {@link FileStreamPump}, and sends FileStreamProgress to the Sender.
 */
public final class FileStreamVerticle extends VerticleBase {

  private final OnlineSetup setup;
  private final FileStreamSettings settings;
  private WebClient client;
  private FileStreamPump pump;

  public FileStreamVerticle(OnlineSetup setup) {
    this(setup, FileStreamSettings.defaults());
  }

  public FileStreamVerticle(OnlineSetup setup, FileStreamSettings settings) {
    this.setup = setup;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.postTimeout().toMillis())));
    String sender = Addresses.sender(setup.runId());
    FileStreamPoster poster =
        new FileStreamPoster(vertx, client, setup.server(), settings, () -> pump.retried());
    pump =
        new FileStreamPump(
            vertx,
            setup,
            settings,
            poster,
            progress -> vertx.eventBus().send(sender, progress, Bus.protobuf()));
    long tick =
        Math.max(
            10,
            Math.min(
                1000,
                Math.min(settings.transmitInterval().toMillis(), settings.heartbeat().toMillis())
                    / 2));
    vertx.setPeriodic(tick, id -> pump.tick());
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.fileStream(setup.runId()),
                message -> {
                  Object body = message.body();
                  if (body instanceof LogFlushed flushed) {
                    pump.onFlushed(flushed.getBytesFlushed(), flushed.getClosed());
                  } else if (body instanceof FileStreamTarget target) {
                    pump.onTarget(target);
                  } else if (body instanceof FilesUploaded uploaded) {
                    pump.onUploaded(uploaded.getPathList());
                  } else if (body instanceof FileStreamFinish finish) {
                    pump.onFinish(message, finish);
                  } else if (message.replyAddress() != null) {
                    message.fail(400, "the FileStream takes no " + describe(body));
                  }
                });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    pump.stop();
    return Future.succeededFuture();
  }

  private static String describe(Object body) {
    return body == null ? "empty message" : body.getClass().getSimpleName();
  }
}
