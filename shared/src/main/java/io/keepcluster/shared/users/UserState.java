package io.keepcluster.shared.users;

import java.util.Locale;

/** Whether a directory user may log in. A removed user is no state: it is a {@link UserEntry} tombstone. */
public enum UserState {
  ACTIVE, DISABLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code null} (older files) is active; anything but the two labels is refused. */
  public static UserState parse(String label) {
    if (label == null) {
      return ACTIVE;
    }
    for (UserState state : values()) {
      if (state.label().equals(label)) {
        return state;
      }
    }
    throw new InvalidUserException("state must be \"active\" or \"disabled\", got \""
        + label.replaceAll("\\p{Cntrl}", "?") + "\"");
  }
}
