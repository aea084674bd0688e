package dev.floe.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code floe verify} run as bin/floe-verify runs it: a JVM of its own on verify/target's classes
 * and jars (the sink's summary reader among them, which must never reach this JVM's class path).
 */
final class VerifyCommand {
  record Result(int exitCode, String output) {}

  private VerifyCommand() {}

  /** Runs it against the pipeline's database and catalog, with {@code args} after those. */
  static Result run(PipelineHarness pipeline, List<String> args)
      throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("floe.verify.home"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(home.resolve("classes") + java.io.File.pathSeparator + home.resolve("lib") + "/*");
    command.add("dev.floe.verify.FloeVerify");
    command.addAll(
        List.of(
            "--postgres-url", pipeline.stack.source().jdbcUrl(),
            "--postgres-user", pipeline.stack.source().user(),
            "--postgres-password", pipeline.stack.source().password()));
    pipeline
        .stack
        .catalogProperties()
        .forEach((key, value) -> command.addAll(List.of("--catalog", key + "=" + value)));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("floe verify did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
