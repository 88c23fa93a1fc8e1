package io.keepcluster.shared.users;

/** A user record that breaks a rule (missing username, bad characters, blank DN...). */
public final class InvalidUserException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidUserException(String message) {
    super(message);
  }
}
