package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** The shared training mixin keeps each command's own defaults; cards record what was typed. */
class TrainingRunOptionsTest {

  private static ParseResult parse(String... args) {
    ParseResult top = Main.commandLine().parseArgs(args);
    return top.subcommand().subcommand();
  }

  @Test
  void eachCommandKeepsItsOwnDefaults() {
    TrainLmCommand lm = (TrainLmCommand) parse("train", "lm").commandSpec().userObject();
    TrainRadCommand rad = (TrainRadCommand) parse("train", "rad").commandSpec().userObject();
    TrainRepliesCommand replies =
        (TrainRepliesCommand)
            parse("train", "replies", "--out", "o", "--init-from", "i").commandSpec().userObject();
    assertEquals(1200, lm.run.steps);
    assertEquals(1e-3f, lm.run.lr);
    assertEquals(16, lm.run.batch);
    assertEquals(600, rad.args.run.steps);
    assertEquals(3e-4f, rad.args.run.lr);
    assertEquals(2.0, rad.args.run.clip);
    assertEquals(1e-4f, replies.run.lr);
    assertEquals(50, replies.run.checkpointEvery);
    assertEquals(1234, replies.run.seed);
    // candidate distillation is off unless both directories are given
    assertEquals(null, replies.distillTeacher);
    assertEquals(null, replies.distillLm);
    assertEquals(20, replies.distillK);
    assertEquals(2, replies.distillPositions);
    assertEquals(8, replies.distillBatch);
    assertEquals(1.0f, replies.distillWeight);
    // the output mixin keeps each command's default directory
    assertEquals(Path.of("runs/lm"), lm.output.out);
    assertEquals(Path.of("runs/rad"), rad.output.out);
  }

  @Test
  void theCardsCommandIsTheArgumentsAsTyped() {
    ParseResult lm = parse("train", "lm", "--steps", "7", "--out", "my models/lm");
    assertEquals(
        "./armguard train lm --steps 7 --out 'my models/lm'",
        ReproducibleCommand.of(lm.commandSpec()));
    TrainLmCommand command = (TrainLmCommand) lm.commandSpec().userObject();
    assertEquals(7, command.run.steps);
    assertEquals(Path.of("my models/lm"), command.output.out);
    assertTrue(ReproducibleCommand.quoted("it's").equals("'it'\\''s'"));
    // the mixin reaches the command it is mixed into, also through RewardTrainingArgs
    assertEquals(
        "./armguard train lm --steps 7 --out 'my models/lm'",
        ReproducibleCommand.of(command.run.command));
    TrainArmCommand arm =
        (TrainArmCommand)
            parse("train", "arm", "--regime", "responses", "--lr", "1e-3")
                .commandSpec()
                .userObject();
    assertEquals(
        "./armguard train arm --regime responses --lr 1e-3",
        ReproducibleCommand.of(arm.args.run.command));
  }
}
