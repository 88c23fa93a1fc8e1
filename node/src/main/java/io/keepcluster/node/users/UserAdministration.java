package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import io.keepcluster.shared.users.UserState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The operator's actions on directory users (the management API's side; the CLI edits the file
 * instead). Each runs on the directory's thread, takes effect on this node at once and reaches
 * every node through the replica; passwords arrive here already hashed.
 */
public final class UserAdministration {

  /** How an action ended. */
  public enum Outcome { DONE, NOT_FOUND, EXISTS }

  private static final String ORIGIN = "api";

  private final UserDirectory directory;
  private final LockoutRegistry lockouts;
  private final UserChangeEffects effects;

  public UserAdministration(UserDirectory directory, LockoutRegistry lockouts, UserChangeEffects effects) {
    this.directory = directory;
    this.lockouts = lockouts;
    this.effects = effects;
  }

  /** {@code {"users":[{"username","dn","email"?,"scopes","state","lockedUntil"?}]}}, never a hash. */
  public CompletableFuture<JsonObject> list() {
    return directory.call(() -> {
      JsonArray users = new JsonArray();
      for (UserRecord user : directory.users()) {
        JsonObject json = new JsonObject().put("username", user.username()).put("dn", user.dn());
        if (user.email() != null) {
          json.put("email", user.email());
        }
        json.put("scopes", user.scopes());
        var lockedUntil = lockouts.lockedUntil(user.username());
        String state = !user.active() ? UserState.DISABLED.label() : lockedUntil.isPresent() ? "locked" : "active";
        json.put("state", state);
        lockedUntil.ifPresent(until -> json.put("lockedUntil", until.toString()));
        users.add(json);
      }
      return new JsonObject().put("users", users);
    });
  }

  public CompletableFuture<Outcome> add(UserRecord user) {
    AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.DONE);
    return directory.update(user.username(), before -> {
      if (before != null && !before.removed()) {
        outcome.set(Outcome.EXISTS);
        return null;
      }
      return UserEntry.of(user.withState(UserState.ACTIVE));
    }, ORIGIN).thenApply(done -> outcome.get());
  }

  public CompletableFuture<Outcome> remove(String username) {
    return change(username, user -> UserEntry.tombstone(username, user.version()));
  }

  /** A new password; also clears the user's lockout everywhere. */
  public CompletableFuture<Outcome> setPasswordHash(String username, String hash) {
    return change(username, user -> UserEntry.of(user.withPasswordHash(hash)));
  }

  public CompletableFuture<Outcome> disable(String username) {
    return change(username, user -> user.active() ? UserEntry.of(user.withState(UserState.DISABLED)) : null);
  }

  public CompletableFuture<Outcome> enable(String username) {
    return change(username, user -> user.active() ? null : UserEntry.of(user.withState(UserState.ACTIVE)));
  }

  /** Clears the user's failed logins and suspension on every node. */
  public CompletableFuture<Outcome> unlock(String username) {
    return onUser(username, user -> effects.unlock(username, ORIGIN));
  }

  /** Refuses every token the user holds now, on every node; new logins work. */
  public CompletableFuture<Outcome> logoutEverywhere(String username) {
    return onUser(username, user -> effects.logoutEverywhere(user, ORIGIN));
  }

  private CompletableFuture<Outcome> onUser(String username, java.util.function.Consumer<UserRecord> action) {
    return directory.call(() -> {
      var user = directory.entry(username).flatMap(UserEntry::record);
      if (user.isEmpty()) {
        return Outcome.NOT_FOUND;
      }
      action.accept(user.get());
      return Outcome.DONE;
    });
  }

  /** {@code edit} answers null for "already so" (still DONE); an unknown or removed user is NOT_FOUND. */
  private CompletableFuture<Outcome> change(String username, java.util.function.Function<UserRecord, UserEntry> edit) {
    AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.DONE);
    UnaryOperator<UserEntry> operator = before -> {
      if (before == null || before.removed()) {
        outcome.set(Outcome.NOT_FOUND);
        return null;
      }
      return edit.apply(before.user());
    };
    return directory.update(username, operator, ORIGIN).thenApply(done -> outcome.get());
  }
}
