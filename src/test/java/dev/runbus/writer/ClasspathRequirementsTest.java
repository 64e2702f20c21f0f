package dev.runbus.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** requirements.txt from real jars: this test's own class path, and jars made here. */
class ClasspathRequirementsTest {

  @TempDir Path dir;

  @Test
  void theClassPathListsVertxCoreWithItsVersionSortedAndOnce() {
    String classPath = System.getProperty("java.class.path");
    List<String> lines = ClasspathRequirements.of(classPath + File.pathSeparator + classPath);
    String vertx = "io.vertx:vertx-core==" + Vertx.class.getPackage().getImplementationVersion();
    assertTrue(lines.contains(vertx), vertx + " in " + lines);
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(null);
    assertEquals(sorted, lines, "sorted");
    assertEquals(lines.stream().distinct().count(), lines.size(), "each once");
    assertTrue(lines.stream().noneMatch(l -> l.contains("test-classes")), "directories are not listed");
  }

  @Test
  void withoutPomPropertiesTheManifestThenTheFileNameSays() throws Exception {
    Path shaded = jar("fat.jar", null, "META-INF/maven/org.a/a/pom.properties", "META-INF/maven/org.b/b/pom.properties");
    Path bundle = jar("bundle.jar", "Bundle-SymbolicName: org.c.c;singleton:=true\nBundle-Version: 3.1\n");
    Path implemented = jar(
        "runbus.jar",
        "Implementation-Title: runbus\nImplementation-Version: 0.9\nImplementation-Vendor-Id: dev.runbus\n");
    Path bare = jar("guava-33.4.0-jre.jar", null);
    Path notAJar = dir.resolve("notes-1.0.jar");
    Files.writeString(notAJar, "text");
    String classPath =
        String.join(
            File.pathSeparator,
            List.of(shaded.toString(), bundle.toString(), implemented.toString(), bare.toString(),
                notAJar.toString(), dir.resolve("missing.jar").toString(), dir.toString()));
    assertEquals(
        List.of(
            "dev.runbus:runbus==0.9",
            "guava==33.4.0-jre",
            "notes==1.0",
            "org.a:a==1.0",
            "org.b:b==1.0",
            "org.c.c==3.1"),
        ClasspathRequirements.of(classPath));
  }

  private Path jar(String name, String manifestText, String... pomProperties) throws Exception {
    Path jar = dir.resolve(name);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (manifestText != null) {
      manifest.read(new java.io.ByteArrayInputStream(("Manifest-Version: 1.0\n" + manifestText).getBytes()));
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (String pom : pomProperties) {
        String[] parts = pom.split("/");
        out.putNextEntry(new ZipEntry(pom));
        out.write(
            ("groupId=" + parts[2] + "\nartifactId=" + parts[3] + "\nversion=1.0\n").getBytes());
        out.closeEntry();
      }
    }
    return jar;
  }
}
