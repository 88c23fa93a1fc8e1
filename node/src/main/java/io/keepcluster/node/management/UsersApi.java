package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonBodies;
import io.keepcluster.node.http.JsonContentType;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.users.HashingBusyException;
import io.keepcluster.node.users.HashingPool;
import io.keepcluster.node.users.UserAdministration;
import io.keepcluster.node.users.UserAdministration.Outcome;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.users.InvalidUserException;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's directory users: {@code GET/POST /api/users}, {@code DELETE
 * /api/users/{name}}, {@code POST /api/users/{name}/password|unlock|disable|enable|logout-all}.
 * Passwords are hashed on the bounded {@link HashingPool}, never on the event loop; answers never
 * carry a hash.
 */
public final class UsersApi {

  private static final Logger LOG = LoggerFactory.getLogger(UsersApi.class);
  private static final Set<String> ADD_FIELDS = Set.of("username", "dn", "email", "scopes", "password");
  private static final Set<String> PASSWORD_FIELDS = Set.of("password");
  /** Argon2id takes any length; a bound keeps a huge body from costing more than a login. */
  private static final int MAX_PASSWORD_CHARS = 1024;

  private final UserAdministration users;
  private final PasswordHasher hasher;
  private final HashingPool hashing;

  public UsersApi(UserAdministration users, PasswordHasher hasher, HashingPool hashing) {
    this.users = users;
    this.hasher = hasher;
    this.hashing = hashing;
  }

  /** Before Basic auth: a JSON post checks its Content-Type before auth spends a hash on it. */
  void guard(Router router) {
    router.post("/api/users").handler(JsonContentType.required());
    router.post("/api/users/:name/password").handler(JsonContentType.required());
  }

  /** After Basic auth. */
  void mount(Router router) {
    router.get("/api/users").handler(ctx -> reply(ctx, Future.fromCompletionStage(users.list(), ctx.vertx()
        .getOrCreateContext()).map(body -> {
          ErrorResponses.sendJson(ctx, 200, body);
          return null;
        })));
    router.post("/api/users").handler(this::add);
    router.delete("/api/users/:name").handler(ctx -> act(ctx, users::remove));
    router.post("/api/users/:name/password").handler(this::password);
    router.post("/api/users/:name/unlock").handler(ctx -> act(ctx, users::unlock));
    router.post("/api/users/:name/disable").handler(ctx -> act(ctx, users::disable));
    router.post("/api/users/:name/enable").handler(ctx -> act(ctx, users::enable));
    router.post("/api/users/:name/logout-all").handler(ctx -> act(ctx, users::logoutEverywhere));
  }

  private void add(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, "{\"username\",\"dn\",\"email\"?,\"scopes\"?,\"password\"}")
        .orElse(null);
    if (body == null || !onlyFields(ctx, body, ADD_FIELDS)) {
      return;
    }
    UserRecord unhashed;
    char[] password;
    try {
      unhashed = new UserRecord(string(body, "username"), string(body, "dn"), string(body, "email"),
          string(body, "scopes"), "-");
      password = password(body);
    } catch (InvalidUserException e) {
      ErrorResponses.send(ctx, 400, "invalid user", e.getMessage());
      return;
    }
    reply(ctx, hash(ctx, password)
        .compose(hash -> outcome(ctx, users.add(unhashed.withPasswordHash(hash))))
        .map(outcome -> {
          switch (outcome) {
            case EXISTS -> ErrorResponses.send(ctx, 409, "user already exists", unhashed.username());
            default -> ErrorResponses.sendJson(ctx, 201, new JsonObject().put("username", unhashed.username())
                .put("dn", unhashed.dn()).put("scopes", unhashed.scopes()).put("state", "active"));
          }
          return null;
        }));
  }

  private void password(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, "{\"password\"}").orElse(null);
    if (body == null || !onlyFields(ctx, body, PASSWORD_FIELDS)) {
      return;
    }
    String name = ctx.pathParam("name");
    char[] password;
    try {
      password = password(body);
    } catch (InvalidUserException e) {
      ErrorResponses.send(ctx, 400, "invalid password", e.getMessage());
      return;
    }
    reply(ctx, hash(ctx, password)
        .compose(hash -> outcome(ctx, users.setPasswordHash(name, hash)))
        .map(outcome -> {
          answer(ctx, name, outcome);
          return null;
        }));
  }

  private void act(RoutingContext ctx, Function<String, CompletableFuture<Outcome>> action) {
    String name = ctx.pathParam("name");
    reply(ctx, outcome(ctx, action.apply(name)).map(outcome -> {
      answer(ctx, name, outcome);
      return null;
    }));
  }

  private static void answer(RoutingContext ctx, String name, Outcome outcome) {
    if (outcome == Outcome.NOT_FOUND) {
      ErrorResponses.send(ctx, 404, "no such user", LogSafe.value(name));
    } else {
      ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
    }
  }

  private Future<String> hash(RoutingContext ctx, char[] password) {
    return hashing.submit(() -> {
      try {
        return hasher.hash(password);
      } finally {
        Arrays.fill(password, '\0');
      }
    });
  }

  private static Future<Outcome> outcome(RoutingContext ctx, CompletableFuture<Outcome> work) {
    return Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext());
  }

  private static void reply(RoutingContext ctx, Future<?> work) {
    work.onFailure(failure -> {
      if (failure instanceof HashingBusyException) {
        ErrorResponses.send(ctx, 503, "busy, try again");
      } else {
        LOG.error("event=user_admin_failed path={} reason=\"{}\"", ctx.normalizedPath(), failure.toString());
        ErrorResponses.send(ctx, 500, "could not change the user", failure.getMessage());
      }
    });
  }

  private static boolean onlyFields(RoutingContext ctx, JsonObject body, Set<String> allowed) {
    for (String field : body.fieldNames()) {
      if (!allowed.contains(field)) {
        ErrorResponses.send(ctx, 400, "unknown field", LogSafe.value(field));
        return false;
      }
    }
    return true;
  }

  private static char[] password(JsonObject body) {
    Object value = body.getValue("password");
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new InvalidUserException("password is required");
    }
    if (text.length() > MAX_PASSWORD_CHARS) {
      throw new InvalidUserException("password longer than " + MAX_PASSWORD_CHARS + " characters");
    }
    return text.toCharArray();
  }

  private static String string(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidUserException(key + " must be a string");
  }
}
