package dev.runbus.service.bridge;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A bridge client on a plain socket, speaking the frames by hand: 4-byte length, then JSON. */
final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int replies;

  private BridgeClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static BridgeClient connect(int port) throws IOException {
    return new BridgeClient(new Socket("127.0.0.1", port));
  }

  /** Over TLS, trusting only {@code certPem}. */
  static BridgeClient connectTls(int port, Path certPem) throws Exception {
    Certificate cert;
    try (InputStream pem = Files.newInputStream(certPem)) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("service", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return new BridgeClient(tls.getSocketFactory().createSocket("127.0.0.1", port));
  }

  /** A port nobody listens on now (the bridge cannot report the one it bound). */
  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  void write(JsonObject frame) throws IOException {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  JsonObject read() throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  /** Sends a request with {@code token} (none if null) and returns the answer frame. */
  JsonObject request(String address, String token, JsonObject body) throws IOException {
    String replyAddress = "test.reply." + replies++;
    JsonObject frame =
        new JsonObject()
            .put("type", "send")
            .put("address", address)
            .put("replyAddress", replyAddress)
            .put("body", body);
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    write(frame);
    JsonObject answer = read();
    if (answer.containsKey("address") && !replyAddress.equals(answer.getString("address"))) {
      throw new AssertionError("answer to " + answer.getString("address") + ", not " + replyAddress);
    }
    return answer;
  }

  /** The body of a successful answer; fails the test with the error frame otherwise. */
  JsonObject call(String address, String token, JsonObject body) throws IOException {
    JsonObject answer = request(address, token, body);
    if (!"message".equals(answer.getString("type"))) {
      throw new AssertionError(address + " " + body.encode() + " was refused: " + answer.encode());
    }
    return answer.getJsonObject("body");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
