package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an edit of {@code users.json} changed, compared with the file as this node last read or
 * wrote it. An entry whose version went up was written by a versioning writer (the CLI) and is
 * taken as it is; an entry changed without a new version (a hand edit) is a change made now and
 * gets a version past everything known for that user; a user that disappeared from the file
 * (neither user nor tombstone) was removed by hand and becomes a tombstone, so the cluster
 * removes them instead of putting them back.
 */
final class FileChanges {

  private FileChanges() {}

  static Map<String, UserEntry> between(Map<String, UserEntry> before, Map<String, UserEntry> after,
      Map<String, UserEntry> known, long now) {
    Map<String, UserEntry> changes = new LinkedHashMap<>();
    after.forEach((name, entry) -> {
      UserEntry last = before.get(name);
      if (entry.equals(last)) {
        return;
      }
      if (last == null ? entry.version() > 0 : entry.version() > last.version()) {
        changes.put(name, entry);
        return;
      }
      UserEntry basis = UserEntry.newer(last, known.get(name));
      changes.put(name, stamped(entry, basis == null ? now : basis.nextVersion(now)));
    });
    before.forEach((name, last) -> {
      if (!after.containsKey(name) && !last.removed()) {
        UserEntry basis = UserEntry.newer(last, known.get(name));
        changes.put(name, UserEntry.tombstone(name, basis.nextVersion(now)));
      }
    });
    return changes;
  }

  static UserEntry stamped(UserEntry entry, long version) {
    return entry.removed() ? UserEntry.tombstone(entry.username(), version)
        : UserEntry.of(entry.user().withVersion(version));
  }
}
