package io.dvo.gate.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the Azure Functions host sees of this app, derived from the annotations the way the
 * packaging and the host treat them (no host and no packaging plugin run here; the facts come from
 * their sources, see docs/operations.md):
 *
 * <ul>
 *   <li>azure-functions-maven-plugin writes one {@code <name>/function.json} per
 *       {@code @FunctionName} method: {@code scriptFile} ("../" + the project jar), {@code
 *       entryPoint} (class.method), and {@code bindings}: per annotated parameter {@code type},
 *       {@code direction}, {@code name} and every annotation element that differs from its default
 *       (plus {@code authLevel} for HTTP triggers, always), then {@code {"type":"http",
 *       "direction":"out", "name":"$return"}} for an HTTP function that returns a value;
 *   <li>the host orders functions by name, ignoring case, and maps their HTTP routes in that order
 *       (host.json's routePrefix in front) with the methods as a route constraint; a request goes
 *       to the first route whose template and method match;
 *   <li>it refuses two functions whose routes are equal (ignoring case and outer slashes) and whose
 *       methods overlap, and routes starting with {@code admin} or {@code runtime}.
 * </ul>
 */
final class FunctionsHost {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One function as the host knows it. */
  record Function(String name, Method method, ObjectNode functionJson) {
    JsonNode trigger() {
      return functionJson.get("bindings").get(0);
    }

    boolean isHttp() {
      return trigger().get("type").asText().equals("httpTrigger");
    }

    String route() {
      return trigger().path("route").asText(name);
    }

    List<String> methods() {
      List<String> methods = new ArrayList<>();
      trigger().path("methods").forEach(m -> methods.add(m.asText().toUpperCase(Locale.ROOT)));
      return methods;
    }
  }

  private final List<Function> functions;
  private final String routePrefix;

  private FunctionsHost(List<Function> functions, String routePrefix) {
    this.functions = functions;
    this.routePrefix = routePrefix;
  }

  /** Every function in the compiled classes, in the host's order, with host.json's route prefix. */
  static FunctionsHost load() {
    String prefix;
    try {
      prefix =
          JSON.readTree(Path.of("host.json").toFile())
              .path("extensions")
              .path("http")
              .path("routePrefix")
              .asText("api");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Function> found = new ArrayList<>();
    for (Class<?> type : compiledClasses()) {
      for (Method method : type.getMethods()) {
        FunctionName name = method.getAnnotation(FunctionName.class);
        if (name != null) {
          found.add(new Function(name.value(), method, functionJson(method)));
        }
      }
    }
    found.sort(Comparator.comparing(f -> f.name().toUpperCase(Locale.ROOT)));
    return new FunctionsHost(List.copyOf(found), prefix);
  }

  List<Function> functions() {
    return functions;
  }

  String routePrefix() {
    return routePrefix;
  }

  /** The function.json the packaging writes for {@code method}. */
  static ObjectNode functionJson(Method method) {
    ObjectNode json = JSON.createObjectNode();
    json.put("scriptFile", "../" + artifactFileName());
    json.put("entryPoint", method.getDeclaringClass().getCanonicalName() + "." + method.getName());
    ArrayNode bindings = json.putArray("bindings");
    boolean http = false;
    for (Parameter parameter : method.getParameters()) {
      for (Annotation annotation : parameter.getAnnotations()) {
        String type = bindingType(annotation);
        if (type == null) {
          continue;
        }
        http |= type.equals("httpTrigger");
        ObjectNode binding = bindings.addObject();
        binding.put("type", type);
        binding.put("direction", "in");
        for (Method element : annotation.annotationType().getDeclaredMethods()) {
          Object value = invoke(element, annotation);
          boolean required = type.equals("httpTrigger") && element.getName().equals("authLevel");
          if (required || !Objects.deepEquals(value, element.getDefaultValue())) {
            binding.set(element.getName(), JSON.valueToTree(jsonValue(value)));
          }
        }
      }
    }
    if (http && method.getReturnType() != void.class) {
      ObjectNode out = bindings.addObject();
      out.put("type", "http");
      out.put("direction", "out");
      out.put("name", "$return");
    }
    return json;
  }

  private static String bindingType(Annotation annotation) {
    if (annotation instanceof HttpTrigger) {
      return "httpTrigger";
    }
    if (annotation instanceof TimerTrigger) {
      return "timerTrigger";
    }
    if (annotation.annotationType().getPackageName().startsWith("com.microsoft.azure.functions")) {
      throw new IllegalStateException(
          "binding " + annotation.annotationType().getSimpleName() + " is not modelled here");
    }
    return null;
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value != null && value.getClass().isArray()) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        items.add(jsonValue(Array.get(value, i)));
      }
      return items;
    }
    return value;
  }

  /**
   * The function the host invokes for {@code method} and {@code path} (without query), if any.
   * Routes are tried in function-name order; the first whose template and methods match wins.
   */
  Optional<Function> route(String method, String path) {
    List<String> segments = segments(path);
    for (Function function : functions) {
      if (function.isHttp()
          && function.methods().contains(method.toUpperCase(Locale.ROOT))
          && matches(template(function), segments)) {
        return Optional.of(function);
      }
    }
    return Optional.empty();
  }

  /** Every HTTP function whose template and methods match, most specific first (ASP.NET Core). */
  List<Function> candidates(String method, String path) {
    List<String> segments = segments(path);
    return functions.stream()
        .filter(Function::isHttp)
        .filter(f -> f.methods().contains(method.toUpperCase(Locale.ROOT)))
        .filter(f -> matches(template(f), segments))
        .sorted(Comparator.comparing(f -> precedence(template(f))))
        .toList();
  }

  /** The route template with the host's prefix, as segments. */
  List<String> template(Function function) {
    String route = function.route().replaceAll("^/+|/+$", "");
    String full = routePrefix.isEmpty() ? route : routePrefix + "/" + route;
    return segments(full);
  }

  static List<String> segments(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
  }

  /** ASP.NET Core template matching for literals, {name} and a trailing {*name}. */
  static boolean matches(List<String> template, List<String> path) {
    for (int i = 0; i < template.size(); i++) {
      String part = template.get(i);
      if (part.startsWith("{*")) {
        return i == template.size() - 1;
      }
      if (i >= path.size()) {
        return false;
      }
      if (part.startsWith("{")) {
        if (path.get(i).isEmpty()) {
          return false;
        }
      } else if (!part.equalsIgnoreCase(path.get(i))) {
        return false;
      }
    }
    return template.size() == path.size();
  }

  /** ASP.NET Core's inbound precedence: per segment 1 literal, 3 parameter, 5 catch-all. */
  static String precedence(List<String> template) {
    StringBuilder digits = new StringBuilder();
    for (String part : template) {
      digits.append(part.startsWith("{*") ? '5' : part.startsWith("{") ? '3' : '1');
    }
    return digits.toString();
  }

  /** The host's own route-conflict rule, for every pair of HTTP functions. */
  List<String> conflicts() {
    List<String> found = new ArrayList<>();
    List<Function> http = functions.stream().filter(Function::isHttp).toList();
    for (int i = 0; i < http.size(); i++) {
      for (int j = i + 1; j < http.size(); j++) {
        Function a = http.get(i);
        Function b = http.get(j);
        boolean sameRoute =
            a.route()
                .replaceAll("^/+|/+$", "")
                .equalsIgnoreCase(b.route().replaceAll("^/+|/+$", ""));
        boolean overlap =
            a.methods().isEmpty()
                || b.methods().isEmpty()
                || a.methods().stream().anyMatch(b.methods()::contains);
        if (sameRoute && overlap) {
          found.add(a.name() + " and " + b.name() + " claim " + a.route());
        }
      }
    }
    return found;
  }

  /** Calls {@code function} on {@code instance} as the Java worker would. */
  static Object invoke(Function function, Object instance, Object... arguments) {
    try {
      return function.method().invoke(instance, arguments);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** What the packaging names the jar: the project's artifactId-version.jar. */
  static String artifactFileName() {
    try {
      String pom = Files.readString(Path.of("pom.xml"));
      String artifactId = between(pom, "</parent>", "<artifactId>", "</artifactId>");
      String version = between(pom, "<parent>", "<version>", "</version>");
      return artifactId + "-" + version + ".jar";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String between(String text, String after, String open, String close) {
    int from = text.indexOf(open, text.indexOf(after)) + open.length();
    return text.substring(from, text.indexOf(close, from)).trim();
  }

  private static Object invoke(Method element, Annotation annotation) {
    try {
      return element.invoke(annotation);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Class<?>> compiledClasses() {
    Path root;
    try {
      root =
          Path.of(ApiFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains("$") || name.endsWith("module-info") || name.endsWith("package-info")) {
          continue;
        }
        classes.add(Class.forName(name, false, FunctionsHost.class.getClassLoader()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return classes;
  }
}
