package dev.runbus.bus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.KernelResponse;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One codec for every protobuf message runbus puts on the bus.
 *
 * <p>Local delivery hands over the same instance (protobuf messages are immutable), so a record
 * costs no copy between verticles in one JVM. Across a cluster the wire form is the message's full
 * type name followed by its bytes: {@code int nameLength | name (UTF-8) | int length | bytes}.
 */
public final class ProtobufCodec implements MessageCodec<Message, Message> {

  public static final String NAME = "protobuf";

  /**
   * Parsers by full type name, built on the first message from the cluster. Local delivery never
   * needs them, and building them means building every schema's descriptors: over 100 ms of a
   * cold start, which would otherwise sit between {@code init()} and the first record handled.
   */
  private static final class Parsers {
    static final Map<String, Parser<? extends Message>> BY_NAME = new HashMap<>();

    static {
      for (Message prototype :
          List.<Message>of(
              Record.getDefaultInstance(),
              RecordBatch.getDefaultInstance(),
              Result.getDefaultInstance(),
              Response.getDefaultInstance(),
              PipelineProgress.getDefaultInstance(),
              KernelRequest.getDefaultInstance(),
              KernelResponse.getDefaultInstance(),
              CloseStreamRequest.getDefaultInstance(),
              AttachRequest.getDefaultInstance(),
              AttachResponse.getDefaultInstance())) {
        BY_NAME.put(prototype.getDescriptorForType().getFullName(), prototype.getParserForType());
      }
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Message message) {
    byte[] name = message.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = message.toByteArray();
    buffer.appendInt(name.length).appendBytes(name).appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public Message decodeFromWire(int pos, Buffer buffer) {
    int nameLength = buffer.getInt(pos);
    String name = buffer.getString(pos + 4, pos + 4 + nameLength, "UTF-8");
    int at = pos + 4 + nameLength;
    int length = buffer.getInt(at);
    Parser<? extends Message> parser = Parsers.BY_NAME.get(name);
    if (parser == null) {
      throw new IllegalStateException(
          "protobuf codec: no parser registered for message type " + name);
    }
    try {
      return parser.parseFrom(buffer.getBytes(at + 4, at + 4 + length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("protobuf codec: corrupt " + name + " from the cluster", e);
    }
  }

  @Override
  public Message transform(Message message) {
    return message;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
