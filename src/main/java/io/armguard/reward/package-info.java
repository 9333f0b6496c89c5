/**
 * The reward networks and their files: RAD ({@code RadRewardModel}, a linear head) and ARM ({@code
 * ArmRewardModel}, baseline + low-rank delta over the frozen token embedding), their {@code
 * armguard.json} metadata and score outputs, loaded and saved by {@link
 * io.armguard.reward.RewardModels}. Knows networks and files only; the guidance that uses them
 * lives in {@code decode}.
 *
 * <p>Allowed imports: {@code model}, DJL, Gson; nothing of {@code decode} or any upper floor.
 */
package io.armguard.reward;
