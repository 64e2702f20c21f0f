package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's help and its exit codes for a command line that is wrong or a run that cannot start.
 */
class UsageJarIT {

  @TempDir Path dir;

  @Test
  void helpListsTheCommandsAndExitsZero() throws Exception {
    RunbusJar.Result help = RunbusJar.in(dir).run("--help");
    assertEquals(0, help.code(), help.toString());
    for (String command : new String[] {"demo", "inspect", "bench", "server", "service"}) {
      assertTrue(help.stdout().matches("(?s).*\\n +" + command + " .*"), help.toString());
    }
    RunbusJar.Result version = RunbusJar.in(dir).run("--version");
    assertEquals(0, version.code(), version.toString());
    assertTrue(version.stdout().startsWith("runbus "), version.toString());
  }

  @Test
  void aWrongCommandLineExitsTwoWithOnePrefixedLineFirst() throws Exception {
    RunbusJar.Result unknownCommand = RunbusJar.in(dir).run("trian");
    assertEquals(2, unknownCommand.code(), unknownCommand.toString());
    assertTrue(
        unknownCommand.stderr().startsWith("runbus: Unmatched argument at index 0: 'trian'\n"),
        unknownCommand.toString());

    RunbusJar.Result unknownOption = RunbusJar.in(dir).run("bench", "--rowz", "5");
    assertEquals(2, unknownOption.code(), unknownOption.toString());
    assertTrue(
        unknownOption.stderr().startsWith("runbus: Unknown option"), unknownOption.toString());

    RunbusJar.Result badValue = RunbusJar.in(dir).run("demo", "--steps", "0");
    assertEquals(2, badValue.code(), badValue.toString());
    assertEquals("runbus: --steps must be at least 1, got 0\n", badValue.stderr());
  }

  @Test
  void usageErrorsAreUtf8WhateverTheDefaultCharset() throws Exception {
    // this JVM hands the argument to the child in its own charset for names and arguments
    assumeTrue(
        "UTF-8".equals(System.getProperty("sun.jnu.encoding")),
        "needs a UTF-8 locale in the build itself to pass a non-ASCII argument to the child");
    RunbusJar.Result demo =
        RunbusJar.in(dir)
            .env("LANG", "C.UTF-8") // the arguments arrive intact
            .jvm("-Dfile.encoding=US-ASCII") // but Java's default charset cannot say them
            .run("demo", "--säule");
    assertEquals(2, demo.code(), demo.toString());
    assertTrue(demo.stderr().startsWith("runbus: Unknown option: '--säule'\n"), demo.toString());
  }

  @Test
  void aRunThatCannotStartExitsOneNamingTheOptionToChange() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    RunbusJar.Result demo = RunbusJar.in(dir).run("demo", "--steps", "3", "--dir", file.toString());
    assertEquals(1, demo.code(), demo.toString());
    assertEquals(1, demo.stderr().lines().count(), demo.toString());
    assertTrue(demo.stderr().startsWith("runbus: cannot start run "), demo.toString());
    assertTrue(
        demo.stderr().contains("point --dir (or WANDB_DIR) at a writable directory"),
        demo.toString());
  }
}
