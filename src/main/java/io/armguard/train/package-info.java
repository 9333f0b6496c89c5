/**
 * The trainers of armguard's models: the base causal LM ({@link io.armguard.train.LmTrainer}), the
 * toxicity reward models RAD and ARM ({@link io.armguard.train.RewardTrainer}) and the multi-label
 * moderation reward models on the reply set ({@link io.armguard.train.ReplyRewardTrainer}).
 *
 * <p>Every trainer is a step function inside one skeleton, {@link
 * io.armguard.train.ResumableTraining}: checkpoint, resume and identity check, AdamW with warm-up +
 * cosine decay and global-norm clipping, progress, the kill-and-resume test hook, timings. Each
 * trainer's options are built with a builder whose shared part is {@link
 * io.armguard.train.RunSettings}. Losses ({@code TrainingLosses}), batching ({@code
 * LabelledBatches}, {@code ReplyBatches}, {@code TokenStream}), calibration ({@code
 * PlattCalibration}) and model cards ({@code ModelCard}) live beside them.
 *
 * <p>Allowed imports: {@code model}, {@code reward}, {@code data}, DJL, Gson, the progress bar;
 * nothing of {@code decode}, {@code moderate}, {@code streams}, Kafka, {@code eval}, {@code bench}
 * or {@code cli}.
 */
package io.armguard.train;
