package dev.runbus.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API ({@code RunResult.report()}) calls the report, so the report must not use the API's
 * types: that would make the two packages depend on each other.
 */
class ReportDependenciesTest {

  /** A class of the API package, as a class file names it: {@code dev/runbus/RunResult}. */
  private static final Pattern API_CLASS = Pattern.compile("dev/runbus/([A-Z][A-Za-z0-9_$]*)");

  @Test
  void theReportPackageUsesNoClassOfTheApiPackage() throws Exception {
    Path reportClasses =
        Path.of(RunReport.class.getResource("RunReport.class").toURI()).getParent();
    List<Path> classFiles;
    try (Stream<Path> files = Files.list(reportClasses)) {
      classFiles = files.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertFalse(classFiles.isEmpty(), "no class files in " + reportClasses);
    Set<String> used = new TreeSet<>();
    for (Path classFile : classFiles) {
      // the constant pool names every class a class file refers to, in plain ASCII
      String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      Matcher m = API_CLASS.matcher(text);
      while (m.find()) {
        used.add(classFile.getFileName() + " uses dev.runbus." + m.group(1));
      }
    }
    assertEquals(Set.of(), used);
  }
}
