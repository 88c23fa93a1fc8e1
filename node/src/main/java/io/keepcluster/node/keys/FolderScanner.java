package io.keepcluster.node.keys;

import java.nio.file.Path;

/** One look at the config folder, as {@link KeysetWatcher} runs it; {@link KeysetScanner} in production. */
interface FolderScanner {

  Path dir();

  /** Blocking; called by one thread at a time. */
  KeysetScan scan();

  /** An instance of the same folder that shares no state with this one (for a restart). */
  FolderScanner fresh();
}
