package io.keepcluster.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** deploy/Dockerfile as instructions: comments dropped, continuation lines joined. */
final class DockerfileInstructions {

  record Instruction(String keyword, String arguments) {}

  private DockerfileInstructions() {}

  static List<Instruction> read() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : DeployFiles.lines("Dockerfile")) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && line.startsWith("#")) {
        continue;   // a comment inside a continued instruction
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
    }
    return instructions;
  }
}
