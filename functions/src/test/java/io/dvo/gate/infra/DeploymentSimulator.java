package io.dvo.gate.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Deploys a Bicep template's model ({@code check.js model}) on paper: evaluates parameters,
 * variables, module parameters and the bodies of the resources whose effect matters to the gate,
 * and applies those effects to an {@link AzureState} the way Azure Resource Manager does:
 *
 * <ul>
 *   <li>{@code Microsoft.Web/sites/config} named {@code appsettings} replaces the app's whole set
 *       of settings with its properties (documented App Service behaviour; so does {@code
 *       siteConfig.appSettings} on the site);
 *   <li>{@code Microsoft.KeyVault/vaults/secrets} writes a new value for its secret;
 *   <li>{@code list()} of an app's {@code config/appsettings} reads the settings as they are before
 *       this deployment writes them.
 * </ul>
 *
 * Values known only once resources exist (ids, host names, principal ids) are {@link Opaque}. Order
 * follows Bicep's rules: a resource waits for what it references or names in {@code dependsOn}; a
 * module's resources wait for everything the module waits for. Expressions the simulator does not
 * know fail loudly, so a template change never passes by being misread.
 */
final class DeploymentSimulator {

  /** A value that exists only at deployment time; {@code text} says where it comes from. */
  record Opaque(String text) {
    @Override
    public String toString() {
      return "⟨" + text + "⟩";
    }
  }

  /** What a deployment leaves behind: the app's settings and the vault's secrets. */
  static final class AzureState {
    final Map<String, String> appSettings = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();

    AzureState copy() {
      AzureState copy = new AzureState();
      copy.appSettings.putAll(appSettings);
      copy.secrets.putAll(secrets);
      return copy;
    }
  }

  /**
   * One resource the deployment created or updated. {@code path} is the module symbol (if any) and
   * the resource symbol; {@code body} is evaluated for the types the gate cares about, else null.
   */
  record Deployed(List<String> path, String type, Map<String, Object> body) {
    String kind() {
      int at = type.indexOf('@');
      return at < 0 ? type : type.substring(0, at);
    }
  }

  /** The state after a deployment and what it deployed, in an order the template allows. */
  record Result(AzureState after, List<Deployed> deployed) {}

  private static final Set<String> EVALUATED_TYPES =
      Set.of(
          "Microsoft.Web/sites",
          "Microsoft.Web/sites/config",
          "Microsoft.KeyVault/vaults/secrets",
          "Microsoft.Authorization/roleAssignments");

  private final JsonNode main;
  private int deployments;

  DeploymentSimulator(JsonNode mainModel) {
    this.main = mainModel;
  }

  JsonNode model() {
    return main;
  }

  /** Deploys with {@code params} (others take their defaults) over {@code before}. */
  Result deploy(Map<String, Object> params, AzureState before) {
    deployments++;
    Deployment deployment = new Deployment(before.copy());
    deployment.deployFile(main, params, List.of());
    return new Result(deployment.state, List.copyOf(deployment.deployed));
  }

  /** True when {@code later} cannot start before {@code earlier} has finished. */
  boolean happensAfter(Deployed later, Deployed earlier) {
    List<String> a = later.path();
    List<String> b = earlier.path();
    if (a.size() > 2 || b.size() > 2) {
      throw new IllegalStateException("modules inside modules are not simulated: " + a + ", " + b);
    }
    if (a.size() == 2 && b.size() == 2 && a.get(0).equals(b.get(0))) {
      JsonNode module = moduleNamed(a.get(0)).get("model");
      return dependsOn(module, a.get(1), b.get(1));
    }
    return !a.get(0).equals(b.get(0)) && dependsOn(main, a.get(0), b.get(0));
  }

  private JsonNode moduleNamed(String symbol) {
    for (JsonNode module : main.get("modules")) {
      if (module.get("symbol").asText().equals(symbol)) {
        return module;
      }
    }
    throw new IllegalStateException("no module " + symbol);
  }

  // ---------------------------------------------------------------- dependencies

  /** Whether {@code from} waits (directly or through others) for {@code to} in one file. */
  static boolean dependsOn(JsonNode file, String from, String to) {
    Map<String, Set<String>> direct = directDependencies(file);
    Deque<String> todo = new ArrayDeque<>(direct.getOrDefault(from, Set.of()));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (next.equals(to)) {
        return true;
      }
      if (seen.add(next)) {
        todo.addAll(direct.getOrDefault(next, Set.of()));
      }
    }
    return false;
  }

  /**
   * For every resource and module of a file, the deployed symbols it waits for. An {@code existing}
   * resource is not deployed: referring to it waits for what it refers to (e.g. its parent).
   */
  static Map<String, Set<String>> directDependencies(JsonNode file) {
    Map<String, JsonNode> declarations = new LinkedHashMap<>();
    Set<String> existing = new HashSet<>();
    for (JsonNode resource : file.get("resources")) {
      declarations.put(resource.get("symbol").asText(), resource);
      if (resource.get("existing").asBoolean()) {
        existing.add(resource.get("symbol").asText());
      }
    }
    for (JsonNode module : file.get("modules")) {
      declarations.put(module.get("symbol").asText(), module);
    }
    Map<String, Set<String>> referenced = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> declaration : declarations.entrySet()) {
      Set<String> ids = new LinkedHashSet<>();
      identifiers(declaration.getValue().get("body"), file, ids, new HashSet<>(), new HashSet<>());
      identifiers(
          declaration.getValue().get("condition"), file, ids, new HashSet<>(), new HashSet<>());
      ids.retainAll(declarations.keySet());
      ids.remove(declaration.getKey());
      referenced.put(declaration.getKey(), ids);
    }
    Map<String, Set<String>> direct = new LinkedHashMap<>();
    for (String symbol : declarations.keySet()) {
      Set<String> waits = new LinkedHashSet<>();
      Deque<String> todo = new ArrayDeque<>(referenced.get(symbol));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.pop();
        if (!seen.add(next)) {
          continue;
        }
        if (existing.contains(next)) {
          todo.addAll(referenced.get(next));
        } else {
          waits.add(next);
        }
      }
      direct.put(symbol, waits);
    }
    return direct;
  }

  /** Identifiers a tree uses, through the variables it names; loop variables are not names. */
  private static void identifiers(
      JsonNode tree, JsonNode file, Set<String> out, Set<String> bound, Set<String> varsSeen) {
    if (tree == null || tree.isNull()) {
      return;
    }
    if (tree.has("id")) {
      String id = tree.get("id").asText();
      if (bound.contains(id)) {
        return;
      }
      JsonNode var = file.get("vars").get(id);
      if (var != null && !file.get("params").has(id)) {
        if (varsSeen.add(id)) {
          identifiers(var, file, out, bound, varsSeen);
        }
        return;
      }
      out.add(id);
      return;
    }
    if (tree.has("for")) {
      identifiers(tree.get("in"), file, out, bound, varsSeen);
      Set<String> inner = new HashSet<>(bound);
      inner.add(tree.get("for").asText());
      identifiers(tree.get("body"), file, out, inner, varsSeen);
      return;
    }
    if (tree.has("member")) {
      identifiers(tree.get("member"), file, out, bound, varsSeen);
      return;
    }
    if (tree.has("call") && !tree.get("call").isTextual()) {
      identifiers(tree.get("call"), file, out, bound, varsSeen);
    }
    if (tree.has("object")) {
      tree.get("object")
          .elements()
          .forEachRemaining(value -> identifiers(value, file, out, bound, varsSeen));
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("call") || field.getKey().equals("prop")) {
        continue;
      }
      JsonNode value = field.getValue();
      if (value.isArray()) {
        value.forEach(item -> identifiers(item, file, out, bound, varsSeen));
      } else if (value.isObject()) {
        identifiers(value, file, out, bound, varsSeen);
      }
    }
  }

  /** The file's resources and modules in an order that respects their dependencies. */
  private static List<String> deploymentOrder(JsonNode file) {
    Map<String, Set<String>> direct = directDependencies(file);
    List<String> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (String symbol : direct.keySet()) {
      visit(symbol, direct, order, done, visiting);
    }
    return order;
  }

  private static void visit(
      String symbol,
      Map<String, Set<String>> direct,
      List<String> order,
      Set<String> done,
      Set<String> visiting) {
    if (done.contains(symbol)) {
      return;
    }
    if (!visiting.add(symbol)) {
      throw new IllegalStateException("dependency cycle through " + symbol);
    }
    for (String dependency : direct.get(symbol)) {
      visit(dependency, direct, order, done, visiting);
    }
    visiting.remove(symbol);
    done.add(symbol);
    order.add(symbol);
  }

  // ---------------------------------------------------------------- evaluation

  /** A resource symbol's value: its type and path; properties are known only at run time. */
  private record ResourceRef(List<String> path, String type, String name) {}

  /** A deployed module's outputs. */
  private record ModuleRef(Map<String, Object> outputs) {}

  private final class Deployment {
    final AzureState state;
    final List<Deployed> deployed = new ArrayList<>();
    private int guids;

    Deployment(AzureState state) {
      this.state = state;
    }

    Map<String, Object> deployFile(JsonNode file, Map<String, Object> given, List<String> prefix) {
      Scope scope = new Scope(file, prefix);
      for (Iterator<Map.Entry<String, JsonNode>> it = file.get("params").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> param = it.next();
        String name = param.getKey();
        if (given.containsKey(name)) {
          scope.params.put(name, given.get(name));
        } else if (!param.getValue().get("default").isNull()) {
          scope.params.put(name, eval(param.getValue().get("default"), scope));
        } else {
          throw new IllegalStateException(
              file.get("file").asText() + ": parameter " + name + " has no value and no default");
        }
      }
      for (String unknown : given.keySet()) {
        if (!file.get("params").has(unknown)) {
          throw new IllegalStateException(
              file.get("file").asText() + " has no parameter " + unknown);
        }
      }
      Map<String, JsonNode> declarations = new HashMap<>();
      file.get("resources").forEach(r -> declarations.put(r.get("symbol").asText(), r));
      file.get("modules").forEach(m -> declarations.put(m.get("symbol").asText(), m));
      for (JsonNode resource : file.get("resources")) {
        String symbol = resource.get("symbol").asText();
        scope.symbols.put(
            symbol, new ResourceRef(path(prefix, symbol), resource.get("type").asText(), null));
      }
      for (String symbol : deploymentOrder(file)) {
        JsonNode declaration = declarations.get(symbol);
        boolean isModule = declaration.has("path");
        JsonNode condition = declaration.get("condition");
        boolean wanted = condition == null || condition.isNull() || truth(eval(condition, scope));
        if (isModule) {
          if (!wanted) {
            continue;
          }
          if (declaration.get("model").isNull()) {
            throw new IllegalStateException("module " + symbol + " is not a local file");
          }
          JsonNode body = declaration.get("body").get("object");
          Map<String, Object> params = new LinkedHashMap<>();
          JsonNode paramTrees = body.path("params").path("object");
          for (Iterator<Map.Entry<String, JsonNode>> it = paramTrees.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            params.put(param.getKey(), eval(param.getValue(), scope));
          }
          Map<String, Object> outputs =
              deployFile(declaration.get("model"), params, path(prefix, symbol));
          scope.symbols.put(symbol, new ModuleRef(outputs));
        } else {
          deployResource(declaration, scope, wanted, prefix);
        }
      }
      Map<String, Object> outputs = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = file.get("outputs").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> output = it.next();
        outputs.put(output.getKey(), eval(output.getValue().get("value"), scope));
      }
      return outputs;
    }

    private void deployResource(
        JsonNode resource, Scope scope, boolean wanted, List<String> prefix) {
      String symbol = resource.get("symbol").asText();
      String type = resource.get("type").asText();
      String kind = type.contains("@") ? type.substring(0, type.indexOf('@')) : type;
      boolean evaluated = EVALUATED_TYPES.contains(kind) && resource.get("body").has("object");
      String name = null;
      Map<String, Object> body = null;
      if (evaluated) {
        body = asMap(eval(resource.get("body"), scope), symbol);
        name = body.get("name") instanceof String text ? text : null;
      }
      scope.symbols.put(symbol, new ResourceRef(path(prefix, symbol), type, name));
      if (resource.get("existing").asBoolean() || !wanted) {
        return;
      }
      deployed.add(new Deployed(path(prefix, symbol), type, body));
      if (body == null) {
        return;
      }
      Map<String, Object> properties =
          body.get("properties") == null ? Map.of() : asMap(body.get("properties"), symbol);
      switch (kind) {
        case "Microsoft.KeyVault/vaults/secrets" ->
            state.secrets.put(String.valueOf(name), text(properties.get("value")));
        case "Microsoft.Web/sites/config" -> {
          if ("appsettings".equals(name)) {
            replaceSettings(properties, symbol);
          }
        }
        case "Microsoft.Web/sites" -> {
          Object siteConfig = properties.get("siteConfig");
          if (siteConfig instanceof Map<?, ?> config && config.get("appSettings") != null) {
            Map<String, Object> settings = new LinkedHashMap<>();
            for (Object entry : (List<?>) config.get("appSettings")) {
              Map<?, ?> pair = (Map<?, ?>) entry;
              settings.put(text(pair.get("name")), pair.get("value"));
            }
            replaceSettings(settings, symbol);
          }
        }
        default -> {}
      }
    }

    private void replaceSettings(Map<String, Object> settings, String symbol) {
      state.appSettings.clear();
      settings.forEach(
          (key, value) -> {
            if (value instanceof Map || value instanceof List) {
              throw new IllegalStateException(symbol + ": setting " + key + " is not a string");
            }
            state.appSettings.put(key, text(value));
          });
    }

    Object eval(JsonNode tree, Scope scope) {
      if (tree.has("str")) {
        return tree.get("str").asText();
      }
      if (tree.has("interp")) {
        StringBuilder text = new StringBuilder();
        tree.get("interp")
            .forEach(
                part -> text.append(part.isTextual() ? part.asText() : text(eval(part, scope))));
        return text.toString();
      }
      if (tree.has("num")) {
        return tree.get("num").asLong();
      }
      if (tree.has("bool")) {
        return tree.get("bool").asBoolean();
      }
      if (tree.has("null")) {
        return null;
      }
      if (tree.has("id")) {
        return lookup(tree.get("id").asText(), scope);
      }
      if (tree.has("member")) {
        return member(eval(tree.get("member"), scope), tree.get("prop").asText());
      }
      if (tree.has("index")) {
        Object base = eval(tree.get("index"), scope);
        Object at = eval(tree.get("at"), scope);
        if (base instanceof List<?> list && at instanceof Long i) {
          return list.get(i.intValue());
        }
        return member(base, text(at));
      }
      if (tree.has("call")) {
        return call(tree, scope);
      }
      if (tree.has("cond")) {
        return truth(eval(tree.get("cond"), scope))
            ? eval(tree.get("then"), scope)
            : eval(tree.get("else"), scope);
      }
      if (tree.has("op") && tree.has("arg")) {
        Object arg = eval(tree.get("arg"), scope);
        return switch (tree.get("op").asText()) {
          case "!" -> !truth(arg);
          case "-" -> -((Long) arg);
          default -> throw unknown("operator " + tree.get("op").asText());
        };
      }
      if (tree.has("op")) {
        return binary(tree, scope);
      }
      if (tree.has("object")) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.get("object").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          object.put(field.getKey(), eval(field.getValue(), scope));
        }
        return object;
      }
      if (tree.has("array")) {
        List<Object> array = new ArrayList<>();
        tree.get("array").forEach(item -> array.add(eval(item, scope)));
        return array;
      }
      if (tree.has("for")) {
        Object items = eval(tree.get("in"), scope);
        if (!(items instanceof List<?> list)) {
          throw unknown("a loop over a run-time value");
        }
        List<Object> out = new ArrayList<>();
        for (Object item : list) {
          Scope inner = scope.withLocal(tree.get("for").asText(), item);
          out.add(eval(tree.get("body"), inner));
        }
        return out;
      }
      throw unknown("the expression " + tree);
    }

    private Object binary(JsonNode tree, Scope scope) {
      String op = tree.get("op").asText();
      Object left = eval(tree.get("left"), scope);
      if (op.equals("&&")) {
        return truth(left) && truth(eval(tree.get("right"), scope));
      }
      if (op.equals("||")) {
        return truth(left) || truth(eval(tree.get("right"), scope));
      }
      if (op.equals("??")) {
        return left != null ? left : eval(tree.get("right"), scope);
      }
      Object right = eval(tree.get("right"), scope);
      return switch (op) {
        case "==" -> equal(left, right);
        case "!=" -> !equal(left, right);
        case "+" -> (Long) left + (Long) right;
        case "-" -> (Long) left - (Long) right;
        case "*" -> (Long) left * (Long) right;
        case "<" -> (Long) left < (Long) right;
        case ">" -> (Long) left > (Long) right;
        case "<=" -> (Long) left <= (Long) right;
        case ">=" -> (Long) left >= (Long) right;
        default -> throw unknown("operator " + op);
      };
    }

    private boolean equal(Object left, Object right) {
      if (left instanceof Opaque || right instanceof Opaque) {
        throw unknown("a comparison with a run-time value");
      }
      if (left instanceof String a && right instanceof String b) {
        return a.equalsIgnoreCase(b); // Bicep compares strings case-insensitively
      }
      return Objects.equals(left, right);
    }

    private Object lookup(String id, Scope scope) {
      if (scope.locals.containsKey(id)) {
        return scope.locals.get(id);
      }
      if (scope.params.containsKey(id)) {
        return scope.params.get(id);
      }
      if (scope.file.get("vars").has(id)) {
        if (!scope.vars.containsKey(id)) {
          scope.vars.put(id, eval(scope.file.get("vars").get(id), scope));
        }
        return scope.vars.get(id);
      }
      if (scope.symbols.containsKey(id)) {
        return scope.symbols.get(id);
      }
      throw unknown("identifier " + id + " in " + scope.file.get("file").asText());
    }

    private Object member(Object base, String prop) {
      if (base instanceof Map<?, ?> map) {
        if (!map.containsKey(prop)) {
          throw unknown("property " + prop + " of " + map.keySet());
        }
        return map.get(prop);
      }
      if (base instanceof ModuleRef module) {
        if (prop.equals("outputs")) {
          return module.outputs();
        }
        throw unknown("module property " + prop);
      }
      if (base instanceof ResourceRef resource) {
        if (prop.equals("name") && resource.name() != null) {
          return resource.name();
        }
        if (prop.equals("properties")
            && resource.type().startsWith("Microsoft.KeyVault/vaults/secrets@")
            && resource.name() != null) {
          String uri = "https://vault.vault.azure.net/secrets/" + resource.name();
          return Map.of("secretUri", uri, "secretUriWithVersion", uri + "/" + "0".repeat(32));
        }
        return new Opaque(String.join(".", resource.path()) + "." + prop);
      }
      if (base instanceof Opaque opaque) {
        return new Opaque(opaque.text() + "." + prop);
      }
      throw unknown("property " + prop + " of " + base);
    }

    private Object call(JsonNode tree, Scope scope) {
      List<Object> args = new ArrayList<>();
      tree.get("args").forEach(arg -> args.add(eval(arg, scope)));
      JsonNode callee = tree.get("call");
      if (!callee.isTextual()) {
        Object target = eval(callee.get("member"), scope);
        String method = callee.get("prop").asText();
        if (method.equals("list")
            && target instanceof ResourceRef resource
            && resource.type().startsWith("Microsoft.Web/sites/config@")
            && "appsettings".equals(resource.name())) {
          return currentSettings();
        }
        return new Opaque(target + "." + method + "()");
      }
      String name = callee.asText();
      return switch (name) {
        case "union" -> union(args);
        case "empty" -> empty(args.get(0));
        case "contains" -> contains(args.get(0), text(args.get(1)));
        case "toLower" -> text(args.get(0)).toLowerCase(Locale.ROOT);
        case "toUpper" -> text(args.get(0)).toUpperCase(Locale.ROOT);
        case "replace" -> text(args.get(0)).replace(text(args.get(1)), text(args.get(2)));
        case "take" -> {
          if (args.get(0) instanceof List<?> list) {
            yield List.copyOf(
                list.subList(0, Math.min(list.size(), ((Long) args.get(1)).intValue())));
          }
          String text = text(args.get(0));
          yield text.substring(0, Math.min(text.length(), ((Long) args.get(1)).intValue()));
        }
        case "string" -> text(args.get(0));
        case "uniqueString", "guid" -> hash(args);
        case "newGuid" -> "new-guid-" + deployments + "-" + (++guids);
        case "subscription", "resourceGroup", "environment", "tenant", "deployment" ->
            new Opaque(name + "()");
        case "resourceId", "subscriptionResourceId", "extensionResourceId", "tenantResourceId" ->
            new Opaque(
                name + "(" + String.join(", ", args.stream().map(this::text).toList()) + ")");
        case "list" -> {
          if (text(args.get(0)).endsWith("/config/appsettings")) {
            yield currentSettings();
          }
          yield new Opaque("list(" + text(args.get(0)) + ")");
        }
        default -> throw unknown("function " + name + "()");
      };
    }

    private Map<String, Object> currentSettings() {
      return Map.of("properties", new LinkedHashMap<String, Object>(state.appSettings));
    }

    private Object union(List<Object> args) {
      if (args.stream().allMatch(a -> a instanceof Map)) {
        Map<String, Object> out = new LinkedHashMap<>();
        args.forEach(a -> ((Map<?, ?>) a).forEach((k, v) -> out.put((String) k, v)));
        return out;
      }
      if (args.stream().allMatch(a -> a instanceof List)) {
        LinkedHashSet<Object> out = new LinkedHashSet<>();
        args.forEach(a -> out.addAll((List<?>) a));
        return new ArrayList<>(out);
      }
      throw unknown("union() of " + args);
    }

    private String hash(List<Object> args) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(
                    String.join("|", args.stream().map(this::text).toList())
                        .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 13);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    String text(Object value) {
      if (value == null) {
        return "";
      }
      if (value instanceof ResourceRef resource) {
        return new Opaque(String.join(".", resource.path())).toString();
      }
      if (value instanceof Map || value instanceof List) {
        throw unknown("a string made of " + value);
      }
      return value.toString();
    }
  }

  private static boolean empty(Object value) {
    return value == null
        || (value instanceof String text && text.isEmpty())
        || (value instanceof Map<?, ?> map && map.isEmpty())
        || (value instanceof List<?> list && list.isEmpty());
  }

  private static boolean contains(Object container, String key) {
    if (container instanceof Map<?, ?> map) {
      return map.containsKey(key);
    }
    if (container instanceof List<?> list) {
      return list.contains(key);
    }
    if (container instanceof String text) {
      return text.contains(key);
    }
    throw unknown("contains() on " + container);
  }

  private static boolean truth(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw unknown("a condition that is not a known boolean: " + value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw unknown(where + ": an object expected, not " + value);
  }

  private static List<String> path(List<String> prefix, String symbol) {
    List<String> path = new ArrayList<>(prefix);
    path.add(symbol);
    return List.copyOf(path);
  }

  private static IllegalStateException unknown(String what) {
    return new IllegalStateException(
        "the deployment simulator cannot evaluate " + what + " (teach DeploymentSimulator)");
  }

  private static final class Scope {
    final JsonNode file;
    final List<String> prefix;
    final Map<String, Object> params;
    final Map<String, Object> vars;
    final Map<String, Object> symbols;
    final Map<String, Object> locals;

    Scope(JsonNode file, List<String> prefix) {
      this(file, prefix, new HashMap<>(), new HashMap<>(), new HashMap<>(), Map.of());
    }

    private Scope(
        JsonNode file,
        List<String> prefix,
        Map<String, Object> params,
        Map<String, Object> vars,
        Map<String, Object> symbols,
        Map<String, Object> locals) {
      this.file = file;
      this.prefix = prefix;
      this.params = params;
      this.vars = vars;
      this.symbols = symbols;
      this.locals = locals;
    }

    Scope withLocal(String name, Object value) {
      Map<String, Object> inner = new HashMap<>(locals);
      inner.put(name, value);
      return new Scope(file, prefix, params, vars, symbols, inner);
    }
  }
}
