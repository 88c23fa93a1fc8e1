package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserRecord;
import java.util.Optional;

/**
 * What a login attempt came to. The caller answers every failure the same way; the reason is for
 * the operator only (metrics and the log), never for the client.
 */
public record LoginOutcome(Optional<UserRecord> user, Reason reason) {

  /** Why an attempt succeeded or failed, as counted in {@code keepcluster_logins_total{outcome}}. */
  public enum Reason {
    OK, WRONG_PASSWORD, UNKNOWN_USER, SUSPENDED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static LoginOutcome succeeded(UserRecord user) {
    return new LoginOutcome(Optional.of(user), Reason.OK);
  }

  static LoginOutcome failed(Reason reason) {
    return new LoginOutcome(Optional.empty(), reason);
  }
}
