package dev.runbus.server.api;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads an HTTP/1.1 answer with a chunked body from a plain socket: the body, de-chunked. */
final class ChunkedBody {
  private ChunkedBody() {}

  static Buffer read(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("answer: " + status);
    }
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      chunked |= header.toLowerCase().equals("transfer-encoding: chunked");
    }
    if (!chunked) {
      throw new IOException("not a chunked answer");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
        size = Integer.parseInt(line(in).trim(), 16)) {
      body.write(in.readNBytes(size));
      line(in);
    }
    return Buffer.buffer(body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("answer ended early");
      }
      if (b != '\r') {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
