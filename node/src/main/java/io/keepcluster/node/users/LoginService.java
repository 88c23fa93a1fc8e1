package io.keepcluster.node.users;

import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.users.UserRecord;
import java.util.Optional;

/**
 * Checks a username and password. Unknown users, wrong passwords and suspended users look the
 * same to the caller and cost the same work: every attempt reserves a guess in the lockout
 * registry (for unknown names too, in a count of their own), runs one full password
 * verification (against a dummy hash of the same parameters when there is no user), and settles
 * the guess. Blocking: run on a worker thread. Known usernames are logged as they are; an unknown
 * one only as a fingerprint ({@link LogSafe#unknownName}): it is often a password typed into the
 * username field.
 */
public final class LoginService {


  private final UserLookup users;
  private final PasswordHasher hasher;
  private final LockoutRegistry lockouts;
  private final UserAudit audit;

  public LoginService(UserLookup users, PasswordHasher hasher, LockoutRegistry lockouts) {
    this(users, hasher, lockouts, new UserAudit("-"));
  }

  public LoginService(UserLookup users, PasswordHasher hasher, LockoutRegistry lockouts, UserAudit audit) {
    this.users = users;
    this.hasher = hasher;
    this.lockouts = lockouts;
    this.audit = audit;
  }

  /**
   * {@code username} as a log line may show it: as typed when it names an account, else only as a
   * fingerprint ({@link LogSafe#unknownName}), since it may be a password typed into the wrong field.
   */
  public String loggableName(String username) {
    return users.find(username).isPresent() ? LogSafe.value(username) : LogSafe.unknownName(username);
  }

  public LoginOutcome authenticate(String username, char[] password) {
    Optional<UserRecord> user = users.find(username);
    String counted = LockoutKey.of(username, user.isPresent());
    boolean admitted = lockouts.tryBegin(counted);
    boolean matches = user.isPresent()
        ? hasher.verify(password, user.get().passwordHash())
        : hasher.verifyAgainstDummy(password);
    boolean succeeded = admitted && matches;
    if (admitted) {
      lockouts.finish(counted, succeeded);
    }
    if (succeeded) {
      return LoginOutcome.succeeded(user.get());
    }
    LoginOutcome.Reason reason = !admitted ? LoginOutcome.Reason.SUSPENDED
        : user.isEmpty() ? LoginOutcome.Reason.UNKNOWN_USER : LoginOutcome.Reason.WRONG_PASSWORD;
    // login_ok / login_failed are logged by the caller, which knows the request (id, client address).
    if (admitted && user.isPresent() && lockouts.isLocked(counted)) {
      audit.locked(LogSafe.value(username));
    }
    return LoginOutcome.failed(reason);
  }
}
