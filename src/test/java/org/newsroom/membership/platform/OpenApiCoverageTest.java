package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.annotation.WebServlet;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract and the code name the same paths: every JAX-RS resource method and servlet the
 * service serves is in {@code META-INF/openapi.yaml}, and every path there is served (by the code,
 * by a file of the web application, or by MicroProfile).
 */
class OpenApiCoverageTest {

  private static final java.nio.file.Path CLASSES = java.nio.file.Path.of("target/classes");
  private static final java.nio.file.Path WEBAPP = java.nio.file.Path.of("src/main/webapp");

  /** Served by Payara's MicroProfile implementations, not by this code. */
  private static final Set<String> MICROPROFILE =
      Set.of("/health/ready", "/health/live", "/metrics", "/openapi");

  /** The container's error page target: never requested by a client. */
  private static final Set<String> INTERNAL = Set.of("/error-problem");

  private static final Pattern DOCUMENTED = Pattern.compile("(?m)^  (/\\S*):\\s*$");

  @Test
  void everyServedPathIsInTheContractAndEveryPathThereIsServed() throws Exception {
    Set<String> served = served();
    Set<String> documented = documented();
    assertThat(served).as("the code serves these; openapi.yaml must name them").isNotEmpty();
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    undocumented.removeAll(INTERNAL);
    undocumented.removeIf(path -> documented.stream().anyMatch(doc -> underWildcard(doc, path)));
    assertThat(undocumented).as("served but not in openapi.yaml").isEmpty();

    Set<String> unserved = new TreeSet<>(documented);
    unserved.removeAll(served);
    unserved.removeIf(doc -> served.stream().anyMatch(path -> underWildcard(doc, path)));
    unserved.removeAll(MICROPROFILE);
    unserved.removeIf(path -> Files.isRegularFile(WEBAPP.resolve(path.substring(1))));
    assertThat(unserved).as("in openapi.yaml but served by nothing").isEmpty();
  }

  /** A servlet mapped to {@code /problems/*} serves the documented {@code /problems/{slug}}. */
  private static boolean underWildcard(String documented, String servletPattern) {
    return servletPattern.endsWith("/*")
        && documented.startsWith(servletPattern.substring(0, servletPattern.length() - 1) + "{");
  }

  private static Set<String> documented() throws IOException {
    String yaml =
        Files.readString(java.nio.file.Path.of("src/main/resources/META-INF/openapi.yaml"));
    Set<String> paths = new TreeSet<>();
    Matcher m = DOCUMENTED.matcher(yaml);
    while (m.find()) {
      paths.add(m.group(1));
    }
    return paths;
  }

  private static Set<String> served() throws Exception {
    String api = applicationPath();
    Set<String> paths = new TreeSet<>();
    for (Class<?> type : classes()) {
      WebServlet servlet = type.getAnnotation(WebServlet.class);
      if (servlet != null) {
        Stream.concat(Arrays.stream(servlet.value()), Arrays.stream(servlet.urlPatterns()))
            .forEach(paths::add);
      }
      Path resource = type.getAnnotation(Path.class);
      if (resource == null) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        Path sub = method.getAnnotation(Path.class);
        if (sub != null || httpMethod(method)) {
          paths.add(
              normalise(api + "/" + resource.value() + (sub == null ? "" : "/" + sub.value())));
        }
      }
    }
    return paths;
  }

  private static boolean httpMethod(Method method) {
    for (Annotation a : method.getAnnotations()) {
      if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  /** {@code /api//me/{year: \d+}/} is {@code /api/me/{year}}. */
  static String normalise(String path) {
    return path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}")
        .replaceAll("/+", "/")
        .replaceAll("(.)/$", "$1");
  }

  private static String applicationPath() {
    return MembershipApplication.class.getAnnotation(jakarta.ws.rs.ApplicationPath.class).value();
  }

  private static Set<Class<?>> classes() throws IOException, ClassNotFoundException {
    Set<Class<?>> found = new java.util.LinkedHashSet<>();
    try (Stream<java.nio.file.Path> files = Files.walk(CLASSES)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        found.add(Class.forName(name, false, OpenApiCoverageTest.class.getClassLoader()));
      }
    }
    return found;
  }
}
