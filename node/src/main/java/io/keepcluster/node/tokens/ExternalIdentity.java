package io.keepcluster.node.tokens;

/**
 * Who an external provider's token speaks for.
 *
 * @param provider the name of the provider (its key in the {@code jwt} section) that verified it
 * @param user the identity: the configured {@code userIdentifier} claim, else the first present of
 *     {@code CN}, {@code upn}, {@code preferred_username}, {@code email}, {@code sub}
 * @param scope {@code scope}, else {@code scp}; a list is joined with spaces; empty when absent
 */
public record ExternalIdentity(String provider, String user, String scope) {}
