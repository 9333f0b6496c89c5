/**
 * armguard's configuration: every key a documented constant of {@link
 * io.armguard.config.ArmguardConfig}, validated at start-up (cross-field checks included), with
 * environment-variable overrides.
 *
 * <p>Ground floor. Allowed imports: the JDK and the generated Avro {@code schema}; no other
 * armguard package.
 */
package io.armguard.config;
