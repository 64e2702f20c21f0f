package dev.runbus.writer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * The JVM's answer to W&B's {@code pip freeze}: the jars on a class path with their versions, for
 * {@code files/requirements.txt} (W&B's name, so its UI shows the file). One {@code
 * group:artifact==version} line per artifact, sorted: from each jar's {@code
 * META-INF/maven/&lt;group&gt;/&lt;artifact&gt;/pom.properties} (a shaded jar lists each artifact
 * it holds), else its manifest ({@code Implementation-Title}/{@code -Version}, or the OSGi {@code
 * Bundle-SymbolicName}/{@code Bundle-Version}), else its file name ({@code name-1.2.3.jar}).
 * Directories (the program's own classes) are not listed. Blocking: call it on a worker.
 */
public final class ClasspathRequirements {

  /** Bounds the file whatever the class path: far more artifacts than any real program has. */
  static final int MAX_LINES = 10_000;

  private static final int MAX_LINE_CHARS = 512;
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
  private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^-]*(?:-.*)?)");

  private ClasspathRequirements() {}

  /** The lines for {@code classPath} (entries separated by the platform's path separator). */
  public static List<String> of(String classPath) {
    TreeSet<String> lines = new TreeSet<>();
    for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
      if (entry.isEmpty()) {
        continue;
      }
      Path path = Path.of(entry);
      if (!Files.isRegularFile(path)) {
        continue;
      }
      for (String line : describe(path)) {
        if (lines.size() >= MAX_LINES) {
          return List.copyOf(lines);
        }
        if (line.length() <= MAX_LINE_CHARS && line.indexOf('\n') < 0) {
          lines.add(line);
        }
      }
    }
    return List.copyOf(lines);
  }

  /** The text of {@code requirements.txt}: the lines, each ending with a newline. */
  public static String text(List<String> lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  private static List<String> describe(Path jar) {
    List<String> found = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements() && found.size() < MAX_LINES) {
        ZipEntry entry = entries.nextElement();
        if (POM_PROPERTIES.matcher(entry.getName()).matches()) {
          Properties pom = new Properties();
          try (InputStream in = file.getInputStream(entry)) {
            pom.load(in);
          }
          String group = pom.getProperty("groupId");
          String artifact = pom.getProperty("artifactId");
          String version = pom.getProperty("version");
          if (group != null && artifact != null && version != null) {
            found.add(group.trim() + ":" + artifact.trim() + "==" + version.trim());
          }
        }
      }
      if (found.isEmpty()) {
        String fromManifest = fromManifest(file.getManifest());
        if (fromManifest != null) {
          found.add(fromManifest);
        }
      }
    } catch (IOException | RuntimeException notAJar) {
      // not a zip, or unreadable: the file name is all there is
    }
    if (found.isEmpty()) {
      found.add(fromFileName(jar.getFileName().toString()));
    }
    return found;
  }

  private static String fromManifest(Manifest manifest) {
    if (manifest == null) {
      return null;
    }
    Attributes main = manifest.getMainAttributes();
    String title = main.getValue(Attributes.Name.IMPLEMENTATION_TITLE);
    String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    String group = main.getValue("Implementation-Vendor-Id"); // Maven's groupId, where set
    if (title == null || version == null) {
      title = main.getValue("Bundle-SymbolicName");
      version = main.getValue("Bundle-Version");
      group = null;
      if (title != null) {
        title = title.split(";")[0]; // "name;singleton:=true"
      }
    }
    if (title == null || version == null) {
      return null;
    }
    String name = group == null ? title.trim() : group.trim() + ":" + title.trim();
    return name + "==" + version.trim();
  }

  static String fromFileName(String fileName) {
    String name = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
    Matcher m = NAME_VERSION.matcher(name);
    return m.matches() ? m.group(1) + "==" + m.group(2) : name;
  }
}
