package io.keepcluster.node.users;

import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.users.UserRecord;
import java.util.Optional;
import io.keepcluster.node.logging.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a username and password. Unknown users, wrong passwords and suspended users look the
 * same to the caller and take the same time (a full hash is always computed). Blocking: run on a
 * worker thread. Known usernames are logged as they are; an unknown one only as a fingerprint
 * ({@link LogSafe#unknownName}).
 */
public final class LoginService {

  private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);

  private final UserLookup users;
  private final PasswordHasher hasher;
  private final LockoutRegistry lockouts;

  public LoginService(UserLookup users, PasswordHasher hasher, LockoutRegistry lockouts) {
    this.users = users;
    this.hasher = hasher;
    this.lockouts = lockouts;
  }

  public Optional<UserRecord> authenticate(String username, char[] password) {
    Optional<UserRecord> user = users.find(username);
    if (user.isEmpty()) {
      hasher.verifyAgainstDummy(password);
      // Never the text itself: an unknown "username" is often a password typed into that field.
      LOG.info("event=login_failed user={} reason=unknown_user", LogSafe.unknownName(username));
      return Optional.empty();
    }
    if (lockouts.isLocked(username)) {
      hasher.verifyAgainstDummy(password);
      LOG.info("event=login_failed user={} reason=suspended", LogSafe.value(username));
      return Optional.empty();
    }
    if (!hasher.verify(password, user.get().passwordHash())) {
      lockouts.recordFailure(username);
      LOG.info("event=login_failed user={} reason=wrong_password", LogSafe.value(username));
      return Optional.empty();
    }
    lockouts.recordSuccess(username);
    return user;
  }
}
