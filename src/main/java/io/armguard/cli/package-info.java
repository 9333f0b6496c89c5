/**
 * The {@code armguard} command line (picocli): every command parses its options and calls one of
 * the layers below; option blocks shared by several commands are mixins ({@code RuntimeOptions},
 * {@code TrainingRunOptions}, {@code RewardTrainingArgs}, {@code ModelOutputOption}, {@code
 * BenchConfigOption}, {@code JudgeOption}, ...). The in-process broker and service that {@code
 * demo} and {@code bench pipeline} start ({@code EmbeddedPipeline}) and the default models ({@code
 * ServiceModels}) are wired here.
 *
 * <p>Allowed imports: any armguard package, picocli, the progress bar; nothing outside this package
 * imports it.
 */
package io.armguard.cli;
