package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program may write into its run's directory as soon as init returns, as W&B's {@code run.dir}
 * allows: in a fresh JVM, where init returns before the kernel (which makes the directory) is up.
 */
@Timeout(120)
class RunDirAtInitTest {

  @TempDir Path dir;

  /** Writes a file into the run's directory right after init, then finishes. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Settings settings =
          Settings.builder().dir(Path.of(args[0])).quiet(true).environment(Map.of()).build();
      Run run = Runbus.init(settings);
      Path file = run.dir().resolve("files").resolve("notes.txt");
      Files.writeString(file, "written right after init");
      System.out.println("LOG EXISTS " + Files.isRegularFile(run.logFile()));
      run.finish();
      System.out.println("WROTE " + file);
    }
  }

  @Test
  void aFreshJvmWritesIntoItsRunDirectoryRightAfterInit() throws Exception {
    Process child = ChildJvm.start(Child.class, dir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    child.getInputStream().transferTo(out);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child finished");
    String output = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("LOG EXISTS true"), output);
    String line = output.lines().filter(l -> l.startsWith("WROTE ")).findFirst().orElseThrow();
    assertEquals("written right after init", Files.readString(Path.of(line.substring(6))));
  }
}
