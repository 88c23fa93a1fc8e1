package io.keepcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BadArgumentsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--bogus", "user add", "user add alice --password-stdin", "idp create",
      "idp frobnicate", "secret frobnicate", "secret generate extra"})
  @DisplayName("bad arguments exit 2 with one line naming the problem and the help command")
  void oneLineReason(String arguments) {
    CommandLine commandLine = KeepClusterCommand.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));

    int exit = commandLine.execute(arguments.split(" "));

    assertEquals(2, exit);
    String output = err.toString().strip();
    assertEquals(1, output.lines().count(), output);
    assertTrue(output.startsWith("keepcluster: "), output);
    assertTrue(output.endsWith("--help)"), output);
  }
}
