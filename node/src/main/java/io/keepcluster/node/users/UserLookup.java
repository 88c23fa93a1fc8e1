package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserRecord;
import java.util.Optional;

/** Finds directory users by name. Implementations may do file I/O: call from a worker thread. */
public interface UserLookup {

  Optional<UserRecord> find(String username);
}
